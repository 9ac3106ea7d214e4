/**
 * The GitHub Action entry: the app run once for the event of a workflow, with the workflow's
 * token, as `action.yml` runs it. GitHub is mocked by nock.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { toAppEvent } from "../../src/runtime/action-event.js";
import { runAction } from "../../src/runtime/run-action.js";
import {
  githubApi,
  loadWebhookExample,
  recordedRequests,
  TestOctokit,
  useGitHubNock,
} from "../helpers/github-nock.js";
import {
  apiCheckRun,
  checkRuns,
  noBranchRules,
  type PayloadPull,
  policyFile,
  repoPath,
  statuses,
  openPullsTo,
  pullFiles,
} from "../events/github-mocks.js";

useGitHubNock();

const TOKEN = "ghs_workflow_token";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The environment the Actions runner gives a step, with the event written to a file. */
function actionEnv(eventName: string, payload: unknown, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "hotfix-action-"));
  dirs.push(dir);
  const path = join(dir, "event.json");
  writeFileSync(path, JSON.stringify(payload));
  return {
    GITHUB_TOKEN: TOKEN,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: path,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_API_URL: "https://api.github.com",
    LOG_LEVEL: "fatal",
    ...extra,
  };
}

const run = (env: Record<string, string | undefined>) =>
  runAction(env, createApp, { Octokit: TestOctokit, logLevel: "fatal" });

describe("GitHub Action entry (action.yml → lib/action.js)", () => {
  it("gates a PR from pull_request_target with the workflow token, updating its own run found by name", async () => {
    const payload = loadWebhookExample("pull_request.labeled");
    delete (payload as { installation?: unknown }).installation; // Actions payloads have none
    const pr = payload.pull_request as unknown as PayloadPull;
    Object.assign(pr, { labels: [{ name: "hotfix" }], draft: false, state: "open", merged: false });
    pr.head.ref = "hotfix/login";
    // Every request carries the workflow's token; no installation token is ever asked for.
    const api = githubApi().matchHeader("authorization", `token ${TOKEN}`);
    policyFile(api, 'hotfix:\n  targets: ["master"]\nchecks:\n  required: ["*"]\n');
    // With GITHUB_TOKEN, CI's runs and hotfix-bot's own run all come from GitHub Actions (15368).
    const ours = apiCheckRun("Hotfix policy", "in_progress", null, 15368);
    noBranchRules(api);
    checkRuns(api, pr.head.sha, [apiCheckRun("build", "completed", "success", 15368), ours]);
    statuses(api, pr.head.sha, []);
    // Ongoing work, read with the workflow's token too: the PR's files and the open PRs.
    pullFiles(api, pr.number, ["src/login.ts"]);
    openPullsTo(api, pr.base.ref);
    api.patch(`${repoPath}/check-runs/${ours.id}`).reply(200, {});

    expect(await run(actionEnv("pull_request_target", payload))).toBe(0);

    const [write] = recordedRequests().filter((r) => r.method !== "GET");
    expect(write?.body).toMatchObject({ status: "completed", conclusion: "success" });
    expect(recordedRequests().some((r) => r.path.includes("access_tokens"))).toBe(false);
  });

  it("treats workflow_run completed as a finished check suite, on the runner's GITHUB_API_URL", async () => {
    const payload = loadWebhookExample(
      "workflow_run.completed",
      (p) => p.repository.full_name === "Codertocat/Hello-World",
    );
    const sha = payload.workflow_run.head_sha;
    const ghes = githubApi("https://ghe.example.com/api/v3");
    policyFile(ghes, 'hotfix:\n  targets: ["master"]\n', `/api/v3${repoPath}`);
    ghes.get(`${repoPath}/commits/${sha}/pulls`).query(true).reply(200, []);

    const env = actionEnv("workflow_run", payload, {
      GITHUB_API_URL: "https://ghe.example.com/api/v3",
    });
    expect(await run(env)).toBe(0);
    expect(recordedRequests().map((r) => r.path.split("?")[0])).toEqual([
      `/api/v3${repoPath}/contents/.github%2Fhotfix.yml`,
      `/api/v3${repoPath}/commits/${sha}/pulls`,
    ]);
  });

  it.each([
    ["no token", { GITHUB_TOKEN: undefined }],
    ["no event file (not in a workflow)", { GITHUB_EVENT_PATH: undefined }],
  ])("fails with exit code 1 and no request when there is %s", async (_name, change) => {
    const env = { ...actionEnv("pull_request", {}), ...change };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(await run(env)).toBe(1);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    expect(recordedRequests()).toEqual([]);
  });
});

describe("which app event a workflow trigger stands for", () => {
  const run = { head_sha: "a".repeat(40), pull_requests: [{ number: 2 }], conclusion: "failure" };
  it.each([
    ["pull_request_target", "pull_request", { action: "opened" }, undefined],
    ["pull_request", "pull_request", { action: "opened" }, undefined],
    ["issue_comment", "issue_comment", { action: "created" }, undefined],
    [
      "workflow_run (completed)",
      "check_suite",
      { action: "completed", workflow_run: run },
      {
        head_sha: run.head_sha,
        pull_requests: run.pull_requests,
        conclusion: "failure",
        app: null,
      },
    ],
    [
      "workflow_run (requested)",
      "workflow_run",
      { action: "requested", workflow_run: run },
      undefined,
    ],
    ["schedule", "schedule", {}, undefined],
  ])("%s → %s", (label, name, payload, suite) => {
    const trigger = label.split(" ")[0] as string;
    const event = toAppEvent(trigger, payload);
    expect(event.name).toBe(name);
    if (suite) expect(event.payload).toMatchObject({ action: "completed", check_suite: suite });
    else expect(event.payload).toBe(payload);
  });
});
