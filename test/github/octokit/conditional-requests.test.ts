/**
 * The conditional-request cache against the GitHub stand-in, which answers like GitHub: an ETag
 * on every 200 to a GET, varying with `Accept`, and 304 with no body to a GET naming it in
 * `If-None-Match`. Through Probot's own Octokit (its plugins wrap the request too).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { ProbotOctokit } from "probot";
import {
  conditionalRequests,
  createHttpCache,
  type HttpCache,
} from "../../../src/github/octokit/conditional-requests.js";
import { createGitHubPort } from "../../../src/github/octokit-port.js";
import type { Octokit } from "../../../src/github/octokit/types.js";
import { RepoHandle } from "../../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../../sandbox/stand-in/server.js";

const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

let standIn: StandIn;
let repo: RepoHandle;
let cache: HttpCache;

beforeAll(async () => {
  standIn = await startStandIn();
  await standIn.createRepo("acme", "shop");
  repo = new RepoHandle(standIn, "acme", "shop");
  await repo.push("main", { ".github/hotfix.yml": "checks: { required: [build] }\n" }, "p", "dana");
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  cache = createHttpCache();
});

/** A fresh Octokit per delivery, as the app has; `scope` is its installation. */
function port(scope = "1", on304: () => void = () => {}) {
  const octokit = new TestOctokit({ baseUrl: standIn.url }) as unknown as Octokit;
  conditionalRequests(octokit, cache, scope, on304);
  return { github: createGitHubPort(octokit, { owner: "acme", repo: "shop" }), octokit };
}

const statuses = (from: number) => standIn.requests.slice(from).map((r) => r.status);

describe("conditional requests", () => {
  it("asks again with the ETag and answers a 304 from the cache, with the same content", async () => {
    const first = await port().github.readFile(".github/hotfix.yml");
    const from = standIn.requests.length;
    let notModified = 0;
    const second = await port("1", () => notModified++).github.readFile(".github/hotfix.yml");
    expect(second).toEqual(first);
    expect(statuses(from)).toEqual([304]);
    expect(notModified).toBe(1);
  });

  it("takes the new answer when the content changed (revalidation, never a stale read)", async () => {
    await port().github.readFile(".github/hotfix.yml");
    await repo.push(
      "main",
      { ".github/hotfix.yml": "checks: { required: [lint] }\n" },
      "q",
      "dana",
    );
    const from = standIn.requests.length;
    const read = await port().github.readFile(".github/hotfix.yml");
    expect(read?.text).toBe("checks: { required: [lint] }\n");
    expect(statuses(from)).toEqual([200]);
    // …and that answer is the one cached now.
    await port().github.readFile(".github/hotfix.yml");
    expect(statuses(from)).toEqual([200, 304]);
  });

  it("keeps installations apart: an answer cached for one is not used for another", async () => {
    await port("1").github.readFile(".github/hotfix.yml");
    const from = standIn.requests.length;
    await port("2").github.readFile(".github/hotfix.yml");
    await port("2").github.readFile(".github/hotfix.yml");
    await port("1").github.readFile(".github/hotfix.yml");
    expect(statuses(from)).toEqual([200, 304, 304]);
  });

  it("keeps media types apart: the same URL with another Accept is another answer", async () => {
    const { octokit } = port();
    const url = "GET /repos/{owner}/{repo}/contents/{path}";
    const params = { owner: "acme", repo: "shop", path: ".github/hotfix.yml" };
    await octokit.request(url, params);
    const from = standIn.requests.length;
    const raw = await port().octokit.request(url, {
      ...params,
      headers: { accept: "application/vnd.github.object+json" },
    });
    expect(raw.status).toBe(200);
    expect(statuses(from)).toEqual([200]);
  });

  it("never caches a write, and sends writes without If-None-Match", async () => {
    const { github } = port();
    const sha = await repo.headOf("main");
    await github.createBranch("scratch", sha);
    expect(cache.size).toBe(0);
    const from = standIn.requests.length;
    expect(await github.deleteBranch("scratch")).toBe("deleted");
    expect(statuses(from)).toEqual([204]);
  });

  it("hands out copies: a caller changing its answer (Octokit's paginate does) leaves the cache intact", async () => {
    const sha = await repo.headOf("main");
    for (const name of ["build", "lint", "test"]) await repo.check(sha, name, "success");
    const first = await port().github.listCheckRuns(sha);
    const again = await port().github.listCheckRuns(sha);
    const third = await port().github.listCheckRuns(sha);
    expect(again).toEqual(first);
    expect(third).toEqual(first);
    expect(first.map((r) => r.name).sort()).toEqual(["build", "lint", "test"]);
  });

  it("is bounded: the least recently used answers are evicted and asked for in full again", async () => {
    cache = createHttpCache(4_000); // room for one answer: the branch's is about 3.5 kB
    await port().github.readFile(".github/hotfix.yml");
    await port().github.getBranchHead("main");
    const from = standIn.requests.length;
    await port().github.readFile(".github/hotfix.yml");
    expect(statuses(from)).toEqual([200]);
    expect(cache.calculatedSize).toBeLessThanOrEqual(4_000);
  });
});
