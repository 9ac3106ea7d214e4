import { describe, expect, it } from "@jest/globals";
import { reviewerStances } from "../../src/gate/requirements/stances.js";
import { approvalsGiven } from "../../src/gate/requirements/approvals.js";
import { AUTHOR_ONLY } from "../../src/gate/requirements/writers.js";
import type { Membership } from "../../src/access/membership.js";
import { assignApprovers } from "../../src/gate/requirements/assignment.js";
import type { Review } from "../../src/github/model.js";
import { OLD, policy, pull, review } from "./fixtures.js";

const QA_OPS = {
  groups: [
    { name: "QA", teams: ["acme/qa"] },
    { name: "Operations", teams: ["acme/ops"], users: ["alice"] },
  ],
};

function membership(
  groups: Record<string, string[]>,
  problems: Record<string, string> = {},
): Membership {
  return {
    groupsOf: new Map(
      Object.entries(groups).map(([login, gs]) => [login.toLowerCase(), new Set(gs)]),
    ),
    problems: new Map(Object.entries(problems)),
  };
}

function evaluate(
  reviews: Review[],
  groups: Record<string, string[]>,
  approvals: object = QA_OPS,
  problems = {},
) {
  const p = policy({ approvals });
  const stances = reviewerStances(pull(), reviews, p.approvals.invalidate_on_push, AUTHOR_ONLY);
  return approvalsGiven(stances, membership(groups, problems), p);
}

const states = (results: ReturnType<typeof evaluate>) =>
  Object.fromEntries(results.map((r) => [r.title, r.state]));

describe("approval groups", () => {
  it("each group met by a member's approval", () => {
    const r = evaluate([review("qa1", "APPROVED"), review("alice", "APPROVED")], {
      qa1: ["QA"],
      alice: ["Operations"],
    });
    expect(states(r)).toEqual({ "QA approval": "met", "Operations approval": "met" });
    expect(r[0]?.reason).toBe("approved by @qa1");
  });

  it("waits with a reason naming the group and its members", () => {
    const r = evaluate([review("alice", "APPROVED")], { alice: ["Operations"] });
    expect(r[0]).toMatchObject({
      state: "waiting",
      reason: "Waiting for 1 approval from QA (acme/qa)",
    });
  });

  it("the PR author's own approval never counts", () => {
    const r = evaluate([review("dev", "APPROVED")], { dev: ["QA", "Operations"] });
    expect(states(r)).toEqual({ "QA approval": "waiting", "Operations approval": "waiting" });
    expect(r[0]?.reason).toMatch(/the PR author's own approval doesn't count/);
  });

  it("a bot's approval never counts", () => {
    const r = evaluate([review("renovate[bot]", "APPROVED", undefined, true)], {
      "renovate[bot]": ["QA"],
    });
    expect(r[0]).toMatchObject({
      state: "waiting",
      reason: expect.stringMatching(/bots don't count \(@renovate\[bot\]\)/),
    });
  });

  it("an approval on an older commit does not count with invalidate_on_push", () => {
    const r = evaluate([review("qa1", "APPROVED", OLD)], { qa1: ["QA"] });
    expect(r[0]).toMatchObject({
      state: "waiting",
      reason:
        "Waiting for 1 approval from QA (acme/qa); @qa1 approved an older commit, and approvals on older commits don't count",
    });
  });

  it("an approval on an older commit counts without invalidate_on_push", () => {
    const r = evaluate(
      [review("qa1", "APPROVED", OLD)],
      { qa1: ["QA"] },
      { ...QA_OPS, invalidate_on_push: false },
    );
    expect(r[0]?.state).toBe("met");
  });

  it("approve then request changes: the latest review wins and blocks the group", () => {
    const r = evaluate([review("qa1", "APPROVED"), review("qa1", "CHANGES_REQUESTED")], {
      qa1: ["QA"],
    });
    expect(r[0]).toMatchObject({
      state: "failed",
      reason:
        "@qa1 (QA) requested changes; the group is blocked until that review is dismissed or its author approves",
    });
  });

  it("request changes then approve: the approval stands", () => {
    const r = evaluate([review("qa1", "CHANGES_REQUESTED"), review("qa1", "APPROVED")], {
      qa1: ["QA"],
    });
    expect(r[0]?.state).toBe("met");
  });

  it("a later comment-only review does not cancel an approval", () => {
    const r = evaluate([review("qa1", "APPROVED"), review("qa1", "COMMENTED")], { qa1: ["QA"] });
    expect(r[0]?.state).toBe("met");
  });

  it("a dismissed review no longer counts, nor blocks", () => {
    const dismissedApproval = evaluate([review("qa1", "APPROVED"), review("qa1", "DISMISSED")], {
      qa1: ["QA"],
    });
    expect(dismissedApproval[0]?.state).toBe("waiting");
    const dismissedBlock = evaluate(
      [review("qa1", "CHANGES_REQUESTED"), review("qa1", "DISMISSED"), review("qa2", "APPROVED")],
      {
        qa1: ["QA"],
        qa2: ["QA"],
      },
    );
    expect(dismissedBlock[0]?.state).toBe("met");
  });

  it("changes requested by a non-member does not block the group", () => {
    const r = evaluate([review("stranger", "CHANGES_REQUESTED"), review("qa1", "APPROVED")], {
      stranger: [],
      qa1: ["QA"],
    });
    expect(r[0]?.state).toBe("met");
  });

  it("count: 2 needs two distinct people", () => {
    const approvals = { groups: [{ name: "QA", count: 2, teams: ["acme/qa"] }] };
    const one = evaluate(
      [review("qa1", "APPROVED"), review("qa1", "APPROVED")],
      { qa1: ["QA"] },
      approvals,
    );
    expect(one[0]).toMatchObject({
      state: "waiting",
      reason: "Waiting for 1 approval from QA (acme/qa); approved so far by @qa1",
    });
    const two = evaluate(
      [review("qa1", "APPROVED"), review("qa2", "APPROVED")],
      { qa1: ["QA"], qa2: ["QA"] },
      approvals,
    );
    expect(two[0]?.state).toBe("met");
  });

  it("the same person in two groups satisfies both without distinct_approvers", () => {
    const r = evaluate([review("bob", "APPROVED")], { bob: ["QA", "Operations"] });
    expect(states(r)).toEqual({ "QA approval": "met", "Operations approval": "met" });
  });

  it("the same person in two groups satisfies only one with distinct_approvers", () => {
    const r = evaluate(
      [review("bob", "APPROVED")],
      { bob: ["QA", "Operations"] },
      { ...QA_OPS, distinct_approvers: true },
    );
    expect(Object.values(states(r)).sort()).toEqual(["met", "waiting"]);
    const waitingRow = r.find((x) => x.state === "waiting");
    expect(waitingRow?.reason).toMatch(
      /@bob already counts for another group and one person may satisfy only one group/,
    );
  });

  it("2 people × 2 groups, both in both groups: distinct approvers satisfy both groups", () => {
    const r = evaluate(
      [review("bob", "APPROVED"), review("carol", "APPROVED")],
      { bob: ["QA", "Operations"], carol: ["QA", "Operations"] },
      {
        ...QA_OPS,
        distinct_approvers: true,
      },
    );
    expect(states(r)).toEqual({ "QA approval": "met", "Operations approval": "met" });
  });

  it("a team the app cannot read fails the group with what to do", () => {
    const r = evaluate([review("qa1", "APPROVED")], { qa1: [] }, QA_OPS, {
      QA: 'Team acme/qa does not exist or the app cannot see it: … "Members: read"',
    });
    expect(r[0]).toMatchObject({ state: "failed", reason: expect.stringMatching(/Members: read/) });
  });

  it("a group satisfied by a listed user passes even if a team is unreadable", () => {
    const r = evaluate([review("alice", "APPROVED")], { alice: ["Operations"] }, QA_OPS, {
      Operations: "Team acme/ops does not exist",
    });
    expect(r[1]?.state).toBe("met");
  });
});

describe("approver assignment", () => {
  const members = (o: Record<string, string[]>) =>
    new Map(Object.entries(o).map(([k, v]) => [k, new Set(v)]));
  const filled = (groups: { name: string; count: number }[], m: Record<string, string[]>) =>
    Object.fromEntries(assignApprovers(groups, members(m), true));

  it.each([
    // A greedy first fit gives alice to QA and leaves Ops empty; the matching moves her.
    [
      [
        { name: "QA", count: 1 },
        { name: "Ops", count: 1 },
      ],
      { alice: ["QA", "Ops"], bob: ["QA"] },
      { QA: ["bob"], Ops: ["alice"] },
    ],
    [
      [
        { name: "QA", count: 1 },
        { name: "Ops", count: 1 },
      ],
      { alice: ["QA", "Ops"] },
      { QA: ["alice"], Ops: [] },
    ],
    [
      [
        { name: "QA", count: 2 },
        { name: "Ops", count: 1 },
      ],
      { a: ["QA", "Ops"], b: ["QA", "Ops"], c: ["QA"] },
      { QA: ["a", "c"], Ops: ["b"] },
    ],
    [[{ name: "QA", count: 2 }], { a: ["QA"] }, { QA: ["a"] }],
    [
      [
        { name: "A", count: 1 },
        { name: "B", count: 1 },
        { name: "C", count: 1 },
      ],
      { x: ["A", "B"], y: ["B", "C"], z: ["A"] },
      { A: ["z"], B: ["x"], C: ["y"] },
    ],
  ])("%j with %j → %j", (groups, m, expected) => {
    const result = filled(groups, m);
    const seats = Object.values(result).reduce((n, l) => n + l.length, 0);
    const best = Object.values(expected).reduce((n, l) => n + l.length, 0);
    expect(seats).toBe(best);
    // every assignee is a member of the group, and nobody holds two seats
    const all = Object.entries(result).flatMap(([g, ls]) => ls.map((l) => [g, l] as const));
    for (const [g, l] of all) expect(m[l as keyof typeof m]).toContain(g);
    expect(new Set(all.map(([, l]) => l)).size).toBe(all.length);
  });

  it("without distinct approvers everyone counts for all their groups", () => {
    expect(
      Object.fromEntries(
        assignApprovers(
          [
            { name: "QA", count: 1 },
            { name: "Ops", count: 1 },
          ],
          members({ a: ["QA", "Ops"] }),
          false,
        ),
      ),
    ).toEqual({
      QA: ["a"],
      Ops: ["a"],
    });
  });
});
