import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { commitsToCarry } from "../../src/backport/commits-to-carry.js";
import { cherryPick } from "../../src/backport/cherry-pick.js";
import { backportTempBranch } from "../../src/record/names.js";
import { unpaced } from "../../src/backport/pace-writes.js";
import { selectCommits, type SelectionInput } from "../../src/backport/select-commits.js";
import type { CommitInfo, Person } from "../../src/github/port/git.js";
import type { RouteModule } from "../../sandbox/stand-in/router.js";
import { commitJson, scope } from "../../sandbox/stand-in/routes/shapes.js";
import {
  commit,
  gitCherryPick,
  person,
  setBranch,
  startFixture,
  type Fixture,
} from "./git-fixture.js";

// ---- pure: the decision rule on hand-made API data ----

const ada: Person = { name: "Ada", email: "ada@example.com", date: "2024-03-01T10:00:00Z" };
const later = (minutes: number): Person => ({
  ...ada,
  date: new Date(Date.parse(ada.date) + minutes * 60_000).toISOString(),
});

function info(
  sha: string,
  parents: string[],
  message: string,
  author: Person | null = ada,
): CommitInfo {
  return { sha, treeSha: `tree-${sha}`, parentShas: parents, message, author };
}

const f1 = info("f1", ["m0"], "One", later(1));
const f2 = info("f2", ["f1"], "Two", later(2));
const pull = { number: 7, merged: true, mergeCommitSha: "x" };

const table: {
  name: string;
  input: SelectionInput;
  method?: string;
  carry?: string[];
  refuse?: RegExp;
}[] = [
  {
    name: "merge commit (2 parents) → the PR's commits",
    input: {
      pull,
      pullCommits: [f1, f2],
      baseCommits: [info("x", ["m1", "f2"], "Merge pull request #7")],
    },
    method: "merge",
    carry: ["f1", "f2"],
  },
  {
    name: "merge commit → the PR's commits without merges inside it",
    input: {
      pull,
      pullCommits: [f1, info("fm", ["f1", "m1"], "Merge main into feature"), f2],
      baseCommits: [info("x", ["m1", "f2"], "Merge pull request #7")],
    },
    method: "merge",
    carry: ["f1", "f2"],
  },
  {
    name: "rebase merge → the rebased commits on the base, oldest first",
    input: {
      pull,
      pullCommits: [f1, f2],
      baseCommits: [
        info("x", ["r1"], "Two", later(2)),
        info("r1", ["m1"], "One", later(1)),
        info("m1", ["m0"], "main"),
      ],
    },
    method: "rebase",
    carry: ["r1", "x"],
  },
  {
    name: "squash merge → the squash commit",
    input: {
      pull,
      pullCommits: [f1, f2],
      baseCommits: [
        info("x", ["m1"], "Feature (#7)\n\n* One\n\n* Two", later(3)),
        info("m1", ["m0"], "main"),
      ],
    },
    method: "squash",
    carry: ["x"],
  },
  {
    name: "a single-parent chain whose authors differ is a squash, not a rebase",
    input: {
      pull,
      pullCommits: [f1, f2],
      baseCommits: [
        info("x", ["r1"], "Two", later(2)),
        info("r1", ["m1"], "One", { ...later(1), email: "other@example.com" }),
      ],
    },
    method: "squash",
    carry: ["x"],
  },
  {
    name: "matching messages on a chain broken by a merge are not a rebase",
    input: {
      pull,
      pullCommits: [f1, f2],
      baseCommits: [info("x", ["r1"], "Two", later(2)), info("r1", ["m1", "z"], "One", later(1))],
    },
    method: "squash",
    carry: ["x"],
  },
  {
    name: "one commit: carried as the merge commit itself",
    input: { pull, pullCommits: [f1], baseCommits: [info("x", ["m1"], "One", later(1))] },
    method: "squash",
    carry: ["x"],
  },
  {
    name: "not merged → refused",
    input: {
      pull: { number: 7, merged: false, mergeCommitSha: null },
      pullCommits: [],
      baseCommits: [],
    },
    refuse: /#7 is not merged/,
  },
  {
    name: "merge commit unreadable → refused",
    input: { pull, pullCommits: [f1], baseCommits: [] },
    refuse: /could not be read/,
  },
  {
    name: "merge commit whose PR holds only merges → refused",
    input: {
      pull,
      pullCommits: [info("fm", ["f1", "m1"], "Merge")],
      baseCommits: [info("x", ["m1", "fm"], "Merge pull request #7")],
    },
    refuse: /all of its commits are merges/,
  },
];

describe("selectCommits", () => {
  it.each(table)("$name", ({ input, method, carry, refuse }) => {
    const selection = selectCommits(input);
    if (refuse) {
      expect(selection.kind).toBe("refuse");
      expect(selection.reason).toMatch(refuse);
      return;
    }
    expect(selection).toMatchObject({ kind: "carry", method });
    if (selection.kind === "carry") expect(selection.commits.map((c) => c.sha)).toEqual(carry);
    expect(selection.reason).toContain("#7");
  });
});

// ---- against real git histories, through the real adapter ----

/** A minimal pulls module: `GET /pulls/{n}/commits` lists base..head of a registered PR. */
const pulls = new Map<number, { base: string; head: string }>();
const pullsModule: RouteModule = (router, world) => {
  router.get("/repos/{owner}/{repo}/pulls/{pull_number}/commits", async (context) => {
    const repo = scope(world, context);
    const pr = pulls.get(Number(context.params.pull_number));
    if (!pr) return { status: 404, body: { message: "Not Found" } };
    const page = Number(context.query.get("page") ?? 1);
    const shas = page === 1 ? await repo.git.revList(["--reverse", `${pr.base}..${pr.head}`]) : [];
    const commits = await Promise.all(
      shas.map(async (sha) => commitJson(repo, (await repo.git.readCommit(sha))!)),
    );
    return { status: 200, body: commits };
  });
};

let fx: Fixture;

/** main: m0 ── m1; feature (PR #7): m0 ── f1 ── f2; release: m0 ── r. */
async function prHistory() {
  const m0 = await commit(fx.git, null, { "app.txt": "app\n" }, "start");
  const m1 = await commit(fx.git, m0, { "main.txt": "main moved on\n" }, "main work");
  const one = person("Ada");
  const two = person("Ada");
  const f1 = await commit(fx.git, m0, { "one.txt": "one\n" }, "One", one);
  const f2 = await commit(fx.git, f1, { "two.txt": "two\n" }, "Two\n\nSecond part.", two);
  const release = await commit(fx.git, m0, { "release.txt": "1.x\n" }, "release line");
  await setBranch(fx.git, "release/1.x", release);
  pulls.set(7, { base: m0, head: f2 });
  return { m0, m1, f1, f2, one, two };
}

async function carry(mergeCommitSha: string) {
  await setBranch(fx.git, "main", mergeCommitSha);
  fx.mark();
  const selection = await commitsToCarry(fx.github, { number: 7, merged: true, mergeCommitSha });
  return { selection, requests: fx.requestsSinceMark().length };
}

describe("commitsToCarry on real histories", () => {
  beforeEach(async () => {
    pulls.clear();
    fx = await startFixture({ modules: [pullsModule] });
  });
  afterEach(async () => {
    expect(fx.standIn.problems()).toEqual([]);
    await fx.close();
  });

  it("merge commit: carries f1, f2 — and the backport equals git cherry-pick -x f1 f2", async () => {
    const { m1, f1, f2 } = await prHistory();
    const merged = await fx.git.mergeTrees(m1, f2);
    const x = await fx.git.writeCommit({
      tree: merged.tree,
      parents: [m1, f2],
      message: "Merge pull request #7",
      author: person("GitHub"),
      committer: person("GitHub"),
    });
    const { selection, requests } = await carry(x);
    expect(selection).toMatchObject({ kind: "carry", method: "merge" });
    if (selection.kind !== "carry") return;
    expect(selection.commits.map((c) => c.sha)).toEqual([f1, f2]);
    expect(requests).toBe(2);

    const result = await cherryPick(fx.github, {
      commits: selection.commits,
      onto: "release/1.x",
      branch: "backport/7",
      temp: backportTempBranch(7, "release/1.x", selection.commits[0]?.sha ?? ""),
      pacer: unpaced,
    });
    expect(result.kind).toBe("picked");
    if (result.kind !== "picked") return;
    expect(await fx.git.treeOf(result.head)).toBe(
      (await gitCherryPick(fx.git, "release/1.x", [f1, f2])).tree,
    );
  });

  it("rebase merge: carries the rebased commits on main", async () => {
    const { m1, one, two } = await prHistory();
    const r1 = await commit(fx.git, m1, { "one.txt": "one\n" }, "One", one);
    const r2 = await commit(fx.git, r1, { "two.txt": "two\n" }, "Two\n\nSecond part.", two);
    const { selection } = await carry(r2);
    expect(selection).toMatchObject({ kind: "carry", method: "rebase" });
    if (selection.kind === "carry") expect(selection.commits.map((c) => c.sha)).toEqual([r1, r2]);
  });

  it("squash merge: carries the squash commit", async () => {
    const { m1 } = await prHistory();
    const s = await commit(
      fx.git,
      m1,
      { "one.txt": "one\n", "two.txt": "two\n" },
      "Feature (#7)\n\n* One\n\n* Two",
      person("Ada"),
    );
    const { selection } = await carry(s);
    expect(selection).toMatchObject({ kind: "carry", method: "squash" });
    if (selection.kind !== "carry") return;
    expect(selection.commits.map((c) => c.sha)).toEqual([s]);

    const result = await cherryPick(fx.github, {
      commits: selection.commits,
      onto: "release/1.x",
      branch: "backport/7",
      temp: backportTempBranch(7, "release/1.x", selection.commits[0]?.sha ?? ""),
      pacer: unpaced,
    });
    expect(result.kind).toBe("picked");
    if (result.kind !== "picked") return;
    expect(await fx.git.treeOf(result.head)).toBe(
      (await gitCherryPick(fx.git, "release/1.x", [s])).tree,
    );
  });
});
