/**
 * nock interceptors for the GitHub reads the app makes, shaped like GitHub's answers. Each call
 * adds exactly one expected request: a test states the API calls it expects, and the harness
 * fails it on any call it did not expect or any expected call that did not happen.
 */
import type nock from "nock";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const repoPath = `/repos/${OWNER}/${REPO}`;
const POLICY = /\/contents\/\.github(%2F|\/)hotfix\.yml/;

export function policyFile(api: nock.Scope, yaml: string, where = repoPath): nock.Scope {
  return api
    .get((uri) => uri.startsWith(`${where}/contents/`) && POLICY.test(uri) && !uri.includes("ref="))
    .reply(200, {
      type: "file",
      name: "hotfix.yml",
      path: ".github/hotfix.yml",
      size: Buffer.byteLength(yaml),
      encoding: "base64",
      content: Buffer.from(yaml).toString("base64"),
      sha: "f".repeat(40),
    });
}

export function policyFileAt(api: nock.Scope, ref: string, yaml: string | null): nock.Scope {
  const matcher = (uri: string) =>
    uri.startsWith(`${repoPath}/contents/`) && POLICY.test(uri) && uri.includes(`ref=${ref}`);
  if (yaml === null) return api.get(matcher).reply(404, { message: "Not Found" });
  return api.get(matcher).reply(200, {
    type: "file",
    size: Buffer.byteLength(yaml),
    encoding: "base64",
    content: Buffer.from(yaml).toString("base64"),
    path: ".github/hotfix.yml",
  });
}

export function noPolicy(api: nock.Scope): nock.Scope {
  return api
    .get((uri) => uri.startsWith(`${repoPath}/contents/`) && POLICY.test(uri))
    .reply(404, { message: "Not Found" })
    .get((uri) => uri.startsWith(`/repos/${OWNER}/.github/contents/`) && POLICY.test(uri))
    .reply(404, { message: "Not Found" });
}

export function pullFiles(
  api: nock.Scope,
  number: number,
  files: Array<string | { filename: string; status: string }> = ["src/cart.ts"],
) {
  return api
    .get(`${repoPath}/pulls/${number}/files`)
    .query(true)
    .reply(
      200,
      files.map((f) =>
        typeof f === "string"
          ? {
              filename: f,
              status: "modified",
              sha: "0".repeat(40),
              additions: 1,
              deletions: 1,
              changes: 2,
            }
          : f,
      ),
    );
}

/** The open PRs to `base`, as the gate lists them to look at ongoing work (none by default). */
export function openPullsTo(api: nock.Scope, base: string, list: object[] = []) {
  return api
    .get(`${repoPath}/pulls`)
    .query({ state: "open", base, sort: "updated", direction: "desc", per_page: "100" })
    .reply(200, list);
}

export function reviews(api: nock.Scope, number: number, list: object[]) {
  return api.get(`${repoPath}/pulls/${number}/reviews`).query(true).reply(200, list);
}

export function apiReview(
  login: string,
  state: string,
  commitId: string,
  id = Math.floor(Math.random() * 1e6),
) {
  return {
    id,
    user: { login, id: id + 1, type: "User" },
    state,
    commit_id: commitId,
    submitted_at: `2026-11-26T10:${String(id % 60).padStart(2, "0")}:00Z`,
    body: "",
  };
}

export function checkRuns(api: nock.Scope, sha: string, runs: object[]) {
  return api
    .get(`${repoPath}/commits/${sha}/check-runs`)
    .query(true)
    .reply(200, { total_count: runs.length, check_runs: runs });
}

let runId = 1000;
export function apiCheckRun(
  name: string,
  status: string,
  conclusion: string | null,
  appId = 15368,
  output: { title?: string; summary?: string } = {},
) {
  const id = runId++;
  return {
    id,
    name,
    status,
    conclusion,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    details_url: `https://ci.example/${id}`,
    started_at: "2026-11-26T09:00:00Z",
    app: { id: appId, slug: appId === 123 ? "hotfix-bot" : "ci" },
    output: {
      title: output.title ?? null,
      summary: output.summary ?? null,
      text: null,
      annotations_count: 0,
    },
  };
}

export function statuses(
  api: nock.Scope,
  sha: string,
  list: Array<{ context: string; state: string }>,
) {
  return api
    .get(`${repoPath}/commits/${sha}/status`)
    .query(true)
    .reply(200, {
      state: "pending",
      sha,
      total_count: list.length,
      statuses: list.map((s, i) => ({
        ...s,
        id: i + 1,
        target_url: `https://ci.example/${s.context}`,
        description: null,
        creator: { login: "ci", type: "User" },
      })),
    });
}

/** The team's active members as GitHub lists them: `login` is listed when `member`, else another person is. */
export function teamMember(api: nock.Scope, team: string, login: string, member: boolean) {
  const [org, slug] = team.split("/");
  const listed = member ? [login, "someone-else"] : ["someone-else"];
  return api
    .get(`/orgs/${org}/teams/${slug}/members`)
    .query({ per_page: "100" })
    .reply(
      200,
      listed.map((name, i) => ({ login: name, id: i + 1, type: "User" })),
    );
}

/** The parts of a webhook's pull_request a test adjusts. */
export interface PayloadPull {
  number: number;
  state: string;
  merged: boolean;
  draft: boolean;
  labels: Array<{ name: string }>;
  head: { ref: string; sha: string; repo: { full_name: string } };
  base: { ref: string };
}

/** GitHub's rules of `base` as the gate reads them: no ruleset, an unprotected branch. */
export function noBranchRules(api: nock.Scope, base = "master"): nock.Scope {
  return api
    .get(`${repoPath}/rules/branches/${base}`)
    .query(true)
    .reply(200, [])
    .get(`${repoPath}/branches/${base}`)
    .reply(200, { name: base, protected: false });
}
