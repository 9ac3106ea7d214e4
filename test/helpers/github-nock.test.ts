import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ApplicationFunction } from "probot";
import {
  assertNoOpenApiViolations,
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  requestCountsByRoute,
  takeOpenApiViolations,
  testProbot,
  useGitHubNock,
  verifyGitHubNock,
} from "./github-nock.js";

useGitHubNock();

/** A stand-in app (there is no real one yet): opens a check run on every opened PR. */
function checkRunApp(params: (sha: string) => Record<string, unknown>): ApplicationFunction {
  // An untyped route, as a typo or a hand-built call would be: octokit's types cannot help.
  const route: string = "POST /repos/{owner}/{repo}/check-runs";
  return (app) => {
    app.on("pull_request.opened", async (context) => {
      await context.octokit.request(route, {
        ...context.repo(),
        ...params(context.payload.pull_request.head.sha),
      });
    });
  };
}

const goodApp = checkRunApp((sha) => ({ name: "hotfix gate", head_sha: sha, status: "queued" }));
const appWithoutHeadSha = checkRunApp(() => ({ name: "hotfix gate" }));

function openedPullRequest() {
  const payload = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined);
  return { payload, repo: payload.repository.full_name, sha: payload.pull_request.head.sha };
}

describe("githubApi + testProbot", () => {
  it("passes a request that matches GitHub's description and records it", async () => {
    const probot = await testProbot(goodApp);
    const { payload, repo, sha } = openedPullRequest();
    mockInstallationToken(githubApi()).post(`/repos/${repo}/check-runs`).reply(201, { id: 1 });

    await probot.receive({ id: "1", name: "pull_request", payload });

    expect(takeOpenApiViolations()).toEqual([]);
    const checkRun = recordedRequests().find((r) => r.operationId === "checks/create");
    expect(checkRun).toMatchObject({
      method: "POST",
      path: `/repos/${repo}/check-runs`,
      body: { name: "hotfix gate", head_sha: sha, status: "queued" },
      route: "POST /repos/{owner}/{repo}/check-runs",
    });
    expect(requestCountsByRoute()).toEqual({
      "POST /app/installations/{installation_id}/access_tokens": 1,
      "POST /repos/{owner}/{repo}/check-runs": 1,
    });
  });

  it("reports a check run created without head_sha", async () => {
    const probot = await testProbot(appWithoutHeadSha);
    const { payload, repo } = openedPullRequest();
    mockInstallationToken(githubApi()).post(`/repos/${repo}/check-runs`).reply(201, { id: 1 });

    await probot.receive({ id: "1", name: "pull_request", payload });

    expect(() => assertNoOpenApiViolations()).toThrow(/missing required body field "head_sha"/);
    expect(takeOpenApiViolations()).toEqual([
      `POST https://api.github.com/repos/${repo}/check-runs: missing required body field "head_sha"`,
    ]);
  });

  it("checks requests to GitHub Enterprise under /api/v3", async () => {
    const baseUrl = "https://ghe.example.com/api/v3";
    const probot = await testProbot(appWithoutHeadSha, { baseUrl });
    const { payload, repo } = openedPullRequest();
    mockInstallationToken(githubApi(baseUrl))
      .post(`/repos/${repo}/check-runs`)
      .reply(201, { id: 1 });

    await probot.receive({ id: "1", name: "pull_request", payload });

    expect(recordedRequests().map((r) => r.path)).toEqual([
      `/api/v3/app/installations/${payload.installation!.id}/access_tokens`,
      `/api/v3/repos/${repo}/check-runs`,
    ]);
    expect(takeOpenApiViolations()).toEqual([
      `POST ${baseUrl}/repos/${repo}/check-runs: missing required body field "head_sha"`,
    ]);
  });
});

describe("verifyGitHubNock (what runs after each test)", () => {
  it("fails on a violation nobody looked at", async () => {
    githubApi().post("/repos/octo/hello/foo").reply(200, {});

    await fetch("https://api.github.com/repos/octo/hello/foo", { method: "POST", body: "{}" });

    expect(() => verifyGitHubNock()).toThrow(
      "POST https://api.github.com/repos/octo/hello/foo: no such operation: POST /repos/{owner}/{repo}/foo",
    );
  });

  it("fails on a mock that was never requested", () => {
    githubApi().get("/repos/octo/hello/pulls/1").reply(200, {});

    expect(() => verifyGitHubNock()).toThrow(
      "mocked but never requested: GET https://api.github.com:443/repos/octo/hello/pulls/1",
    );
  });

  it("fails on a request no interceptor answered, even if the app swallowed the error", async () => {
    githubApi().get("/repos/octo/hello/pulls/1").reply(200, {});

    await fetch("https://api.github.com/repos/octo/hello/pulls/2").catch(() => undefined);
    await fetch("https://api.github.com/repos/octo/hello/pulls/1");

    expect(() => verifyGitHubNock()).toThrow(
      "GET https://api.github.com/repos/octo/hello/pulls/2: not mocked: no nock interceptor matched this request",
    );
  });

  it("leaves requests to other hosts to nock's disableNetConnect", async () => {
    await expect(fetch("https://hooks.example.com/deploy")).rejects.toThrow();

    expect(() => verifyGitHubNock()).not.toThrow();
  });

  it("passes when every mock was used and every request conforms", async () => {
    githubApi()
      .get("/repos/octo/hello/pulls")
      .query({ state: "closed", per_page: "100" })
      .reply(200, []);

    await fetch("https://api.github.com/repos/octo/hello/pulls?state=closed&per_page=100");

    expect(() => verifyGitHubNock()).not.toThrow();
  });
});

describe("useGitHubNock", () => {
  it("fails, on its own, a test that leaves a violation or an unused mock behind", () => {
    // A child jest runs a file whose tests never assert on their mistakes.
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const run = spawnSync(
      process.execPath,
      [
        "--experimental-vm-modules",
        "node_modules/jest/bin/jest.js",
        "--ci",
        "--testMatch",
        "**/test/helpers/fixtures/forgotten-checks.fixture.ts",
        "--json",
      ],
      { cwd: root, encoding: "utf8" },
    );
    const report = JSON.parse(run.stdout) as {
      testResults: Array<{
        assertionResults: Array<{ title: string; status: string; failureMessages: string[] }>;
      }>;
    };
    const results = report.testResults[0]!.assertionResults.map((t) => ({
      title: t.title,
      status: t.status,
      message: t.failureMessages.join("\n"),
    }));
    expect(results).toEqual([
      {
        title: "leaves a violation unreported",
        status: "failed",
        message: expect.stringContaining('check-runs: missing required body field "head_sha"'),
      },
      {
        title: "leaves a mock unused",
        status: "failed",
        message: expect.stringContaining(
          "mocked but never requested: GET https://api.github.com:443/repos/octo/hello/pulls/1",
        ),
      },
      { title: "is clean", status: "passed", message: "" },
    ]);
  });
});

describe("loadWebhookExample", () => {
  it("loads a real payload picked by action", () => {
    const payload = loadWebhookExample("pull_request.closed");
    expect(payload.action).toBe("closed");
    expect(payload.repository.full_name).toBe("Codertocat/Hello-World");
    // Worth knowing: none of the package's closed pull_request examples is merged, so a
    // test of a merged PR sets `merged` (and `merge_commit_sha`) itself.
    expect(payload.pull_request.merged).toBe(false);
  });

  it("applies the predicate (the first opened example has no installation)", () => {
    expect(loadWebhookExample("pull_request.opened").installation).toBeUndefined();
    const payload = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined);
    expect(payload.installation?.id).toEqual(expect.any(Number));
  });

  it("returns a copy the test may change", () => {
    const first = loadWebhookExample("pull_request.opened");
    first.pull_request.title = "changed by a test";
    expect(loadWebhookExample("pull_request.opened").pull_request.title).not.toBe(
      "changed by a test",
    );
  });

  it("names the actions that exist when nothing matches", () => {
    expect(() => loadWebhookExample("check_run.requested_action", () => false)).toThrow(
      /no "check_run.requested_action" example matches; \d+ "check_run" examples have actions: /,
    );
  });
});
