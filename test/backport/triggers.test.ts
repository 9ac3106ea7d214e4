import { describe, expect, it } from "@jest/globals";
import { createApp } from "../../src/app.js";
import { labelTarget } from "../../src/backport/triggers.js";
import { backportTargets } from "../../src/backport/targets.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  testProbot,
  useGitHubNock,
} from "../helpers/github-nock.js";
import { policyFile, repoPath, type PayloadPull } from "../events/github-mocks.js";

useGitHubNock();

describe("backport targets", () => {
  it.each([
    ["backport release/1.3", "release/1.3"],
    ["Backport  main", "main"],
    ["backport-conflict", null],
    ["backport", null],
    ["backport a b", null],
  ])("label %j → %j", (label, target) => {
    expect(labelTarget(label)).toBe(target);
  });

  it("resolves names and globs against the branches, never the PR's own base, and reports unmatched", () => {
    expect(
      backportTargets(
        ["main", "release/*", "legacy"],
        ["main", "release/1.3", "release/1.4", "feature/x"],
        "release/1.4",
      ),
    ).toEqual({
      targets: ["main", "release/1.3"],
      unmatched: ["legacy"],
    });
  });
});

function closedPr(merged: boolean, labels: string[] = []) {
  const payload = loadWebhookExample("pull_request.closed", (p) => p.installation !== undefined);
  const pr = payload.pull_request as unknown as PayloadPull & { merged_at: string | null };
  pr.merged = merged;
  pr.merged_at = merged ? "2026-11-26T12:00:00Z" : null;
  pr.labels = labels.map((name) => ({ name }));
  return { id: "closed", name: "pull_request" as const, payload };
}

describe("backport triggers", () => {
  it("a PR closed without merging costs nothing", async () => {
    const probot = await testProbot(createApp({ appId: 123 }));
    await probot.receive(closedPr(false, ["backport main"]));
    expect(recordedRequests()).toEqual([]);
  });

  it("a merged PR that is not a hotfix and has no backport label: the policy is read, nothing written", async () => {
    const probot = await testProbot(createApp({ appId: 123 }));
    const api = mockInstallationToken(githubApi());
    policyFile(api, "backport:\n  when: merged\n  branches: [main]\n");
    await probot.receive(closedPr(true, ["bug"]));
    expect(
      recordedRequests().filter((r) => r.method !== "GET" && !r.path.includes("access_tokens")),
    ).toEqual([]);
  });

  it("/backport on a PR that is not merged yet says to use the label instead", async () => {
    const probot = await testProbot(createApp({ appId: 123 }));
    const payload = loadWebhookExample(
      "issue_comment.created",
      (p) => p.installation !== undefined,
    );
    payload.issue.number = 2;
    (payload.issue as { pull_request?: object }).pull_request = { url: "x" };
    payload.comment.body = "/backport release/1.3 main";
    const api = mockInstallationToken(githubApi());
    policyFile(api, "backport:\n  branches: [main]\n");
    api
      .get(`${repoPath}/collaborators/codertocat/permission`)
      .reply(200, { permission: "admin", role_name: "admin", user: { login: "Codertocat" } });
    const pr = loadWebhookExample(
      "pull_request.opened",
      (p) => p.installation !== undefined,
    ).pull_request;
    api.get(`${repoPath}/pulls/2`).reply(200, pr);
    api.post(`${repoPath}/issues/2/comments`).reply(201, {
      id: 1,
      body: "",
      user: { login: "hotfix-bot[bot]", type: "Bot" },
      html_url: "x",
      created_at: "",
    });
    await probot.receive({ id: "c", name: "issue_comment", payload });
    const reply = recordedRequests().find(
      (r) => r.method === "POST" && r.path.endsWith("/comments"),
    )?.body as { body: string };
    expect(reply.body).toContain(
      "is not merged yet, so there is nothing to backport. Add the labels `backport release/1.3`, `backport main` instead",
    );
  });
});
