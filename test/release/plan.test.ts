/**
 * `planRelease` is pure: the same facts give the same plan, for the real run and for --dry-run.
 * One row per decision it makes.
 */
import { describe, expect, it } from "@jest/globals";
import { hotfixRecord } from "../helpers/hotfix-record.js";
import { planRelease, type ReleaseFacts } from "../../src/release/plan.js";
import type { PullRequest } from "../../src/github/model.js";
import { policySchema } from "../../src/policy/schema.js";
import type { GateVerdict } from "../../src/gate/evaluate.js";

const HEAD = "h".repeat(40);
const MERGE = "m".repeat(40);

const pull = (over: Partial<PullRequest> = {}): PullRequest => ({
  number: 2,
  title: "Fix login",
  body: "",
  state: "open",
  merged: false,
  draft: false,
  author: { login: "dana", isBot: false },
  head: { ref: "hotfix/login", sha: HEAD, repoFullName: "acme/shop" },
  base: { ref: "release/1.4", sha: "b".repeat(40), repoFullName: "acme/shop" },
  labels: ["hotfix"],
  htmlUrl: "https://github.com/acme/shop/pull/2",
  mergeCommitSha: null,
  ...over,
});

const record = hotfixRecord;

const met: GateVerdict = { state: "success", headSha: HEAD, requirements: [] };
const choice = {
  ok: true as const,
  version: "1.4.3",
  tag: "v1.4.3",
  previousTag: "v1.4.2",
  line: "1.4.x",
  reason: "the next patch of 1.4.x after v1.4.2",
  alreadyTagged: false,
  tags: ["v1.4.2", "v2.0.0"],
};

function facts(over: Partial<ReleaseFacts> = {}, policy: object = {}): ReleaseFacts {
  return {
    pull: pull(),
    record: record(),
    verdict: met,
    choice,
    policy: policySchema.parse(policy),
    backports: { targets: ["main"], unmatched: [] },
    hotfix: { ok: true },
    ...over,
  };
}

describe("planRelease", () => {
  it("a fresh hotfix: merge at the judged head, create the next patch tag, publish not-Latest", () => {
    expect(planRelease(facts(), "mia")).toEqual({
      kind: "release",
      merge: { kind: "merge", method: "squash", headSha: HEAD, title: "Fix login (#2)" },
      tag: {
        kind: "create",
        tag: "v1.4.3",
        version: "1.4.3",
        message: "v1.4.3\n\nHotfix #2: Fix login",
        why: choice.reason,
      },
      publish: {
        kind: "publish",
        tag: "v1.4.3",
        version: "1.4.3",
        previousTag: "v1.4.2",
        line: "1.4.x",
        draft: false,
        latest: false, // v2.0.0 exists
      },
      requirements: [],
      backports: { targets: ["main"], unmatched: [] },
      deploy: false,
      alreadyReleased: false,
      override: null,
    });
  });

  it("marks the release Latest when it is the highest version", () => {
    const plan = planRelease(facts({ choice: { ...choice, tags: ["v1.4.2"] } }), "mia");
    expect(plan).toMatchObject({ kind: "release", publish: { latest: true } });
  });

  it("an already merged PR keeps its merge commit; a tag already on it is kept", () => {
    const plan = planRelease(
      facts({
        pull: pull({ merged: true, state: "closed", mergeCommitSha: MERGE }),
        choice: { ...choice, alreadyTagged: true },
      }),
      "mia",
    );
    expect(plan).toMatchObject({
      kind: "release",
      merge: { kind: "done", sha: MERGE },
      tag: { kind: "keep", tag: "v1.4.3" },
      publish: { kind: "publish" },
      alreadyReleased: false,
    });
  });

  it("a released hotfix: everything kept, nothing to do", () => {
    const plan = planRelease(
      facts({
        pull: pull({ merged: true, state: "closed", mergeCommitSha: MERGE }),
        record: record({
          merged: { sha: MERGE },
          tag: { name: "v1.4.3", version: "1.4.3", commitSha: MERGE },
          release: { url: "https://x/r", draft: false },
        }),
        verdict: null,
        choice: { ok: false, reason: "not needed" },
      }),
      "mia",
    );
    expect(plan).toMatchObject({
      kind: "release",
      merge: { kind: "done" },
      tag: { kind: "keep", tag: "v1.4.3" },
      publish: { kind: "keep", url: "https://x/r" },
      alreadyReleased: true,
    });
  });

  it.each<[string, Partial<ReleaseFacts>, object, RegExp]>([
    [
      "not a hotfix",
      { hotfix: { ok: false, reason: "this PR is not a hotfix" } },
      {},
      /^@mia this PR is not a hotfix/,
    ],
    [
      "closed without merging",
      { pull: pull({ state: "closed" }) },
      {},
      /closed without being merged; reopen it/,
    ],
    [
      "the gate unmet",
      {
        verdict: {
          state: "waiting",
          headSha: HEAD,
          requirements: [
            { id: "approval:QA", title: "QA approval", state: "waiting", reason: "Waiting for 1" },
          ],
        },
      },
      {},
      /not released: the hotfix policy is not met on hhhhhhh\. Missing:\n\n- ⏳ \*\*QA approval\*\*: Waiting for 1/,
    ],
    [
      "merge_method none and not merged",
      {},
      { release: { merge_method: "none" } },
      /`release.merge_method` is `none`, so the PR must be merged before releasing/,
    ],
    [
      "no version to patch",
      { choice: { ok: false, reason: "No release tag matching `v{version}` exists" } },
      {},
      /not released: No release tag matching/,
    ],
  ])("refuses: %s", (_, over, policy, reply) => {
    const plan = planRelease(facts(over, policy), "mia");
    expect(plan.kind).toBe("refuse");
    if (plan.kind === "refuse") expect(plan.reply).toMatch(reply);
  });
});
