/**
 * SECURITY.md "Secrets": credentials come from the environment only, are refused when they
 * would silently weaken the app, never reach the logs, and are never baked into the image.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createApp } from "../../src/app.js";
import { configFromEnv } from "../../src/config.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  testPrivateKey,
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
import { deliver, eventually, SECRET, useProbotServer } from "../ops/probot-server.js";

useGitHubNock();

const startServer = useProbotServer();

describe("secrets", () => {
  it("never writes the webhook secret, the private key, the JWT or the installation token to the log, even at trace level", async () => {
    const server = await startServer(createApp({ appId: 123 }), { level: "trace" });
    const payload = loadWebhookExample("pull_request.labeled", (p) => p.installation !== undefined);
    const pr = payload.pull_request as unknown as PayloadPull;
    Object.assign(pr, { labels: [{ name: "hotfix" }], draft: false, state: "open", merged: false });
    pr.head.ref = "hotfix/login";
    const api = mockInstallationToken(githubApi());
    policyFile(api, 'hotfix:\n  targets: ["master"]\nchecks:\n  required: ["build"]\n');
    noBranchRules(api);
    checkRuns(api, pr.head.sha, [apiCheckRun("build", "completed", "success")]);
    statuses(api, pr.head.sha, []);
    pullFiles(api, pr.number, ["src/login.ts"]);
    openPullsTo(api, pr.base.ref);
    api.post(`${repoPath}/check-runs`).reply(201, {});

    expect((await deliver(server.url, { id: "s-1", name: "pull_request", payload })).status).toBe(
      200,
    );
    await eventually(() => server.logs.some((l) => l.delivery === "s-1" && l.pr === 2));

    const log = server.rawLog();
    expect(log.length).toBeGreaterThan(1000); // trace level really logged the requests
    const keyBody = testPrivateKey().split("\n")[5] as string; // a line of the PEM's base64
    expect(keyBody).toMatch(/^[A-Za-z0-9+/]{40,}$/);
    for (const secret of [SECRET, keyBody, "ghs_test_installation_token"])
      expect(log).not.toContain(secret);
    expect(log).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./); // a JWT
  });

  it("refuses to start without a webhook secret, or with Probot's public default one", () => {
    expect(() => configFromEnv({ APP_ID: "1" })).toThrow(/WEBHOOK_SECRET is not set/);
    expect(() => configFromEnv({ APP_ID: "1", WEBHOOK_SECRET: "development" })).toThrow(
      /public default/,
    );
  });

  it("keeps .env files and keys out of the Docker build context, and the Dockerfile sets no secret", () => {
    const ignored = readFileSync(".dockerignore", "utf8")
      .split("\n")
      .map((l) => l.trim());
    for (const pattern of [".env", "*.pem", ".git"]) expect(ignored).toContain(pattern);
    const dockerfile = readFileSync("Dockerfile", "utf8");
    expect(dockerfile).not.toMatch(/^\s*(ENV|ARG)\s+[^\n]*(PRIVATE_KEY|WEBHOOK_SECRET|TOKEN)/m);
    expect(dockerfile).not.toMatch(/^\s*COPY\s+[^\n]*\.(env|pem)\b/m);
  });
});
