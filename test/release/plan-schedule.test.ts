/**
 * The release plan and the release schedule, as a table: released, refused with what may be
 * done, queued, or released by an override that is recorded — decided from the final check's
 * verdict and what the person asked for (an authorised override, the queue).
 */
import { describe, expect, it } from "@jest/globals";
import { hotfixRecord } from "../helpers/hotfix-record.js";
import { planRelease, type ReleaseFacts, type ScheduleRequest } from "../../src/release/plan.js";
import { policySchema, type PolicyInput } from "../../src/policy/schema.js";
import { emptyStored, type HotfixRecord } from "../../src/record/schema.js";
import type { GateVerdict } from "../../src/gate/evaluate.js";
import type { RequirementResult } from "../../src/gate/requirement.js";
import { pull as pullOf } from "../gate/fixtures.js";

const HEAD = "a".repeat(40);
const CLOSED =
  "release window opens Mon 09:00 Europe/Berlin (release windows for `release/1.4`: Mon–Thu 09:00–16:00 Europe/Berlin)";

const scheduleRow = (state: "met" | "waiting"): RequirementResult => ({
  id: "schedule",
  title: "Release schedule",
  state,
  reason:
    state === "met" ? "inside the release window (Mon–Thu 09:00–16:00 Europe/Berlin)" : CLOSED,
});
const qaWaiting: RequirementResult = {
  id: "approval:QA",
  title: "QA approval",
  state: "waiting",
  reason: "Waiting for 1 approval from QA (acme/qa)",
};

function verdict(rows: RequirementResult[]): GateVerdict {
  const open = rows.every((r) => r.state === "met");
  return {
    state: open ? "success" : "waiting",
    headSha: HEAD,
    requirements: rows,
    schedule: open
      ? { open: true, reason: "inside" }
      : {
          open: false,
          cause: "window",
          reason: CLOSED,
          opensAt: "2026-11-30T08:00:00.000Z",
          opensText: "Mon 09:00 Europe/Berlin",
        },
  };
}

const record = (over: Partial<HotfixRecord> = {}): HotfixRecord =>
  hotfixRecord({
    pr: 7,
    url: "https://github.com/acme/api/pull/7",
    title: "Fix crash on empty cart",
    author: "dev",
    ...over,
  });

const WITH_OVERRIDE: PolicyInput = {
  schedule: {
    timezone: "Europe/Berlin",
    windows: [{ days: ["mon-thu"], hours: "09:00-16:00" }],
    override: { teams: ["acme/oncall"] },
  },
};

function facts(
  rows: RequirementResult[],
  over: Partial<ReleaseFacts> = {},
  policy: PolicyInput = WITH_OVERRIDE,
): ReleaseFacts {
  return {
    pull: pullOf(),
    record: record(),
    verdict: verdict(rows),
    choice: {
      ok: true,
      version: "1.4.3",
      tag: "v1.4.3",
      previousTag: "v1.4.2",
      line: "1.4.x",
      reason: "the next patch",
      alreadyTagged: false,
      tags: ["v1.4.2"],
    },
    policy: policySchema.parse(policy),
    backports: { targets: [], unmatched: [] },
    hotfix: { ok: true },
    ...over,
  };
}

const GRANT: ScheduleRequest = {
  override: { reason: "payments are down", rule: "acme/oncall", via: "member of acme/oncall" },
};

/** The plan in one word, with what a test compares. */
function outcome(plan: ReturnType<typeof planRelease>) {
  switch (plan.kind) {
    case "release":
      return { kind: "release", override: plan.override };
    case "queue":
      return { kind: "queue", headSha: plan.headSha, opens: plan.opens };
    case "refuse":
      return { kind: "refuse", reason: plan.reason };
  }
}

describe("the release plan under the release schedule", () => {
  it.each<
    [
      string,
      RequirementResult[],
      ScheduleRequest,
      Partial<ReleaseFacts>,
      ReturnType<typeof outcome>,
    ]
  >([
    [
      "inside the window: released, nothing overridden",
      [scheduleRow("met")],
      {},
      {},
      { kind: "release", override: null },
    ],
    [
      "inside the window, with an override granted: nothing to override, none recorded",
      [scheduleRow("met")],
      GRANT,
      {},
      { kind: "release", override: null },
    ],
    [
      "outside the window: refused",
      [scheduleRow("waiting")],
      {},
      {},
      { kind: "refuse", reason: "outside the release schedule" },
    ],
    [
      "outside the window with an override granted: released, the override recorded",
      [scheduleRow("waiting")],
      GRANT,
      {},
      {
        kind: "release",
        override: {
          by: "mia",
          reason: "payments are down",
          rule: "acme/oncall",
          via: "member of acme/oncall",
          closed: CLOSED,
        },
      },
    ],
    [
      "an override does not pass a missing approval",
      [scheduleRow("waiting"), qaWaiting],
      GRANT,
      {},
      { kind: "refuse", reason: "gate unmet: approval:QA" },
    ],
    [
      "outside the window, asked to queue: queued on the judged head",
      [scheduleRow("waiting")],
      { queue: true },
      {},
      { kind: "queue", headSha: HEAD, opens: "Mon 09:00 Europe/Berlin" },
    ],
    [
      "a queue does not wait for a missing approval",
      [scheduleRow("waiting"), qaWaiting],
      { queue: true },
      {},
      { kind: "refuse", reason: "gate unmet: schedule, approval:QA" },
    ],
    [
      "a merged PR (merge_method none) cannot be queued",
      [scheduleRow("waiting")],
      { queue: true },
      { pull: pullOf({ state: "closed", merged: true, mergeCommitSha: "m".repeat(40) }) },
      { kind: "refuse", reason: "outside the release schedule" },
    ],
    [
      "a release this app started (merged) is finished outside the window, with no override",
      [scheduleRow("waiting")],
      {},
      {
        pull: pullOf({ state: "closed", merged: true, mergeCommitSha: "m".repeat(40) }),
        record: record({
          merged: { sha: "m".repeat(40) },
          stored: {
            ...emptyStored(),
            release: { by: "mia", at: "2026-11-26T10:00:00Z", headSha: HEAD },
          },
        }),
      },
      { kind: "release", override: null },
    ],
  ])("%s", (_name, rows, request, over, expected) => {
    expect(outcome(planRelease(facts(rows, over), "mia", request))).toEqual(expected);
  });

  it("a refusal says when it opens, how to queue, and who may override", () => {
    const plan = planRelease(facts([scheduleRow("waiting")]), "mia");
    expect(plan.kind === "refuse" && plan.reply).toBe(
      [
        `@mia not released: the release schedule is closed for \`release/1.4\` — ${CLOSED}.`,
        "",
        "- Comment `/release-hotfix --when-open` to release it when the schedule opens (the final check is made again first).",
        '- `/release-hotfix --override "reason"` releases it now, recorded with the reason; that is allowed to acme/oncall (policy key `schedule.override`).',
      ].join("\n"),
    );
  });

  it("without an override rule, the refusal says that no one may release outside the schedule", () => {
    const plan = planRelease(
      facts(
        [scheduleRow("waiting")],
        {},
        { schedule: { windows: [{ days: ["mon"], hours: "09:00-10:00" }] } },
      ),
      "mia",
    );
    expect(plan.kind === "refuse" && plan.reply).toContain(
      "- No one may release outside the schedule: the policy has no `schedule.override`.",
    );
  });
});
