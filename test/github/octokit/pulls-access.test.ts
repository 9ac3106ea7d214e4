/**
 * The port's reads and writes behind ongoing work and review requests, through Octokit against
 * the stand-in (every request checked against GitHub's OpenAPI description): one page of open
 * PRs to a base and whether GitHub has more, the collaborator check, and a team-only request.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { UnthrottledOctokit } from "../../../sandbox/app-host.js";
import { createGitHubPort } from "../../../src/github/octokit-port.js";
import type { GitHubPort } from "../../../src/github/port.js";
import { RepoHandle } from "../../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../../sandbox/stand-in/server.js";

let standIn: StandIn;
let repo: RepoHandle;
let github: GitHubPort;

beforeAll(async () => {
  standIn = await startStandIn();
  await standIn.createRepo("acme", "shop");
  repo = new RepoHandle(standIn, "acme", "shop");
  standIn.hub.addUser("acme", { type: "Organization" });
  for (const login of ["dana", "olga", "sam"]) standIn.hub.addUser(login);
  standIn.hub.addTeam("acme", "qa", ["olga"]);
  repo.grant("dana", "write");
  repo.grant("olga", "write");
  await repo.push("main", { "a.txt": "one\n" }, "start", "dana");
  await repo.branch("release/1.4", "main", "dana");
  for (const [branch, base] of [
    ["a", "main"],
    ["b", "release/1.4"],
    ["c", "main"],
  ] as const) {
    await repo.push(branch, { [`${branch}.txt`]: "x\n" }, branch, "dana", { from: base });
    await repo.openPull("dana", { head: branch, base, title: branch });
  }
  github = createGitHubPort(new UnthrottledOctokit({ baseUrl: standIn.url }), {
    owner: "acme",
    repo: "shop",
  });
});

afterAll(async () => {
  expect(standIn.problems()).toEqual([]);
  await standIn.close();
});

describe("listOpenPullsTo", () => {
  it("one request: the open PRs to that base, most recently updated first", async () => {
    const first = repo.state.issues.get(1);
    if (first) first.updatedAt = "2999-01-01T00:00:00Z";
    const from = standIn.requests.length;
    const { pulls, more } = await github.listOpenPullsTo("main");
    expect(pulls.map((p) => p.number)).toEqual([1, 3]);
    expect(more).toBe(false);
    expect(standIn.requests.slice(from).map((r) => r.query)).toEqual([
      "?state=open&base=main&sort=updated&direction=desc&per_page=100",
    ]);
  });

  it("says when GitHub has another page", async () => {
    const third = repo.state.issues.get(3);
    if (!third) throw new Error("no PR #3");
    const stop = standIn.intercept((request) => {
      if (request.method !== "GET" || !request.path.endsWith("/pulls")) return undefined;
      return {
        status: 200,
        body: [standIn.hub.pullJson(standIn.url, repo.state, third)],
        headers: { link: `<${standIn.url}/repos/acme/shop/pulls?page=2>; rel="next"` },
      };
    });
    try {
      expect(await github.listOpenPullsTo("main")).toMatchObject({ more: true });
    } finally {
      stop();
    }
  });
});

describe("isCollaborator and team review requests", () => {
  it("204 is a collaborator, 404 is not; a 403 (no Members permission) leaves it to GitHub", async () => {
    expect(await github.isCollaborator("olga")).toBe(true);
    expect(await github.isCollaborator("sam")).toBe(false);
    const fresh = createGitHubPort(new UnthrottledOctokit({ baseUrl: standIn.url }), {
      owner: "acme",
      repo: "shop",
    });
    standIn.fault({
      method: "GET",
      route: "/repos/{owner}/{repo}/collaborators/{username}",
      times: 1,
      kind: { status: 403, message: "Resource not accessible by integration" },
    });
    expect(await fresh.isCollaborator("sam")).toBe(true);
  });

  it("asks a team alone without an empty list of users", async () => {
    const from = standIn.requests.length;
    await github.requestReviewers(1, [], ["qa"]);
    expect(standIn.requests.slice(from).map((r) => r.body)).toEqual([{ team_reviewers: ["qa"] }]);
    expect(repo.state.issues.get(1)?.pull?.requestedTeams).toEqual(["qa"]);
  });
});
