import type { RepoRef } from "../model.js";

export interface FileContent {
  /** The file's text (UTF-8). */
  text: string;
  /** Size in bytes as GitHub reports it. */
  size: number;
  /** The git blob's sha, as GitHub reports it. */
  sha?: string;
  /** Where the file was read, for messages: `owner/repo:path@ref`. */
  source: string;
}

export interface RepoFiles {
  /**
   * A file's text, or null when there is no such file. Without `ref` GitHub answers from the
   * repository's default branch — the only place a policy is read from.
   */
  readFile(path: string, options?: { ref?: string; repo?: RepoRef }): Promise<FileContent | null>;
}
