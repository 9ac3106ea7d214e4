import { describe, it, expect } from "@jest/globals";
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { buildEvidence, stagesLabel, withStages } from "../../src/evidence/build.js";
import { incidentIssueOf } from "../../src/evidence/at-release.js";
import { evidenceJsonSchema, type EvidenceStage } from "../../src/evidence/schema.js";
import { uploadUrlFor } from "../../src/github/octokit/release-assets.js";
import type { CheckRun, CommitStatus, PullRequest, Review } from "../../src/github/model.js";
import { policySchema } from "../../src/policy/schema.js";

const HEAD = "1".repeat(40);
const OLD = "2".repeat(40);
const pull: PullRequest = {
  number: 2,
  title: "Fix login crash",
  body: "Fixes #1",
  state: "open",
  merged: false,
  draft: false,
  author: { login: "dana", isBot: false },
  head: { ref: "hotfix/1-login", sha: HEAD, repoFullName: "acme/shop" },
  base: { ref: "release/1.4", sha: OLD, repoFullName: "acme/shop" },
  labels: ["hotfix"],
  htmlUrl: "https://github.com/acme/shop/pull/2",
  mergeCommitSha: null,
};
const review = (login: string, state: Review["state"], commitId: string, at: string): Review => ({
  id: at.length + login.length,
  reviewer: { login, isBot: false },
  state,
  commitId,
  submittedAt: at,
});
const run = (name: string, conclusion: string, appSlug: string): CheckRun => ({
  id: 1,
  name,
  status: "completed",
  conclusion,
  url: `https://ci.example/${name}`,
  appId: 1,
  appSlug,
  startedAt: null,
  output: { title: null, summary: null },
});
const statusOf = (context: string): CommitStatus => ({
  context,
  state: "success",
  url: null,
  creator: "ci[bot]",
  updatedAt: null,
});

const policy = policySchema.parse({ checks: { required: ["build", "lint*"] } });
const released: EvidenceStage = {
  stage: "released",
  state: "released",
  at: "2026-11-27T10:00:00Z",
};

function build() {
  return buildEvidence({
    repository: "acme/shop",
    pull,
    headSha: HEAD,
    incident: {
      issue: 1,
      url: "https://github.com/acme/shop/issues/1",
      openedAt: "2026-11-27T09:00:00Z",
    },
    policy: {
      path: ".github/hotfix.yml",
      blobSha: "3".repeat(40),
      files: ["acme/shop:.github/hotfix.yml"],
    },
    release: {
      tag: "v1.4.3",
      version: "1.4.3",
      commitSha: "4".repeat(40),
      url: "https://github.com/acme/shop/releases/tag/v1.4.3",
      by: "mia",
      command: "/release-hotfix",
      at: "2026-11-27T10:00:00Z",
    },
    override: null,
    requirements: [
      { id: "target", title: "Base branch", state: "met", reason: "ok" },
      {
        id: "approval:QA",
        title: "QA approval",
        state: "met",
        reason: "ok",
        approvedBy: ["Quinn"],
      },
      {
        id: "approval:Ops",
        title: "Ops approval",
        state: "met",
        reason: "ok",
        approvedBy: ["olga", "quinn"],
      },
    ],
    reviews: [
      review("quinn", "APPROVED", OLD, "2026-11-27T09:10:00Z"),
      review("quinn", "APPROVED", HEAD, "2026-11-27T09:30:00Z"),
      review("olga", "APPROVED", HEAD, "2026-11-27T09:40:00Z"),
      // Approved, but counted for no group: not evidence of an approval that counted.
      review("rita", "APPROVED", HEAD, "2026-11-27T09:45:00Z"),
      review("olga", "COMMENTED", HEAD, "2026-11-27T09:50:00Z"),
    ],
    checkRuns: [
      run("build", "success", "ci"),
      run("docs", "success", "ci"),
      run("lint-js", "success", "ci"),
    ],
    statuses: [statusOf("lint-css"), statusOf("deploy-preview")],
    checksPolicy: policy,
    stages: [released],
  });
}

describe("buildEvidence", () => {
  it("names each approval that counted once, with its groups, commit and time", () => {
    expect(build().approvals).toEqual([
      { login: "olga", groups: ["Ops"], commitSha: HEAD, at: "2026-11-27T09:40:00Z" },
      { login: "quinn", groups: ["QA", "Ops"], commitSha: HEAD, at: "2026-11-27T09:30:00Z" },
    ]);
  });

  it("lists only the required checks, runs and statuses, by name", () => {
    expect(build().checks.map((c) => `${c.name}:${c.kind}:${c.app}`)).toEqual([
      "build:check_run:ci",
      "lint-css:status:ci[bot]",
      "lint-js:check_run:ci",
    ]);
  });

  it("validates against the generated JSON Schema, and the committed one is current", () => {
    const schema = evidenceJsonSchema();
    expect(JSON.parse(readFileSync("schema/hotfix-evidence.schema.json", "utf8"))).toEqual(schema);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(build())).toBe(true);
    expect(validate({ ...build(), stages: [] })).toBe(false);
    expect(validate({ ...build(), release: { ...build().release, commitSha: "abc" } })).toBe(false);
  });
});

describe("stages", () => {
  const staging: EvidenceStage = {
    stage: "staging",
    state: "success",
    at: "t",
    environment: "staging",
  };
  const failed: EvidenceStage = { stage: "window", state: "failed", at: "t" };
  it.each([
    [[released], "Hotfix evidence: released"],
    [[released, staging], "Hotfix evidence: released, staging success"],
    [[released, staging, failed], "Hotfix evidence: released, staging success, window failed"],
  ])("label of %j", (stages, label) => expect(stagesLabel(stages)).toBe(label));

  it("withStages keeps the document's own release and replaces what follows", () => {
    const doc = { ...build(), stages: [released, staging] };
    const later = withStages(doc, [{ ...released, at: "other" }, staging, failed]);
    expect(later.stages).toEqual([released, staging, failed]);
    expect(later.release).toEqual(doc.release);
  });
});

describe("incidentIssueOf", () => {
  const repo = { owner: "acme", repo: "shop" };
  it.each([
    ["Fixes #12", 12],
    ["Fixes acme/shop#7 and #9", 7],
    ["Fixes ACME/Shop#7", 7],
    ["Fixes other/repo#3, then #4", 4],
    ["see https://github.com/acme/shop/issues/41", 41],
    ["no reference", null],
    ["`#12` in code", null],
  ])("%j → %j", (text, issue) => expect(incidentIssueOf(text, repo)).toBe(issue));
});

describe("uploadUrlFor: uploads go to the uploads host", () => {
  it.each([
    [
      "https://api.github.com",
      "https://uploads.github.com/repos/acme/shop/releases/5/assets{?name,label}",
    ],
    [
      "https://ghe.example/api/v3",
      "https://ghe.example/api/uploads/repos/acme/shop/releases/5/assets{?name,label}",
    ],
    [
      "http://127.0.0.1:9/api/v3/",
      "http://127.0.0.1:9/api/uploads/repos/acme/shop/releases/5/assets{?name,label}",
    ],
  ])("%s", (base, url) => expect(uploadUrlFor(base, { owner: "acme", repo: "shop" }, 5)).toBe(url));
});
