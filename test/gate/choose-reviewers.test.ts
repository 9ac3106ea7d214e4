/** Whom to ask for a review, as a pure function: one row per rule. */
import { describe, expect, it } from "@jest/globals";
import { chooseReviewers } from "../../src/gate/choose-reviewers.js";
import type { RequirementResult } from "../../src/gate/requirement.js";
import { AUTHOR_ONLY, type Writers } from "../../src/gate/requirements/writers.js";
import type { PolicyInput } from "../../src/policy/schema.js";
import { HEAD, OLD, policy, pull, review } from "./fixtures.js";

const groups: PolicyInput = {
  approvals: {
    groups: [
      { name: "QA", teams: ["acme/qa"], users: ["quinn", "dev", "ci-bot[bot]"] },
      { name: "Operations", teams: ["acme/ops", "partner/sre"], users: ["olga"] },
      { name: "Admins", permission: "admin" },
    ],
  },
};

const state = (id: string, s: RequirementResult["state"]): RequirementResult => ({
  id,
  title: id,
  state: s,
  reason: "",
});

const allWaiting = [
  state("approval:QA", "waiting"),
  state("approval:Operations", "waiting"),
  state("approval:Admins", "waiting"),
];

function choose(
  over: {
    input?: PolicyInput;
    requirements?: RequirementResult[];
    pull?: Parameters<typeof pull>[0];
    reviews?: ReturnType<typeof review>[];
    writers?: Writers;
  } = {},
) {
  return chooseReviewers({
    policy: policy(over.input ?? groups),
    requirements: over.requirements ?? allWaiting,
    pull: pull({ author: { login: "dev", isBot: false }, ...over.pull }),
    reviews: over.reviews ?? [],
    writers: over.writers ?? AUTHOR_ONLY,
    org: "acme",
  });
}

describe("chooseReviewers", () => {
  it("asks every team and user of each missing group — never the author or a bot", () => {
    expect(choose()).toEqual({
      users: ["olga", "quinn"],
      teams: ["ops", "qa"],
      notes: [
        "Operations: team partner/sre is not a team of acme, and GitHub asks only the repository's own teams",
        "Admins: the group names no team or user to ask (only a permission)",
      ],
    });
  });

  it("asks only for groups that are waiting: not met, not failed (a blocked group waits for its blocker)", () => {
    const r = choose({
      requirements: [
        state("approval:QA", "met"),
        state("approval:Operations", "failed"),
        state("approval:Admins", "met"),
      ],
    });
    expect(r).toEqual({ users: [], teams: [], notes: [] });
  });

  it("never asks again who is already asked, user or team (case aside)", () => {
    const r = choose({ pull: { requestedReviewers: ["Quinn"], requestedTeams: ["QA"] } });
    expect([r.users, r.teams]).toEqual([["olga"], ["ops"]]);
  });

  it("never asks someone who reviewed this head commit; one who reviewed an older commit is asked again", () => {
    const r = choose({
      reviews: [review("quinn", "COMMENTED", HEAD), review("olga", "APPROVED", OLD)],
    });
    expect(r.users).toEqual(["olga"]);
  });

  it("on a PR a bot opened, never asks who wrote its commits (case aside); on a person's PR, they are asked", () => {
    const bot = { author: { login: "hotfix-bot[bot]", isBot: true } };
    const writers: Writers = { logins: ["Quinn"] };
    expect(choose({ pull: bot, writers }).users).toEqual(["dev", "olga"]);
    expect(choose({ pull: bot }).users).toEqual(["dev", "olga", "quinn"]);
    expect(choose({ writers }).users).toEqual(["olga", "quinn"]);
  });

  it("asks nobody on a draft, on a closed PR, or when approvals.request_reviews is false", () => {
    expect(choose({ pull: { draft: true } }).teams).toEqual([]);
    expect(choose({ pull: { state: "closed" } }).teams).toEqual([]);
    const off = { approvals: { ...groups.approvals, request_reviews: false } };
    expect(choose({ input: off })).toEqual({ users: [], teams: [], notes: [] });
  });
});
