export interface Tag {
  name: string;
  /** The commit the tag points at (annotated tags peeled). */
  commitSha: string;
}

export interface Release {
  id: number;
  tagName: string;
  url: string;
  draft: boolean;
  /** Where its assets are uploaded (GitHub's `upload_url` template). */
  uploadUrl?: string;
}

export type MergeResult =
  { merged: true; sha: string } | { merged: false; status: number; message: string };

export type TagCreation = { created: true; tag: Tag } | { created: false; existing: Tag };

export interface Releases {
  /** Names of the tags starting with `prefix` (all pages); cheap: no peeling. */
  listTagNames(prefix: string): Promise<string[]>;
  /** One tag with the commit it points at, or null. */
  getTag(name: string): Promise<Tag | null>;
  /**
   * An annotated tag object on `commitSha`, then its ref. GitHub creates a ref atomically:
   * when the ref already exists nothing is changed and the existing tag is returned.
   */
  createAnnotatedTag(input: {
    name: string;
    message: string;
    commitSha: string;
  }): Promise<TagCreation>;
  /** Whether `sha` is reachable from `branch` (the commit is the branch head or behind it). */
  isReachable(sha: string, branch: string): Promise<boolean>;
  /**
   * The commits reachable from `head` and not from `base` (tags, branches or shas), oldest
   * first — at most the first 250, as GitHub's comparison lists them — with how many there are
   * in all; null when GitHub cannot compare them (one of them is missing).
   */
  commitsBetween(base: string, head: string): Promise<{ shas: string[]; total: number } | null>;
  /** The release for a tag, drafts included, or null. */
  findRelease(tagName: string): Promise<Release | null>;
  createRelease(input: {
    tagName: string;
    targetSha: string;
    name: string;
    body: string;
    draft: boolean;
    makeLatest: boolean;
  }): Promise<Release | { alreadyExists: true }>;
  /** Merge a PR, but only if its head is still `sha`; a refusal is an answer, not an exception. */
  mergePull(
    number: number,
    input: { sha: string; method: "squash" | "merge" | "rebase"; title?: string },
  ): Promise<MergeResult>;
}
