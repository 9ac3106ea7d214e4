/**
 * Who wrote a PR a bot opened — the GitHub users of its commits — and why their own approval
 * doesn't count, as pure functions: one row per rule.
 */
import { describe, expect, it } from "@jest/globals";
import { approvalsGiven } from "../../src/gate/requirements/approvals.js";
import { loginsToResolve, reviewerStances } from "../../src/gate/requirements/stances.js";
import {
  AUTHOR_ONLY,
  unreadableCommits,
  writersOf,
  type Writers,
} from "../../src/gate/requirements/writers.js";
import type { Membership } from "../../src/access/membership.js";
import type { Actor, Review } from "../../src/github/model.js";
import type { CommitInfo } from "../../src/github/port/git.js";
import { policy, pull, review } from "./fixtures.js";

const BOT_PULL = pull({ author: { login: "hotfix-bot[bot]", isBot: true } });
const HUMAN_PULL = pull({ author: { login: "dev", isBot: false } });
const QA = policy({ approvals: { groups: [{ name: "QA", teams: ["acme/qa"] }] } });
const MEMBERS: Membership = {
  groupsOf: new Map(["dana", "quinn", "dev"].map((l) => [l, new Set(["QA"])])),
  problems: new Map(),
};

const user = (login: string, isBot = false): Actor => ({ login, isBot });

function commit(author: Actor | null, committer: Actor | null = author): CommitInfo {
  return {
    sha: "1".repeat(40),
    treeSha: "2".repeat(40),
    parentShas: [],
    message: "Fix",
    author: null,
    authorUser: author,
    committerUser: committer,
  };
}

function judge(p: typeof BOT_PULL, reviews: Review[], writers: Writers) {
  const stances = reviewerStances(p, reviews, true, writers);
  const [qa] = approvalsGiven(stances, MEMBERS, QA);
  return { stances, qa };
}

describe("writersOf: the GitHub users of a bot's PR's commits", () => {
  it.each<[string, CommitInfo[], string[]]>([
    [
      "the author, not GitHub's web-flow committer",
      [commit(user("dana"), user("web-flow"))],
      ["dana"],
    ],
    ["author and committer both", [commit(user("alice"), user("Dana"))], ["alice", "Dana"]],
    ["each person once, case aside", [commit(user("Dana")), commit(user("dana"))], ["Dana"]],
    ["no one when GitHub matched no user", [commit(null, null)], []],
    ["never a bot", [commit(user("renovate[bot]", true), user("web-flow"))], []],
    ["WEB-FLOW in any case", [commit(user("dana"), user("Web-Flow"))], ["dana"]],
    ["no commits, no one", [], []],
  ])("%s", (_, commits, logins) => {
    expect(writersOf(commits)).toEqual({ logins });
  });

  it("250 commits or more: GitHub lists no more, so who wrote the rest is unknown", () => {
    const many = Array.from({ length: 250 }, () => commit(user("quinn")));
    expect(writersOf(many)).toEqual({
      unreadable: expect.stringContaining("GitHub lists only the first 250 commits"),
    });
    expect(writersOf(many.slice(1))).toEqual({ logins: ["quinn"] });
  });
});

describe("reviewerStances with the writers of a bot's PR", () => {
  it("a commit author's approval of a PR a bot opened doesn't count, and the reason names them", () => {
    const { stances, qa } = judge(BOT_PULL, [review("dana", "APPROVED")], { logins: ["dana"] });
    expect(stances.stances).toEqual([]);
    expect(stances.ignored.writers).toEqual(["dana"]);
    expect(qa).toMatchObject({
      state: "waiting",
      reason:
        "Waiting for 1 approval from QA (acme/qa); @dana wrote commits of this PR, which a bot opened: their own approval doesn't count",
    });
  });

  it("another member's approval counts beside it", () => {
    const { stances, qa } = judge(
      BOT_PULL,
      [review("dana", "APPROVED"), review("quinn", "APPROVED")],
      { logins: ["dana"] },
    );
    expect(stances.stances).toEqual([{ login: "quinn", stance: "approved" }]);
    expect(qa).toMatchObject({ state: "met", approvedBy: ["quinn"] });
  });

  it.each([
    ["Dana", "dana"],
    ["dana", "DANA"],
  ])("logins match case aside (writer %s, reviewer %s)", (writer, reviewer) => {
    const { stances } = judge(BOT_PULL, [review(reviewer, "APPROVED")], { logins: [writer] });
    expect(stances.stances).toEqual([]);
    expect(stances.ignored.writers).toEqual([reviewer]);
  });

  it("several writers: each named, their approvals don't count", () => {
    const { qa } = judge(BOT_PULL, [review("dana", "APPROVED"), review("quinn", "APPROVED")], {
      logins: ["dana", "quinn"],
    });
    expect(qa?.reason).toMatch(
      /@dana, @quinn wrote commits of this PR, which a bot opened: their own approvals don't count$/,
    );
  });

  it("a writer's request for changes still blocks the group; approving afterwards is their own", () => {
    const writers = { logins: ["dana"] };
    const blocked = judge(BOT_PULL, [review("dana", "CHANGES_REQUESTED")], writers);
    expect(blocked.qa).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/^@dana \(QA\) requested changes/),
    });
    const then = judge(
      BOT_PULL,
      [review("dana", "CHANGES_REQUESTED"), review("dana", "APPROVED")],
      writers,
    );
    expect(then.stances.stances).toEqual([]);
    expect(then.qa?.state).toBe("waiting");
  });

  it("a person's PR is unchanged: commit authors passed in are not excluded", () => {
    const { stances, qa } = judge(HUMAN_PULL, [review("dana", "APPROVED")], { logins: ["dana"] });
    expect(stances.stances).toEqual([{ login: "dana", stance: "approved" }]);
    expect(stances.ignored.writers).toEqual([]);
    expect(qa?.state).toBe("met");
  });

  it("a person's PR: its author's own approval still doesn't count", () => {
    const { stances } = judge(HUMAN_PULL, [review("dev", "APPROVED")], AUTHOR_ONLY);
    expect(stances.ignored).toEqual({ author: true, writers: [], bots: [] });
  });

  it("commits unreadable: no approval of a bot's PR counts, the group fails saying why", () => {
    const { stances, qa } = judge(
      BOT_PULL,
      [review("quinn", "APPROVED")],
      unreadableCommits(502, "GitHub's error page (no details)"),
    );
    expect(stances.stances).toEqual([{ login: "quinn", stance: "approved-unchecked" }]);
    expect(loginsToResolve(stances)).toEqual([]);
    expect(qa?.state).toBe("failed");
    expect(qa?.reason).toContain("the approval of @quinn can't be checked yet");
    expect(qa?.reason).toContain(
      "GitHub did not list this PR's commits (502: GitHub's error page (no details)); a bot opened this PR, so no approval counts",
    );
  });

  it("commits unreadable on a person's PR: nothing to check, approvals count", () => {
    const { qa } = judge(HUMAN_PULL, [review("quinn", "APPROVED")], unreadableCommits(500, "x"));
    expect(qa?.state).toBe("met");
  });

  it("a request for changes by someone else still blocks when the commits are unreadable", () => {
    const { qa } = judge(
      BOT_PULL,
      [review("quinn", "CHANGES_REQUESTED")],
      unreadableCommits(500, "x"),
    );
    expect(qa).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/requested changes/),
    });
  });
});
