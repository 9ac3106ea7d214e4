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
  /** Open PRs whose head commit is `sha` (also finds PRs from forks). */
  openPullsWithHead(sha: string): Promise<PullRequest[]>;
  /** Adds labels; labels already present stay as they are. */
  addLabels(number: number, labels: readonly string[]): Promise<void>;
}
