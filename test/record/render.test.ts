import { describe, expect, it } from "@jest/globals";
import { hotfixRecord } from "../helpers/hotfix-record.js";
import { backportStage, renderRecord, stagesOf } from "../../src/record/render.js";
import { readStoredBlock } from "../../src/record/stored-block.js";
import {
  emptyStored,
  type BackportLine,
  type DeploymentFacts,
  type DeployOn,
  type HotfixRecord,
} from "../../src/record/schema.js";

const SHA = "99471ef0".padEnd(40, "0");

const record = hotfixRecord;

const released = (extra: Partial<HotfixRecord> = {}) =>
  record({
    merged: { sha: SHA },
    tag: { name: "v1.4.3", version: "1.4.3", commitSha: SHA },
    release: { url: "https://github.com/acme/shop/releases/tag/v1.4.3", draft: false },
    stored: {
      ...emptyStored(),
      release: { by: "mia", at: "2026-11-26T10:00:00Z", headSha: "10d740a".padEnd(40, "0") },
    },
    ...extra,
  });

function deployment(
  stage: "staging" | "production",
  states: Array<"in_progress" | "success" | "failure">,
): DeploymentFacts {
  return {
    id: stage === "staging" ? 1 : 2,
    ref: "v1.4.3",
    sha: SHA,
    environment: stage,
    createdAt: "2026-11-26T10:01:00Z",
    hotfix: { pr: 2, version: "1.4.3", tag: "v1.4.3", stage, requested_by: "mia" },
    statuses: states.map((state, i) => ({
      id: 10 + i,
      state,
      description: "",
      url: `https://deploy/${stage}`,
      createdAt: `2026-11-26T10:0${2 + i}:00Z`,
    })),
  };
}

function deployOn(overrides: Partial<DeployOn> = {}): DeployOn {
  return {
    kind: "on",
    environments: { staging: "staging", production: "production" },
    promote: "manual",
    requiredContexts: [],
    monitorMinutes: 60,
    watching: "failures reported on the production deployment",
    staging: null,
    production: null,
    window: null,
    rollback: null,
    revertPull: null,
    ...overrides,
  };
}

const ids = (r: HotfixRecord) => stagesOf(r).map((s) => `${s.id}: ${s.stage.state}`);

describe("the tracking comment, a rendering of the record", () => {
  it("shows nothing for a PR hotfix-bot has not acted on", () => {
    expect(stagesOf(record())).toEqual([]);
  });

  it("lists the lifecycle in order, keeps its stored block, and renders the same record the same way", () => {
    const r = released({
      backports: [
        { target: "release/1.3", branch: null, pull: null, note: { kind: "queued", at: "t" } },
        {
          target: "main",
          branch: "backport/2-to-main",
          pull: { number: 3, url: "u3", state: "open", merged: false, draft: false, labels: [] },
          note: null,
        },
      ],
      deploy: deployOn({ staging: deployment("staging", ["in_progress", "success"]) }),
    });
    expect(ids(r)).toEqual([
      "gate: done",
      "merge: done",
      "tag: done",
      "release: done",
      "backport:main: done",
      "backport:release/1.3: pending",
      "deploy:staging: done",
      "deploy:production: pending", // promote: manual — waiting for /promote-hotfix
    ]);
    const body = renderRecord(r);
    expect(body).toContain("- [x] ✅ **Tagged** — `v1.4.3` on 99471ef");
    expect(body).toContain("waiting for `/promote-hotfix`");
    expect(readStoredBlock(body)).toEqual(r.stored);
    expect(renderRecord(structuredClone(r))).toBe(body);
  });

  it("shows a stored failure only while GitHub does not show the step done", () => {
    const failed = released({
      tag: null,
      release: null,
      stored: {
        ...emptyStored(),
        release: { by: "mia", at: "t", headSha: "" },
        releaseFailure: { step: "tag", reason: "the tag exists elsewhere", at: "t" },
      },
    });
    expect(ids(failed)).toEqual(["gate: done", "merge: done", "tag: failed", "release: pending"]);
    const fixed = released({ stored: failed.stored });
    expect(ids(fixed)).toEqual(["gate: done", "merge: done", "tag: done", "release: done"]);
  });

  it("says deploying is skipped when the policy has no deploy: section", () => {
    expect(ids(released({ deploy: { kind: "off" } })).at(-1)).toBe("deploy: skipped");
  });

  it("a production that never went live, a closed window and a rollback", () => {
    const r = released({
      deploy: deployOn({
        promote: "auto",
        staging: deployment("staging", ["success"]),
        production: deployment("production", ["failure"]),
      }),
      stored: {
        ...released().stored,
        window: {
          state: "failed",
          at: "2026-11-26T10:02:00Z",
          what: "the production deployment never succeeded",
          link: null,
        },
        rollback: { by: "mia", at: "t", previousTag: "v1.4.2" },
      },
    });
    expect(ids(r).slice(-4)).toEqual([
      "deploy:staging: done",
      "deploy:production: failed",
      "monitor: failed",
      "rollback: pending",
    ]);
    expect(renderRecord(r)).toContain(
      "hotfix failed at 2026-11-26 10:02 UTC: the production deployment never succeeded. Comment `/rollback-hotfix`",
    );
  });
});

describe("a backport target's line", () => {
  const pull = (over: Partial<NonNullable<BackportLine["pull"]>>) => ({
    number: 3,
    url: "u",
    state: "open" as const,
    merged: false,
    draft: false,
    labels: [],
    ...over,
  });
  it.each<[string, BackportLine, string, string]>([
    ["an open PR", { target: "main", branch: "b", pull: pull({}), note: null }, "done", "#3"],
    [
      "a merged PR",
      { target: "main", branch: "b", pull: pull({ merged: true, state: "closed" }), note: null },
      "done",
      "#3 merged",
    ],
    [
      "a PR closed unmerged",
      { target: "main", branch: "b", pull: pull({ state: "closed" }), note: null },
      "skipped",
      "#3 was closed without merging",
    ],
    [
      "a draft with conflicts",
      { target: "main", branch: "b", pull: pull({ draft: true }), note: null },
      "pending",
      "draft #3 has conflicts for a human to resolve",
    ],
    [
      "a PR wins over an older note",
      {
        target: "main",
        branch: "b",
        pull: pull({}),
        note: { kind: "failed", reason: "x", at: "t" },
      },
      "done",
      "#3",
    ],
    [
      "already on the target",
      {
        target: "main",
        branch: null,
        pull: null,
        note: { kind: "already-present", reason: "same", at: "t" },
      },
      "done",
      "already on `main`: same",
    ],
    [
      "a failure",
      {
        target: "main",
        branch: null,
        pull: null,
        note: { kind: "failed", reason: "boom", at: "t" },
      },
      "failed",
      "boom",
    ],
    [
      "a branch without a PR (a run interrupted between the two)",
      { target: "main", branch: "backport/2-to-main", pull: null, note: null },
      "failed",
      "the branch `backport/2-to-main` exists but no PR was opened (the run was interrupted): comment `/backport main` to finish",
    ],
    [
      "a pattern matching no branch",
      { target: "release/9.*", branch: null, pull: null, note: { kind: "no-branch", at: "t" } },
      "skipped",
      "no branch matches `release/9.*` (policy `backport.branches`)",
    ],
  ])("%s", (_, line, state, text) => {
    expect(backportStage(line)).toMatchObject({ state, text });
  });
});
