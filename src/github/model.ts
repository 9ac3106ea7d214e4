/**
 * GitHub objects in the shape hotfix-bot reasons about — plain data, independent of Octokit.
 * `src/github/map.ts` builds them from REST answers and webhook payloads (which share a shape).
 */
/** A repository permission, lowest first: GitHub's roles, as `role_name` reports them. */
export const permissionLevels = ["read", "triage", "write", "maintain", "admin"] as const;
export type Permission = (typeof permissionLevels)[number];

/** A repository: `owner/repo`. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export interface Actor {
  login: string;
  isBot: boolean;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  author: Actor;
  head: { ref: string; sha: string; repoFullName: string | null };
  base: { ref: string; sha: string; repoFullName: string };
  labels: string[];
  htmlUrl: string;
  mergeCommitSha: string | null;
  /** Logins assigned (absent in payloads that do not carry them). */
  assignees?: string[];
  /** Users asked to review and not yet reviewing. */
  requestedReviewers?: string[];
  /** Slugs of the teams asked to review and not yet reviewing. */
  requestedTeams?: string[];
  /** When the PR last changed (its labels among other things), as GitHub says. */
  updatedAt?: string;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  id: number;
  reviewer: Actor;
  state: ReviewState;
  /** The head commit the review was given on. */
  commitId: string | null;
  submittedAt: string | null;
}

export interface CheckRun {
  id: number;
  name: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  url: string | null;
  appId: number | null;
  appSlug: string | null;
  startedAt: string | null;
  output: { title: string | null; summary: string | null };
}

export interface CommitStatus {
  context: string;
  state: "success" | "pending" | "failure" | "error";
  url: string | null;
  creator: string | null;
  updatedAt: string | null;
}
