/**
 * A full lifecycle through the real app on the GitHub stand-in: the release carries
 * `hotfix-evidence.json`, uploaded to the uploads host, valid against the published JSON Schema
 * (checked by Ajv, not by the zod schema it was generated from), with the facts an audit asks
 * for; the deployments and the window's close are appended as they happen; the tracking
 * comment and `/metrics` show time to restore; repeating the release command uploads nothing.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Ajv2020 } from "ajv/dist/2020.js";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import { comment, playDeployer, playLifecycle, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import { settle } from "../../sandbox/app-host.js";
import { isTrackingComment } from "../../src/record/render.js";
import type { Evidence } from "../../src/evidence/schema.js";
import { startScenario, writes, type Scenario } from "../scenarios/harness.js";

const schema = JSON.parse(readFileSync("schema/hotfix-evidence.schema.json", "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let run: Scenario;
let pr: number;

const release = () => run.demo.repo.state.releases.find((r) => r.tagName === "v1.4.3");
const assets = () =>
  (run.demo.repo.state.releaseAssets ?? []).filter((a) => a.releaseId === release()?.id);
const evidence = () => {
  const asset = assets().find((a) => a.name === "hotfix-evidence.json");
  return asset
    ? (JSON.parse(asset.content) as Record<string, unknown> & { stages: unknown[] })
    : null;
};
const tracking = () =>
  [...run.demo.repo.state.comments.values()].find(
    (c) => c.issue === pr && isTrackingComment(c.body),
  )?.body ?? "";

beforeAll(async () => {
  run = await startScenario();
  pr = await playLifecycle(run.player);
}, 60_000);

afterAll(async () => {
  await run?.close();
});

describe("the release's evidence", () => {
  it("is one asset, uploaded to the uploads host, valid against schema/hotfix-evidence.schema.json", () => {
    expect(assets().map((a) => a.name)).toEqual(["hotfix-evidence.json"]);
    const doc = evidence();
    expect(validate(doc)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const uploads = run.standIn.requests.filter(
      (r) => r.route?.includes("/assets") && r.method === "POST",
    );
    // One at release, one per settled deployment (staging, production): never an in-progress one.
    expect(uploads).toHaveLength(3);
    expect(
      uploads.every(
        (r) => r.route === "/api/uploads/repos/{owner}/{repo}/releases/{release_id}/assets",
      ),
    ).toBe(true);
  });

  it("holds the policy's blob, the verdicts, the approvals, the checks and who released", async () => {
    const doc = evidence() as Evidence;
    const blob = (await run.demo.repo.git.git(["rev-parse", "main:.github/hotfix.yml"])).stdout
      .toString()
      .trim();
    const head = run.demo.repo.state.issues.get(pr)?.pull;
    expect(doc.policy).toEqual({
      path: ".github/hotfix.yml",
      blobSha: blob,
      files: ["acme/shop:.github/hotfix.yml"],
    });
    expect(doc.release).toMatchObject({
      tag: "v1.4.3",
      version: "1.4.3",
      by: PEOPLE.releaser,
      command: RELEASE_COMMAND,
    });
    expect(doc.release.commitSha).toBe(head?.mergeCommitSha);
    expect(doc.pullRequest).toMatchObject({ number: pr, base: "release/1.4" });
    expect(doc.incident).toMatchObject({ issue: 1 });
    expect(doc.requirements.length).toBeGreaterThanOrEqual(7);
    expect(doc.requirements.every((r) => r.state === "met" || r.state === "warning")).toBe(true);
    expect(doc.approvals).toEqual([
      expect.objectContaining({
        login: PEOPLE.ops,
        groups: ["Operations"],
        commitSha: doc.pullRequest.headSha,
      }),
      expect.objectContaining({
        login: PEOPLE.qa,
        groups: ["QA"],
        commitSha: doc.pullRequest.headSha,
      }),
    ]);
    expect(doc.checks).toContainEqual(
      expect.objectContaining({ name: "build", kind: "check_run", conclusion: "success" }),
    );
    expect(doc.override).toBeNull();
  });

  it("is summarised in the release notes", () => {
    const body = release()?.body ?? "";
    expect(body).toContain("### Evidence\n- ✅ Base branch:");
    expect(body).toMatch(/- ✅ QA approval: .*quinn/);
    expect(body).toContain("is attached as `hotfix-evidence.json`");
  });

  it("has the deployments appended as they happened", () => {
    const doc = evidence() as Evidence;
    expect(doc.stages.map((s) => `${s.stage} ${s.state}`)).toEqual([
      "released released",
      "staging success",
      "production success",
    ]);
    expect(assets()[0]?.label).toBe(
      "Hotfix evidence: released, staging success, production success",
    );
  });

  it("repeating the release command uploads nothing", async () => {
    const from = run.standIn.requests.length;
    await comment(run.player, PEOPLE.releaser, pr, RELEASE_COMMAND);
    await playDeployer(run.player);
    expect(writes(run.standIn, from).filter((r) => r.route?.includes("assets"))).toEqual([]);
  });

  it("appends the window's close, replacing the asset without a moment without one", async () => {
    const from = run.standIn.requests.length;
    run.demo.repo.openIssue(PEOPLE.qa, {
      title: "Login loops after the fix",
      labels: ["regression"],
    });
    await settle(run.standIn, run.app);
    const doc = evidence() as Evidence;
    expect(doc.stages.at(-1)).toMatchObject({ stage: "window", state: "failed" });
    expect(validate(doc)).toBe(true);
    expect(assets().map((a) => a.name)).toEqual(["hotfix-evidence.json"]);
    expect(
      writes(run.standIn, from)
        .map((r) => `${r.method} ${r.route}`)
        .filter((r) => r.includes("assets")),
    ).toEqual([
      "POST /api/uploads/repos/{owner}/{repo}/releases/{release_id}/assets",
      "DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}",
      "PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}",
    ]);
  });
});

describe("time to restore", () => {
  it("is in the tracking comment", () => {
    expect(tracking()).toMatch(
      /⏱️ Time to restore: released \d+ s after the report \(#1\) · restored in production \d+ s after it/,
    );
  });

  it("is on /metrics, per repository", async () => {
    const text = await (await fetch(`${run.app.url}/metrics`)).text();
    expect(text).toMatch(
      /hotfix_bot_issue_to_release_seconds_count\{repository="acme\/shop"\} 1\b/,
    );
    expect(text).toMatch(
      /hotfix_bot_issue_to_production_seconds_count\{repository="acme\/shop"\} 1\b/,
    );
  });

  it("left the stand-in with no problem", () => {
    expect(run.standIn.problems()).toEqual([]);
  });
});
