/**
 * GitHub's refusals that are answers — a merge conflict (409), a PR that cannot be merged (405)
 * or whose head moved (409), a deployment whose required contexts are not green (409) — reach
 * the app once. Probot's retry plugin retries every status but 400/401/403/404/410/422/451,
 * so without a per-request opt-out each of these was sent 4 times over 14 s (found by
 * `npm run sandbox`: a conflicting backport stalled for 14 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ProbotOctokit } from "probot";
import { createGitHubPort } from "../../../src/github/octokit-port.js";
import type { GitHubPort } from "../../../src/github/port.js";
import { RepoHandle } from "../../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../../sandbox/stand-in/server.js";

/** Probot's Octokit as the app gets it, retries on; only the write throttling is off (speed). */
const RetryingOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { enabled: false },
}));

let standIn: StandIn;
let repo: RepoHandle;
let github: GitHubPort;

beforeAll(async () => {
  standIn = await startStandIn();
  await standIn.createRepo("acme", "shop");
  repo = new RepoHandle(standIn, "acme", "shop");
  const base = await repo.push("main", { "a.txt": "one\n" }, "start", "dana");
  await repo.push("main", { "a.txt": "two\n" }, "on main", "dana");
  await repo.push("topic", { "a.txt": "three\n" }, "on topic", "dana", { from: base });
  github = createGitHubPort(new RetryingOctokit({ baseUrl: standIn.url }), {
    owner: "acme",
    repo: "shop",
  });
});

afterAll(async () => {
  await standIn.close();
});

const sent = (route: string) => standIn.requests.filter((r) => r.route === route);

describe("refusals that are answers are sent once", () => {
  it("a merge conflict", async () => {
    await repo.branch("scratch", "main", "dana");
    expect(await github.merge({ base: "scratch", head: "topic" })).toEqual({ kind: "conflict" });
    expect(sent("/repos/{owner}/{repo}/merges").map((r) => r.status)).toEqual([409]);
  });

  it("a PR GitHub cannot merge, and one whose head moved", async () => {
    const pull = await repo.openPull("dana", { head: "topic", base: "main", title: "Topic" });
    const head = pull.pull.headSha;
    expect(await github.mergePull(pull.number, { sha: head, method: "squash" })).toMatchObject({
      merged: false,
      status: 405,
    });
    expect(
      await github.mergePull(pull.number, { sha: "0".repeat(40), method: "squash" }),
    ).toMatchObject({
      merged: false,
      status: 409,
    });
    expect(sent("/repos/{owner}/{repo}/pulls/{pull_number}/merge").map((r) => r.status)).toEqual([
      405, 409,
    ]);
  });

  it("a deployment whose required contexts are not green", async () => {
    const made = await github.createDeployment({
      ref: "main",
      environment: "staging",
      payload: {},
      description: "test",
      requiredContexts: ["build"],
      productionEnvironment: false,
    });
    expect(made).toMatchObject({ created: false, status: 409 });
    expect(sent("/repos/{owner}/{repo}/deployments").map((r) => r.status)).toEqual([409]);
  });

  it("while a server error on an ordinary read is still retried by Probot", async () => {
    standIn.fault({ route: "/repos/{owner}/{repo}/branches/{branch+}", kind: { status: 500 } });
    expect(await github.getBranchHead("main")).toMatchObject({ name: "main" });
    expect(sent("/repos/{owner}/{repo}/branches/{branch+}").map((r) => r.status)).toEqual([
      500, 200,
    ]);
  });
});

describe("a policy file the app cannot read is no policy", () => {
  it("403 (no Contents permission) and 404 read as no file; a rate-limit 403 is not an answer", async () => {
    await repo.push("main", { ".github/hotfix.yml": "hotfix: {}\n" }, "policy", "dana");
    expect(await github.readFile(".github/hotfix.yml")).toMatchObject({ text: "hotfix: {}\n" });
    const contents = /\/contents\//;
    const denied = standIn.fault({
      route: contents,
      kind: { status: 403, message: "Resource not accessible by integration" },
    });
    expect(await github.readFile(".github/hotfix.yml")).toBeNull();
    denied.remove();
    const hidden = standIn.fault({ route: contents, kind: { status: 404 } });
    expect(await github.readFile(".github/hotfix.yml")).toBeNull();
    hidden.remove();
    const limited = standIn.fault({
      route: contents,
      times: 10,
      kind: { secondaryRateLimit: true, retryAfterSeconds: 120 },
    });
    await expect(github.readFile(".github/hotfix.yml")).rejects.toMatchObject({ status: 403 });
    limited.remove();
  });
});
