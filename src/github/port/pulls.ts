import type { PullRequest, Review } from "../model.js";

export interface ChangedFile {
  filename: string;
  status: string;
  previousFilename?: string;
}

export interface Pulls {
  /** The PR, or null when it does not exist. */
  getPull(number: number): Promise<PullRequest | null>;
  /** Every review, oldest first (all pages). */
  listReviews(number: number): Promise<Review[]>;
  listPullFiles(number: number): Promise<ChangedFile[]>;
  listOpenPulls(): Promise<PullRequest[]>;
  /**
   * PRs into `base`: every open one (all pages), or the `limit` (at most 100) most recently
   * updated closed ones, newest first.
   */
  listPullsInto(
    base: string,
    options: { state: "open" } | { state: "closed"; limit: number },
  ): Promise<PullRequest[]>;
  /**
   * One page (100) of the open PRs to `base`, most recently updated first, and whether GitHub
   * has more: one request, whatever the repository's size.
   */
  listOpenPullsTo(base: string): Promise<{ pulls: PullRequest[]; more: boolean }>;
  /** Open PRs whose head commit is `sha` (also finds PRs from forks). */
  openPullsWithHead(sha: string): Promise<PullRequest[]>;
  /** Adds labels; labels already present stay as they are. */
  addLabels(number: number, labels: readonly string[]): Promise<void>;
  /**
   * Opens a PR from a branch of this repository. GitHub's refusal (422: one already exists for
   * the branch, or nothing to compare) is an answer with its message, not an exception.
   */
  createPull(input: {
    head: string;
    base: string;
    title: string;
    body: string;
    draft?: boolean;
  }): Promise<{ created: true; pull: PullRequest } | { created: false; reason: string }>;
  /**
   * The newest PR whose head is `branch` of this repository — only an open one, or one in any
   * state (open, closed, merged) — or null.
   */
  findPullByHead(branch: string, state: "open" | "all"): Promise<PullRequest | null>;
  /** Replaces a PR's body. */
  updatePullBody(number: number, body: string): Promise<void>;
  /** Sets labels and/or assignees of an issue or PR in one request. */
  updateIssue(
    number: number,
    fields: { labels?: readonly string[]; assignees?: readonly string[] },
  ): Promise<void>;
  /**
   * Asks users (logins) and teams (slugs of teams of the repository's organisation) for a
   * review. GitHub refuses the whole request (422) when one of them cannot review here.
   */
  requestReviewers(
    number: number,
    reviewers: readonly string[],
    teams?: readonly string[],
  ): Promise<void>;
}
