/**
 * The stand-in's GitHub beyond git: people, teams, the installed App, and per repository the
 * issues, pull requests, comments, reviews, check runs, statuses, releases and deployments,
 * kept in memory. Plain data only; what changes them (and which webhooks that sends) is in
 * hub.ts, the JSON GitHub shows for them in json.ts.
 */
import type { GitRepo } from "./git-repo.js";

export type Permission = "read" | "triage" | "write" | "maintain" | "admin";

export interface User {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
  /** Git identity, used when this person commits or GitHub commits for them (squash merge). */
  name: string;
  email: string;
}

export interface Team {
  id: number;
  org: string;
  slug: string;
  name: string;
  /** Active members' logins, lower-cased. */
  members: Set<string>;
  /** Invited, not yet accepted (lower-cased): their membership's state is "pending". */
  pending: Set<string>;
  /** Members (active or pending) whose role is "maintainer" (lower-cased). */
  maintainers: Set<string>;
  /** false for a secret team the App cannot see: its routes answer 404, as for no team. */
  visible: boolean;
}

/** The GitHub App the stand-in hosts (hotfix-bot, registered like a real one). */
export interface AppRegistration {
  id: number;
  slug: string;
  name: string;
  owner: string;
  /** PEM of the App's public key: installation-token requests must carry a JWT it verifies. */
  publicKey: string;
  installationId: number;
  webhookSecret: string;
}

/** Issues and pull requests share numbers, labels, assignees and comments, as on GitHub. */
export interface Issue {
  number: number;
  id: number;
  title: string;
  body: string;
  state: "open" | "closed";
  user: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set for pull requests. */
  pull?: Pull;
}

export interface Pull {
  number: number;
  id: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** The base branch's head when the PR was last updated; frozen at merge. */
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  requestedReviewers: string[];
  /** Slugs of teams (of the repository's organisation) asked to review. */
  requestedTeams: string[];
  /** Kept up to date when the head moves; GitHub reports them on the PR. */
  stats: { commits: number; additions: number; deletions: number; changedFiles: number };
}

export interface Reaction {
  id: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface Comment {
  id: number;
  issue: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  reactions: Reaction[];
}

export interface Review {
  id: number;
  pull: number;
  user: string;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commitId: string;
  submittedAt: string;
}

export interface CheckApp {
  id: number;
  slug: string;
  name: string;
}

export interface CheckRun {
  id: number;
  suiteId: number;
  headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations: unknown[];
  };
  app: CheckApp;
}

export interface CommitStatus {
  id: number;
  sha: string;
  context: string;
  state: "error" | "failure" | "pending" | "success";
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

export interface Release {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: string;
  publishedAt: string | null;
}

export interface ReleaseAsset {
  id: number;
  releaseId: number;
  name: string;
  label: string;
  contentType: string;
  /** The uploaded bytes, kept as UTF-8 text (what hotfix-bot uploads is JSON). */
  content: string;
  uploader: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeploymentStatus {
  id: number;
  state: "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";
  creator: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  creator: string;
  createdAt: string;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  /** Oldest first. */
  statuses: DeploymentStatus[];
}

export interface RepoState {
  owner: string;
  name: string;
  id: number;
  git: GitRepo;
  createdAt: string;
  /** Login (lower-cased) → permission; anyone else reads (the repositories are public). */
  permissions: Map<string, Permission>;
  issues: Map<number, Issue>;
  nextNumber: number;
  comments: Map<number, Comment>;
  reviews: Review[];
  checkRuns: CheckRun[];
  statuses: CommitStatus[];
  releases: Release[];
  /** Files attached to releases (created on the first upload). */
  releaseAssets?: ReleaseAsset[];
  /** Tag name of the release marked latest, if any. */
  latestRelease: string | null;
  deployments: Deployment[];
  /**
   * Commits that exist on the real GitHub but not in this repository's git (named by recorded
   * webhook payloads): reads about them answer as for a commit with nothing attached.
   */
  assumedCommits: Set<string>;
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
