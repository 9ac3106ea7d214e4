import { describe, expect, it } from "@jest/globals";
import type { BranchRule, BranchRules } from "../../src/github/port/rules.js";
import type { CheckRun, Review } from "../../src/github/model.js";
import { foreseeRules, type ForeseeFacts } from "../../src/rules/foresee.js";

const HEAD = "h".repeat(40);
const OLD = "o".repeat(40);

const review = (login: string, state: Review["state"], commitId = HEAD): Review => ({
  id: Math.floor(Math.random() * 1e6),
  reviewer: { login, isBot: false } as unknown as Review["reviewer"],
  state,
  commitId,
  submittedAt: "2026-11-27T10:00:00Z",
});

const run = (name: string, conclusion: string | null, appId = 15368): CheckRun => ({
  id: 1,
  name,
  status: conclusion === null ? "in_progress" : "completed",
  conclusion,
  url: null,
  appId,
  appSlug: "github-actions",
  startedAt: null,
  output: { title: null, summary: null },
});

const ruleset = (
  rule: Partial<BranchRule> & Pick<BranchRule, "kind">,
  bypass = "never",
): BranchRule =>
  ({ source: 'ruleset "Release lines"', rulesetId: 7, bypass, ...rule }) as BranchRule;

function facts(rules: BranchRule[], more: Partial<ForeseeFacts> = {}): ForeseeFacts {
  const read: BranchRules = { branch: "release/1.4", rules, unreadable: [] };
  return {
    rules: read,
    pull: {
      head: { ref: "hotfix/x", sha: HEAD, repoFullName: "acme/shop" },
      author: { login: "dana", type: "User" } as never,
    },
    reviews: [],
    checkRuns: [],
    statuses: [],
    method: "squash",
    policyRequires: (name) => name === "build",
    ...more,
  };
}

const one = (f: ForeseeFacts) => {
  const found = foreseeRules(f);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe("GitHub's rules foreseen", () => {
  it("unreadable rules are a waiting requirement naming the permission — never read as no rules", () => {
    const f = facts([]);
    f.rules.unreadable.push({
      what: "branch protection",
      status: 403,
      message: "Resource not accessible by integration",
      permission: "Administration: read",
    });
    const found = one(f);
    expect(found).toMatchObject({ id: "rules:unreadable:protection", state: "waiting" });
    expect(found.reason).toMatch(
      /could not read the branch protection of `release\/1.4` \(GitHub answered 403/,
    );
    expect(found.fix).toMatch(/Administration: read/);
  });

  it("with `release.unreadable_rules: warn` an unreadable rule is a warning that says so", () => {
    const f = facts([], { unreadable: "warn" });
    f.rules.unreadable.push({
      what: "rulesets",
      status: 404,
      message: "Not Found",
      permission: "Metadata: read",
    });
    const found = one(f);
    expect(found).toMatchObject({ id: "rules:unreadable:rulesets", state: "warning" });
    expect(found.reason).toMatch(
      /does not assume there are none \(`release.unreadable_rules: warn`/,
    );
  });

  it.each([
    // [approvals given, count, dismiss stale, bypass, state]
    [["quinn"], 2, false, "never", "waiting"],
    [["quinn", "olga"], 2, false, "never", "met"],
    [["quinn"], 2, false, "always", "met"],
    [["quinn"], 2, false, "pull_requests_only", "met"],
    [["quinn"], 2, false, "unknown", "waiting"],
    [[], 0, false, "never", null],
  ] as const)(
    "approving reviews: %j of %i (stale dismissed: %s, bypass %s) → %s",
    (logins, count, dismissStale, bypass, state) => {
      const f = facts([ruleset({ kind: "reviews", count, dismissStale }, bypass)], {
        reviews: logins.map((l) => review(l, "APPROVED")),
      });
      const found = foreseeRules(f);
      if (state === null) return expect(found).toEqual([]);
      expect(found[0]).toMatchObject({ id: "rules:reviews", state });
      if (state === "waiting")
        expect(found[0]!.fix).toMatch(
          /add hotfix-bot as a bypass actor of ruleset "Release lines"/,
        );
    },
  );

  it("GitHub counts each reviewer's latest decision once, never the author, stale ones when dismissed", () => {
    const reviews = [
      review("quinn", "APPROVED"),
      review("quinn", "APPROVED"),
      review("olga", "APPROVED"),
      review("olga", "CHANGES_REQUESTED"),
      review("dana", "APPROVED"),
      review("mia", "APPROVED", OLD),
      review("rita", "COMMENTED"),
    ];
    expect(
      one(facts([ruleset({ kind: "reviews", count: 3, dismissStale: false })], { reviews })).reason,
    ).toMatch(/the PR has 2/);
    expect(
      one(facts([ruleset({ kind: "reviews", count: 3, dismissStale: true })], { reviews })).reason,
    ).toMatch(/the PR has 1/);
  });

  it.each([
    // required by GitHub, runs → state
    [["build"], [], null],
    [["build", "security-scan"], [], "waiting"],
    [["security-scan"], [run("security-scan", null)], "waiting"],
    [["security-scan"], [run("security-scan", "failure")], "failed"],
    [["security-scan"], [run("security-scan", "success")], "met"],
    [["security-scan"], [run("security-scan", "success", 99)], "met"],
  ] as const)(
    "required checks %j the policy does not list, reported %j → %s",
    (names, runs, state) => {
      const f = facts(
        [ruleset({ kind: "checks", checks: names.map((context) => ({ context, appId: null })) })],
        {
          checkRuns: [...runs],
        },
      );
      const found = foreseeRules(f);
      if (state === null) return expect(found).toEqual([]);
      expect(found[0]).toMatchObject({ id: "rules:checks", state });
      expect(found[0]!.reason).not.toMatch(/`build`/);
    },
  );

  it("a check required from one app is not satisfied by another app's run of that name", () => {
    const f = facts(
      [ruleset({ kind: "checks", checks: [{ context: "security-scan", appId: 15368 }] })],
      {
        checkRuns: [run("security-scan", "success", 99)],
      },
    );
    expect(one(f).state).toBe("waiting");
  });

  it.each([
    ["signatures", "squash", "met"],
    ["signatures", "merge", "warning"],
    ["signatures", "rebase", "failed"],
    ["linear-history", "squash", "met"],
    ["linear-history", "rebase", "met"],
    ["linear-history", "merge", "failed"],
  ] as const)("%s with merge_method %s → %s", (kind, method, state) => {
    const found = one(facts([ruleset({ kind })], { method }));
    expect(found.state).toBe(state);
    if (state === "failed") expect(found.fix).toMatch(/release\.merge_method: squash/);
  });

  it.each([
    ["never", false, "failed"],
    ["unknown", false, "failed"],
    ["always", false, "met"],
    ["never", true, "met"],
  ] as const)(
    "a required merge queue, bypass %s, queue support %s → %s",
    (bypass, mergeQueue, state) => {
      const found = one(
        facts([ruleset({ kind: "merge-queue", method: "SQUASH" }, bypass)], { mergeQueue }),
      );
      expect(found.state).toBe(state);
      if (state === "failed") {
        expect(found.reason).toMatch(/Changes must be made through the merge queue/);
        expect(found.fix).toMatch(/Add hotfix-bot as a bypass actor/);
      }
    },
  );

  it("classic protection's fix says to exempt the app, not to add a bypass actor", () => {
    const rule = {
      kind: "linear-history",
      source: "branch protection",
      rulesetId: null,
      bypass: "never",
    } as BranchRule;
    expect(one(facts([rule], { method: "merge" })).fix).toMatch(
      /exempt hotfix-bot from the branch protection/,
    );
  });
});
