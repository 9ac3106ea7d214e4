/**
 * SECURITY.md "Policy never read from a PR head" and "Fork PRs": a PR — here from a fork —
 * that weakens `.github/hotfix.yml` is still judged by the default branch's policy; its own
 * version is only validated and reported.
 */
import { describe, expect, it } from "@jest/globals";
import { createApp } from "../../src/app.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  testProbot,
  useGitHubNock,
} from "../helpers/github-nock.js";
import {
  checkRuns,
  noBranchRules,
  openPullsTo,
  type PayloadPull,
  policyFile,
  policyFileAt,
  pullFiles,
  repoPath,
  statuses,
} from "../events/github-mocks.js";

useGitHubNock();

const STRICT = 'hotfix:\n  targets: ["master"]\nchecks:\n  required: ["build"]\n';
const WEAKENED = 'hotfix:\n  targets: ["master"]\nchecks:\n  required: []\n';

describe("where the policy comes from", () => {
  it("a fork PR that weakens the policy is still judged by the default branch's policy", async () => {
    const payload = loadWebhookExample(
      "pull_request.synchronize",
      (p) => p.installation !== undefined,
    );
    const pr = payload.pull_request as unknown as PayloadPull;
    Object.assign(pr, { labels: [{ name: "hotfix" }], draft: false, state: "open", merged: false });
    pr.head.ref = "hotfix/please-merge-me";
    pr.head.repo.full_name = "mallory/Hello-World"; // a fork
    const sha = pr.head.sha;
    const api = mockInstallationToken(githubApi());
    policyFile(api, STRICT); // what the gate enforces: read first, for every delivery
    pullFiles(api, pr.number, [".github/hotfix.yml"]);
    policyFileAt(api, sha, WEAKENED); // read only to validate the proposal
    checkRuns(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    noBranchRules(api);
    checkRuns(api, sha, []);
    statuses(api, sha, []);
    // Ongoing work: the PR's files again (with the ETag of the first answer) and the open PRs.
    pullFiles(api, pr.number, [".github/hotfix.yml"]);
    openPullsTo(api, pr.base.ref);
    api.post(`${repoPath}/check-runs`).reply(201, {});

    await (
      await testProbot(createApp({ appId: 123 }))
    ).receive({
      id: "fork-1",
      name: "pull_request",
      payload,
    });

    const posted = recordedRequests()
      .filter((r) => r.method === "POST" && r.route === "POST /repos/{owner}/{repo}/check-runs")
      .map((r) => r.body as { name: string; conclusion?: string; output: { title: string } });
    expect(posted.map((p) => p.name)).toEqual(["Hotfix policy file", "Hotfix policy"]);
    expect(posted[0]?.conclusion).toBe("success"); // the proposal is valid YAML…
    // …but the gate still requires "build", which the PR's own file dropped.
    expect(posted[1]?.output.title).toMatch(/waiting for Required checks/);
    const policyReads = recordedRequests().filter((r) => r.path.includes("hotfix.yml"));
    expect(policyReads.map((r) => r.path.includes(`ref=${sha}`))).toEqual([false, true]);
  });
});
