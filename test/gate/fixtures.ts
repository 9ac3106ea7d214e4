/** Builders for gate facts: plain data, as GitHub would report it. */
import type { CheckRun, CommitStatus, PullRequest, Review } from "../../src/github/model.js";
import { policySchema, type Policy, type PolicyInput } from "../../src/policy/schema.js";

export const HEAD = "a".repeat(40);
export const OLD = "b".repeat(40);

export function pull(overrides: Partial<PullRequest> = {}): PullRequest {
  return {
    number: 7,
    title: "Fix crash on empty cart",
    body: "Fixes #12",
    state: "open",
    merged: false,
    draft: false,
    author: { login: "dev", isBot: false },
    head: { ref: "hotfix/cart", sha: HEAD, repoFullName: "acme/api" },
    base: { ref: "release/1.4", sha: "c".repeat(40), repoFullName: "acme/api" },
    labels: [],
    htmlUrl: "https://github.com/acme/api/pull/7",
    mergeCommitSha: null,
    ...overrides,
  };
}

let nextId = 1;
export function review(
  login: string,
  state: Review["state"],
  commitId = HEAD,
  isBot = false,
): Review {
  const id = nextId++;
  return {
    id,
    reviewer: { login, isBot },
    state,
    commitId,
    submittedAt: `2026-11-26T10:${String(id % 60).padStart(2, "0")}:00Z`,
  };
}

export function run(
  name: string,
  status: CheckRun["status"],
  conclusion: string | null = null,
  extra: Partial<CheckRun> = {},
): CheckRun {
  const id = nextId++;
  return {
    id,
    name,
    status,
    conclusion,
    url: `https://github.com/acme/api/runs/${id}`,
    appId: 15368,
    appSlug: "github-actions",
    startedAt: `2026-11-26T09:${String(id % 60).padStart(2, "0")}:00Z`,
    output: { title: null, summary: null },
    ...extra,
  };
}

export function status(context: string, state: CommitStatus["state"]): CommitStatus {
  return {
    context,
    state,
    url: `https://ci.example/${context}`,
    creator: "ci-bot",
    updatedAt: null,
  };
}

export function policy(input: PolicyInput = {}): Policy {
  return policySchema.parse(input);
}
