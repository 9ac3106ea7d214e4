/** Pure mappers from GitHub's JSON (REST answers and webhook payloads) to src/github/model.ts. */
import type { Actor, CheckRun, CommitStatus, PullRequest, Review, ReviewState } from "./model.js";

interface RawUser {
  login: string;
  type?: string;
}

export function toActor(user: RawUser | null | undefined): Actor {
  const login = user?.login ?? "ghost";
  return { login, isBot: user?.type === "Bot" || login.endsWith("[bot]") };
}

export interface RawPull {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  draft?: boolean;
  user: RawUser | null;
  head: { ref: string; sha: string; repo?: { full_name: string } | null };
  base: { ref: string; sha: string; repo: { full_name: string } };
  labels?: Array<{ name?: string } | string>;
  html_url: string;
  merge_commit_sha?: string | null;
  assignees?: Array<RawUser | null> | null;
  requested_reviewers?: Array<RawUser | { slug?: string } | null> | null;
  requested_teams?: Array<{ slug?: string } | null> | null;
  updated_at?: string | null;
}

function logins(users: ReadonlyArray<RawUser | { slug?: string } | null>): string[] {
  return users.flatMap((u) => (u && "login" in u && u.login ? [u.login] : []));
}

export function toPullRequest(raw: RawPull): PullRequest {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? "",
    state: raw.state === "open" ? "open" : "closed",
    merged: Boolean(raw.merged ?? raw.merged_at),
    draft: Boolean(raw.draft),
    author: toActor(raw.user),
    head: { ref: raw.head.ref, sha: raw.head.sha, repoFullName: raw.head.repo?.full_name ?? null },
    base: { ref: raw.base.ref, sha: raw.base.sha, repoFullName: raw.base.repo.full_name },
    labels: (raw.labels ?? [])
      .map((l) => (typeof l === "string" ? l : (l.name ?? "")))
      .filter(Boolean),
    htmlUrl: raw.html_url,
    mergeCommitSha: raw.merge_commit_sha ?? null,
    ...(raw.assignees ? { assignees: logins(raw.assignees) } : {}),
    ...(raw.requested_reviewers ? { requestedReviewers: logins(raw.requested_reviewers) } : {}),
    ...(raw.requested_teams
      ? { requestedTeams: raw.requested_teams.flatMap((t) => (t?.slug ? [t.slug] : [])) }
      : {}),
    ...(raw.updated_at ? { updatedAt: raw.updated_at } : {}),
  };
}

export interface RawReview {
  id: number;
  user: RawUser | null;
  state: string;
  commit_id?: string | null;
  submitted_at?: string | null;
}

export function toReview(raw: RawReview): Review {
  return {
    id: raw.id,
    reviewer: toActor(raw.user),
    state: raw.state.toUpperCase() as ReviewState,
    commitId: raw.commit_id ?? null,
    submittedAt: raw.submitted_at ?? null,
  };
}

export interface RawCheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url?: string | null;
  details_url?: string | null;
  started_at?: string | null;
  app?: { id?: number; slug?: string } | null;
  output?: { title?: string | null; summary?: string | null };
}

export function toCheckRun(raw: RawCheckRun): CheckRun {
  return {
    id: raw.id,
    name: raw.name,
    status: raw.status as CheckRun["status"],
    conclusion: raw.conclusion,
    url: raw.html_url ?? raw.details_url ?? null,
    appId: raw.app?.id ?? null,
    appSlug: raw.app?.slug ?? null,
    startedAt: raw.started_at ?? null,
    output: { title: raw.output?.title ?? null, summary: raw.output?.summary ?? null },
  };
}

export interface RawStatus {
  context: string;
  state: string;
  target_url?: string | null;
  creator?: RawUser | null;
  updated_at?: string | null;
}

export function toCommitStatus(raw: RawStatus): CommitStatus {
  return {
    context: raw.context,
    state: raw.state as CommitStatus["state"],
    url: raw.target_url ?? null,
    creator: raw.creator?.login ?? null,
    updatedAt: raw.updated_at ?? null,
  };
}
