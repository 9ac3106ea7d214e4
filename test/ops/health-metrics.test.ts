import { describe, expect, it } from "@jest/globals";
import { createApp } from "../../src/app.js";
import { routeOf } from "../../src/github/octokit/observe-requests.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  useGitHubNock,
} from "../helpers/github-nock.js";
import {
  apiCheckRun,
  type PayloadPull,
  noBranchRules,
  policyFile,
  repoPath,
  statuses,
  openPullsTo,
  pullFiles,
} from "../events/github-mocks.js";
import { deliver, eventually, httpRequest, useProbotServer } from "./probot-server.js";

useGitHubNock();

const startServer = useProbotServer();

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  const answer = await httpRequest(url, { headers });
  return { status: answer.status, type: answer.headers["content-type"] ?? "", body: answer.text };
}

/** The value of one sample line of the Prometheus text, e.g. `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /healthz", () => {
  it("answers 200 from memory, without any GitHub request", async () => {
    const server = await startServer(createApp({ appId: 123 }));
    const health = await get(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok", workInFlight: 0 });
    expect(recordedRequests()).toEqual([]); // and nock would fail the test on any unmocked call
  });
});

describe("GET /metrics", () => {
  it("serves Prometheus text with deliveries, duration, GitHub requests and the rate limit left", async () => {
    const server = await startServer(createApp({ appId: 123 }));
    const payload = loadWebhookExample("pull_request.labeled", (p) => p.installation !== undefined);
    const pr = payload.pull_request as unknown as PayloadPull;
    Object.assign(pr, { labels: [{ name: "hotfix" }], draft: false, state: "open", merged: false });
    pr.head.ref = "hotfix/login";
    const api = mockInstallationToken(githubApi());
    policyFile(api, 'hotfix:\n  targets: ["master"]\nchecks:\n  required: ["build"]\n');
    noBranchRules(api);
    api
      .get(`${repoPath}/commits/${pr.head.sha}/check-runs`)
      .query(true)
      .reply(
        200,
        { total_count: 1, check_runs: [apiCheckRun("build", "completed", "success")] },
        { "x-ratelimit-remaining": "4987", "x-ratelimit-resource": "core" },
      );
    statuses(api, pr.head.sha, []);
    pullFiles(api, pr.number, ["src/login.ts"]);
    openPullsTo(api, pr.base.ref);
    api.post(`${repoPath}/check-runs`).reply(201, {});

    expect((await deliver(server.url, { id: "m-1", name: "pull_request", payload })).status).toBe(
      200,
    );
    await eventually(() => server.logs.some((l) => l.delivery === "m-1" && l.pr === 2));

    const metrics = await get(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.body;
    const installation = payload.installation!.id;
    expect(
      sample(text, 'hotfix_bot_deliveries_total{event="pull_request.labeled",outcome="wrote"}'),
    ).toBe(1);
    expect(
      sample(text, 'hotfix_bot_delivery_duration_seconds_count{event="pull_request.labeled"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'hotfix_bot_github_requests_total{route="GET /repos/{owner}/{repo}/commits/{sha}/check-runs",status="200"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'hotfix_bot_github_requests_total{route="POST /repos/{owner}/{repo}/check-runs",status="201"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        `hotfix_bot_github_rate_limit_remaining{installation="${installation}",resource="core"}`,
      ),
    ).toBe(4987);
    for (const name of [
      "hotfix_bot_deliveries_in_flight",
      "hotfix_bot_deliveries_answered_before_done_total",
      "hotfix_bot_releases_total",
      "hotfix_bot_backports_total",
      "hotfix_bot_process_resident_memory_bytes",
    ])
      expect(text).toContain(`# TYPE ${name} `);
    // No repository names or logins in any label.
    expect(text).not.toContain("Codertocat");
  });

  it("counts a refused /release-hotfix as a release with result refused", async () => {
    const server = await startServer(createApp({ appId: 123 }));
    const payload = loadWebhookExample(
      "issue_comment.created",
      (p) => p.installation !== undefined,
    );
    (payload.issue as { pull_request?: object }).pull_request = { url: "x" };
    payload.issue.number = 2;
    payload.comment.body = "/release-hotfix";
    payload.comment.user!.login = "dev";
    const api = mockInstallationToken(githubApi());
    policyFile(api, "release:\n  allowed: { permission: maintain }\n");
    api
      .get(`${repoPath}/collaborators/dev/permission`)
      .reply(200, { permission: "write", role_name: "write", user: { login: "dev" } });
    api.post(`${repoPath}/issues/comments/${payload.comment.id}/reactions`).reply(201, {});
    api.post(`${repoPath}/issues/2/comments`).reply(201, { id: 1, body: "", user: null });
    const before =
      sample(
        (await get(`${server.url}/metrics`)).body,
        'hotfix_bot_releases_total{result="refused"}',
      ) ?? 0;

    await deliver(server.url, { id: "r-1", name: "issue_comment", payload });
    await eventually(() => server.logs.some((l) => l.delivery === "r-1" && l.pr === 2));

    const after = sample(
      (await get(`${server.url}/metrics`)).body,
      'hotfix_bot_releases_total{result="refused"}',
    );
    expect(after).toBe(before + 1);
  });

  it("asks for the bearer token when METRICS_TOKEN is set; /healthz stays open", async () => {
    const server = await startServer(createApp({ appId: 123, metricsToken: "s3cret-token" }));
    expect((await get(`${server.url}/metrics`)).status).toBe(401);
    expect(
      (await get(`${server.url}/metrics`, { authorization: "Bearer wrong-token!" })).status,
    ).toBe(401);
    const ok = await get(`${server.url}/metrics`, { authorization: "Bearer s3cret-token" });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("# HELP hotfix_bot_deliveries_total");
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("GitHub request route labels", () => {
  it.each([
    [
      "GET",
      "/repos/{owner}/{repo}/pulls/{pull_number}",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    ],
    [
      "get",
      "https://api.github.com/repos/acme/api/pulls/12/reviews?per_page=100&page=2",
      "GET /repos/{owner}/{repo}/pulls/{id}/reviews",
    ],
    [
      "GET",
      "https://ghe.example.com/api/v3/repos/acme/api/commits/0123456789abcdef0123456789abcdef01234567/check-runs?page=3",
      "GET /repos/{owner}/{repo}/commits/{sha}/check-runs",
    ],
  ])("%s %s → %s", (method, url, route) => {
    expect(routeOf(method, url)).toBe(route);
  });
});
