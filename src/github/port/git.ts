/**
 * Git data through GitHub's REST API: what the backport engine needs to read history and to
 * write commits and branches without a clone. Names are ours; the adapter maps them to REST.
 * "Missing" is an answer (null), never an exception; so are a merge conflict and a branch
 * that would not fast-forward, because the engine decides what to do about them.
 */
import type { Actor } from "../model.js";

export interface Person {
  name: string;
  email: string;
  /** ISO 8601, as GitHub reports it. */
  date: string;
}

export interface CommitInfo {
  sha: string;
  treeSha: string;
  parentShas: string[];
  message: string;
  /** The git author (not the GitHub user); null only when GitHub omits it. */
  author: Person | null;
  /** The git committer: for commits hotfix-bot made through the API, when it made them. */
  committer?: Person | null;
  /**
   * The GitHub account GitHub matched to the git author (REST's top-level `author`): null when
   * it matched none; absent where GitHub does not say (the git database's commit shape).
   */
  authorUser?: Actor | null;
  /** The GitHub account matched to the git committer (`web-flow` for commits made on github.com). */
  committerUser?: Actor | null;
}

export interface BranchHead {
  name: string;
  sha: string;
  treeSha: string;
}

export interface TreeItem {
  path: string;
  /** Git file mode: 100644 file, 100755 executable, 120000 symlink, 160000 submodule, 040000 tree. */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

export interface Tree {
  sha: string;
  items: TreeItem[];
  /** GitHub stops listing very large trees (100,000 entries / 7 MB); then `items` is incomplete. */
  truncated: boolean;
}

/**
 * One path of a new tree: a blob or submodule by sha, a deletion (`sha: null`), or UTF-8 text
 * given inline (`content`), which saves GitHub a separate blob write.
 */
export type TreeWrite =
  | { path: string; mode: string; type: "blob" | "commit"; sha: string | null }
  | { path: string; mode: string; type: "blob"; content: string };

export type MergeOutcome =
  | { kind: "merged"; sha: string; treeSha: string }
  | { kind: "conflict" }
  /** The head is already contained in the base; nothing was written. */
  | { kind: "up-to-date" };

export type BranchMove = { moved: true } | { moved: false; reason: string };

export interface GitData {
  /** A branch's head commit and its tree, or null when there is no such branch. */
  getBranchHead(branch: string): Promise<BranchHead | null>;
  /** The branches whose names start with `prefix`, with the commit each points at (all pages). */
  listBranchesWithPrefix(prefix: string): Promise<Array<{ name: string; sha: string }>>;
  /** A commit by sha, or null. */
  getCommit(sha: string): Promise<CommitInfo | null>;
  /** Up to `count` commits reachable from `ref`, newest first (GitHub's order). */
  listCommits(ref: string, count: number): Promise<CommitInfo[]>;
  /** A pull request's commits, oldest first (GitHub lists at most 250). */
  listPullCommits(pullNumber: number): Promise<CommitInfo[]>;
  /** A tree (of a tree or commit sha), recursively when asked; null when missing. */
  getTree(sha: string, options?: { recursive?: boolean }): Promise<Tree | null>;
  /** A blob's bytes, or null. */
  getBlob(sha: string): Promise<Buffer | null>;
  /** A file's bytes at a ref, or null when absent (or a directory). */
  getFileAt(path: string, ref: string): Promise<Buffer | null>;

  createBlob(content: Buffer): Promise<string>;
  /** A new tree: `baseTreeSha` plus `writes`. Returns the tree's sha. */
  createTree(input: { baseTreeSha?: string; writes: TreeWrite[] }): Promise<string>;
  /** A new commit; without `author`, GitHub records the app as author and committer. */
  createCommit(input: {
    message: string;
    treeSha: string;
    parentShas: string[];
    author?: Person;
  }): Promise<CommitInfo>;

  /** Create `refs/heads/<branch>`; "exists" when it already does (nothing is changed then). */
  createBranch(branch: string, sha: string): Promise<"created" | "exists">;
  /**
   * Point a branch at `sha`. Without `force` only a fast-forward is accepted; anything else
   * (someone else's commits would be dropped) is `{ moved: false }`, not an exception.
   */
  moveBranch(branch: string, sha: string, options: { force: boolean }): Promise<BranchMove>;
  /** Delete a branch; "missing" when it was already gone. */
  deleteBranch(branch: string): Promise<"deleted" | "missing">;
  /** GitHub's merge of `head` (branch or sha) into branch `base`, which moves `base`. */
  merge(input: { base: string; head: string; message?: string }): Promise<MergeOutcome>;
}
