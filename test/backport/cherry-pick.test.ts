/**
 * The API-only cherry-pick, proven against real git: the stand-in keeps a real bare repository,
 * the engine drives it through the real Octokit adapter, and each result is compared with what
 * `git cherry-pick -x` (in a temporary clone) or `git merge-tree` produce for the same commits.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { cherryPick, type CherryPickResult } from "../../src/backport/cherry-pick.js";
import { backportTempBranch } from "../../src/record/names.js";
import { createWritePacer, unpaced, type WritePacer } from "../../src/backport/pace-writes.js";
import type { CommitInfo } from "../../src/github/port/git.js";
import {
  commit,
  fileAt,
  filesOf,
  gitCherryPick,
  gitMergeTreePick,
  numbered,
  person,
  setBranch,
  startFixture,
  tempBranches,
  withoutLabels,
  type Fixture,
} from "./git-fixture.js";

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
});

afterEach(async () => {
  expect(fx.standIn.problems()).toEqual([]);
  await fx.close();
});

/** The commits as the engine receives them from selection (API data). */
async function infos(shas: string[]): Promise<CommitInfo[]> {
  const out: CommitInfo[] = [];
  for (const sha of shas) {
    const info = await fx.github.getCommit(sha);
    if (!info) throw new Error(`no commit ${sha}`);
    out.push(info);
  }
  return out;
}

/**
 * main:    base ── A(line 2) ── B(line 4) ── … (one line each)
 * release: base ── R(other.txt)
 */
async function history(picks: number) {
  const base = await commit(
    fx.git,
    null,
    { "app.txt": numbered(40), "other.txt": "release notes\n" },
    "base",
  );
  let main = base;
  const commits: string[] = [];
  for (let i = 0; i < picks; i++) {
    main = await commit(
      fx.git,
      main,
      { "app.txt": await edit(main, 2 + i * 3, `fix ${i + 1}`) },
      `Fix ${i + 1}\n\nBecause.`,
    );
    commits.push(main);
  }
  const release = await commit(
    fx.git,
    base,
    { "other.txt": "release notes\nv1.0.1\n" },
    "release work",
  );
  await setBranch(fx.git, "main", main);
  await setBranch(fx.git, "release/1.x", release);
  return { base, release, commits };
}

async function edit(rev: string, line: number, text: string): Promise<string> {
  const lines = ((await fileAt(fx.git, rev, "app.txt")) ?? "").split("\n");
  lines[line - 1] = text;
  return lines.join("\n");
}

async function pick(commits: string[], extra: { pacer?: WritePacer } = {}) {
  const selected = await infos(commits); // selection's reads are not the engine's
  fx.mark();
  const result = await cherryPick(fx.github, {
    commits: selected,
    onto: "release/1.x",
    branch: "backport/7-to-release/1.x",
    temp: backportTempBranch(7, "release/1.x", selected[0]?.sha ?? ""),
    pacer: extra.pacer ?? unpaced,
  });
  return { result, requests: fx.requestsSinceMark() };
}

async function treeOf(rev: string) {
  return fx.git.treeOf(rev);
}

function expectPicked(
  result: CherryPickResult,
): asserts result is Extract<CherryPickResult, { kind: "picked" }> {
  expect(result).toMatchObject({ kind: "picked" });
}

describe("cherryPick through the REST API, compared with git cherry-pick -x", () => {
  it("carries one clean commit: same tree, message and author as git", async () => {
    const { commits, release } = await history(1);
    const { result } = await pick(commits);
    expectPicked(result);
    const git = await gitCherryPick(fx.git, "release/1.x", commits);
    expect(await treeOf(result.head)).toBe(git.tree);
    expect(result.branchState).toBe("created");
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBe(result.head);

    const made = await fx.git.readCommit(result.head);
    const source = await fx.git.readCommit(commits[0] as string);
    expect(made?.parents).toEqual([release]);
    expect(made?.message).toBe(git.message);
    expect(made?.message).toBe(`Fix 1\n\nBecause.\n\n(cherry picked from commit ${commits[0]})`);
    expect(made?.author).toEqual(source?.author);
    expect(await tempBranches(fx.git)).toEqual([]);
    expect(result.reason).toMatch(/Cherry-picked 1 commit onto release\/1.x/);
  });

  it("carries several commits in order, each on top of the last", async () => {
    const { commits } = await history(3);
    const { result } = await pick(commits);
    expectPicked(result);
    const git = await gitCherryPick(fx.git, "release/1.x", commits);
    expect(await treeOf(result.head)).toBe(git.tree);
    expect(result.commits.map((c) => c.source)).toEqual(commits);
    // each copy's parent is the previous copy
    for (let i = 1; i < result.commits.length; i++) {
      const made = await fx.git.readCommit(result.commits[i]?.sha ?? "");
      expect(made?.parents).toEqual([result.commits[i - 1]?.sha]);
    }
  });

  it("follows a file the target renamed, as git's rename detection does", async () => {
    const base = await commit(fx.git, null, { "app.txt": numbered(40) }, "base");
    const fix = await commit(fx.git, base, { "app.txt": numbered(40, { 20: "fixed" }) }, "Fix");
    const release = await commit(
      fx.git,
      base,
      { "src/app.txt": { renameFrom: "app.txt", content: numbered(40, { 1: "moved" }) } },
      "move",
    );
    await setBranch(fx.git, "main", fix);
    await setBranch(fx.git, "release/1.x", release);

    const { result } = await pick([fix]);
    expectPicked(result);
    const git = await gitCherryPick(fx.git, "release/1.x", [fix]);
    expect(git.tree).not.toBeNull();
    expect(await treeOf(result.head)).toBe(git.tree);
    expect(await fileAt(fx.git, result.head, "src/app.txt")).toBe(
      numbered(40, { 1: "moved", 20: "fixed" }),
    );
    expect(await fileAt(fx.git, result.head, "app.txt")).toBeNull();
  });

  it("skips a change that is already on the target and creates no branch", async () => {
    const { commits, release } = await history(1);
    // someone already cherry-picked it by hand
    const manual = await commit(
      fx.git,
      release,
      { "app.txt": await edit(release, 2, "fix 1") },
      "Fix 1 (manual)",
    );
    await setBranch(fx.git, "release/1.x", manual);

    const { result, requests } = await pick(commits);
    expect(result.kind).toBe("already-present");
    if (result.kind !== "already-present") return;
    expect(result.reason).toBe(
      "The change is already on release/1.x; there is nothing to backport.",
    );
    expect(result.skipped).toEqual([
      {
        source: commits[0],
        reason: `${commits[0]?.slice(0, 7)} is already on release/1.x: applying it changes nothing.`,
      },
    ]);
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBeNull();
    expect(await tempBranches(fx.git)).toEqual([]);
    expect(requests.length).toBe(1 + 3 + 1); // head, sibling + temp ref + merge, delete
  });

  it("skips only the commits already present and carries the rest", async () => {
    const { commits, release } = await history(2);
    const manual = await commit(
      fx.git,
      release,
      { "app.txt": await edit(release, 2, "fix 1") },
      "Fix 1 (manual)",
    );
    await setBranch(fx.git, "release/1.x", manual);

    const { result } = await pick(commits);
    expectPicked(result);
    expect(result.skipped.map((s) => s.source)).toEqual([commits[0]]);
    expect(result.commits.map((c) => c.source)).toEqual([commits[1]]);
    const git = await gitCherryPick(fx.git, "release/1.x", [commits[1] as string]);
    expect(await treeOf(result.head)).toBe(git.tree);
  });
});

describe("conflicts", () => {
  async function conflicting() {
    const base = await commit(
      fx.git,
      null,
      { "app.txt": numbered(30), "README.md": "readme\n", "notes.txt": numbered(5) },
      "base",
    );
    const fix = await commit(
      fx.git,
      base,
      {
        "app.txt": numbered(30, { 10: "fixed on main", 11: "also main", 25: "tail fix" }),
        "README.md": "readme\nnew section\n",
        "notes.txt": numbered(5, { 2: "main note" }),
      },
      "Fix the thing\n\nLong story.",
    );
    const release = await commit(
      fx.git,
      base,
      {
        "app.txt": numbered(30, { 10: "changed on release", 25: "tail fix" }),
        "notes.txt": numbered(5, { 4: "release note" }),
      },
      "release change",
    );
    await setBranch(fx.git, "main", fix);
    await setBranch(fx.git, "release/1.x", release);
    return { base, fix, release };
  }

  it("drafts the conflicting commit with git's markers (labels aside) and git's clean merges elsewhere", async () => {
    const { fix, release } = await conflicting();
    const { result, requests } = await pick([fix]);
    // head, sibling, temp ref, merge (409); parent, 3 trees, 6 blobs (app.txt and notes.txt
    // changed on both sides); tree with the merged texts inline, draft commit, branch; temp delete
    expect(requests.length).toBe(18);
    expect(result.kind).toBe("conflict");
    if (result.kind !== "conflict") return;
    expect(result.commit.sha).toBe(fix);
    expect(result.files).toEqual([
      {
        path: "app.txt",
        state: "marked",
        hunks: 1,
        reason: "1 conflicting hunk marked in app.txt.",
      },
    ]);
    expect(result.draft?.branch).toBe("backport/7-to-release/1.x");
    const draft = result.draft?.head ?? "";
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBe(draft);

    const git = await gitMergeTreePick(fx.git, release, fix);
    expect(git.clean).toBe(false);
    expect(Object.keys(git.files)).toEqual(["app.txt"]);
    const ours = (await fileAt(fx.git, draft, "app.txt")) ?? "";
    expect(withoutLabels(ours)).toBe(withoutLabels(git.files["app.txt"] ?? ""));
    expect(ours).toContain("<<<<<<< release/1.x\n");
    expect(ours).toContain(`>>>>>>> ${fix.slice(0, 7)} (Fix the thing)\n`);
    // every file equals git merge-tree's result: the clean merges exactly, the marked one modulo labels
    const label = (files: Record<string, string>) =>
      Object.fromEntries(Object.entries(files).map(([path, text]) => [path, withoutLabels(text)]));
    expect(label(await filesOf(fx.git, draft))).toEqual(label(await filesOf(fx.git, git.tree)));
    expect(Object.keys(await filesOf(fx.git, draft))).toEqual([
      "README.md",
      "app.txt",
      "notes.txt",
    ]);

    // the same conflict as real `git cherry-pick` leaves it in the work tree
    const picked = await gitCherryPick(fx.git, "release/1.x", [fix]);
    expect(withoutLabels(picked.conflicted["app.txt"] ?? "")).toBe(withoutLabels(ours));

    const made = await fx.git.readCommit(draft);
    expect(made?.parents).toEqual([release]);
    expect(made?.message).toContain(`(cherry picked from commit ${fix})`);
    expect(made?.message).toContain("\tapp.txt");
    expect(result.manualSteps).toEqual([
      "git fetch origin release/1.x backport/7-to-release/1.x",
      "git checkout -b backport/7-to-release/1.x origin/release/1.x",
      `git cherry-pick -x ${fix}`,
      "# resolve each conflict, then: git add <files> && git cherry-pick --continue",
      "git push --force-with-lease origin backport/7-to-release/1.x",
    ]);
    expect(await tempBranches(fx.git)).toEqual([]);
  });

  it("only names the conflicting files when no draft is wanted", async () => {
    const { fix } = await conflicting();
    fx.mark();
    const result = await cherryPick(fx.github, {
      commits: [(await fx.github.getCommit(fix))!],
      onto: "release/1.x",
      branch: "backport/7-to-release/1.x",
      temp: backportTempBranch(7, "release/1.x", fix),
      pacer: unpaced,
      draftConflicts: false,
    });
    expect(result).toMatchObject({
      kind: "conflict",
      draft: null,
      files: [{ path: "app.txt", state: "marked" }],
      reason: `${fix.slice(0, 7)} conflicts with release/1.x in app.txt.`,
    });
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBeNull();
    const writes = fx.requestsSinceMark().filter((r) => r.method !== "GET");
    // sibling commit, temporary branch, merge (409), temporary branch deleted: nothing else
    expect(writes.map((r) => `${r.method} ${r.route}`)).toEqual([
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
      "POST /repos/{owner}/{repo}/merges",
      "DELETE /repos/{owner}/{repo}/git/refs/{ref+}",
    ]);
  });

  it("finds its own draft on a re-run and leaves it as it is", async () => {
    const { fix } = await conflicting();
    const first = await pick([fix]);
    const second = await pick([fix]);
    expect(first.result.kind).toBe("conflict");
    expect(second.result.kind).toBe("conflict");
    if (first.result.kind !== "conflict" || second.result.kind !== "conflict") return;
    expect(second.result.draft).toEqual(first.result.draft);
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBe(
      first.result.draft?.head,
    );
  });

  it("keeps commits picked before the conflict under the draft", async () => {
    const { base, fix } = await conflicting();
    const before = await commit(fx.git, base, { "early.txt": "early fix\n" }, "Early fix");
    const { result } = await pick([before, fix]);
    expect(result.kind).toBe("conflict");
    if (result.kind !== "conflict") return;
    expect(result.picked.map((p) => p.source)).toEqual([before]);
    const draft = await fx.git.readCommit(result.draft?.head ?? "");
    expect(draft?.parents).toEqual([result.picked[0]?.sha]);
  });

  it("reports a change to a file the target deleted instead of drafting it", async () => {
    const base = await commit(
      fx.git,
      null,
      { "app.txt": numbered(10), "old.txt": numbered(10) },
      "base",
    );
    const fix = await commit(fx.git, base, { "old.txt": numbered(10, { 3: "fix" }) }, "Fix old");
    const release = await commit(fx.git, base, { "old.txt": null }, "drop old");
    await setBranch(fx.git, "main", fix);
    await setBranch(fx.git, "release/1.x", release);

    const { result } = await pick([fix]);
    expect(result.kind).toBe("conflict");
    if (result.kind !== "conflict") return;
    expect(result.draft).toBeNull();
    expect(result.files).toEqual([
      {
        path: "old.txt",
        state: "unmarkable",
        reason: `release/1.x deleted or renamed old.txt, but ${fix.slice(0, 7)} changes it: apply the change by hand (or drop it).`,
      },
    ]);
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBeNull();
    expect(result.manualSteps[0]).toBe("git fetch origin release/1.x");
    expect(await tempBranches(fx.git)).toEqual([]);
  });

  it("reports a binary file changed on both sides", async () => {
    const bin = (n: number) => `\u0000PNG${n}\n`;
    const base = await commit(fx.git, null, { "logo.png": bin(0) }, "base");
    const fix = await commit(fx.git, base, { "logo.png": bin(1) }, "New logo");
    const release = await commit(fx.git, base, { "logo.png": bin(2) }, "Other logo");
    await setBranch(fx.git, "main", fix);
    await setBranch(fx.git, "release/1.x", release);

    const { result } = await pick([fix]);
    expect(result).toMatchObject({
      kind: "conflict",
      draft: null,
      files: [
        {
          path: "logo.png",
          state: "unmarkable",
          reason: "logo.png is a binary file changed on both sides: choose one version by hand.",
        },
      ],
    });
  });
});

describe("request budget (4N + 3 for the engine)", () => {
  it.each([1, 10])("spends exactly 4N + 3 requests for N = %i clean commits", async (n) => {
    const { commits } = await history(n);
    const { result, requests } = await pick(commits);
    expectPicked(result);
    expect(requests.length).toBe(4 * n + 3);
    const git = await gitCherryPick(fx.git, "release/1.x", commits);
    expect(await treeOf(result.head)).toBe(git.tree);
    const routes = requests.map((r) => `${r.method} ${r.route}`);
    expect(routes.filter((r) => r === "POST /repos/{owner}/{repo}/merges")).toHaveLength(n);
    expect(routes.filter((r) => r === "POST /repos/{owner}/{repo}/git/commits")).toHaveLength(
      2 * n,
    );
  });

  it("asks the pacer before every write, and only before writes", async () => {
    const { commits } = await history(3);
    let asked = 0;
    const { requests } = await pick(commits, {
      pacer: {
        beforeWrite: async () => {
          asked++;
        },
      },
    });
    expect(asked).toBe(requests.filter((r) => r.method !== "GET").length);
    expect(asked).toBe(4 * 3 + 2);
  });

  it("spreads a large backport's writes at the configured rate", async () => {
    const { commits } = await history(5);
    let now = 0;
    const sleeps: number[] = [];
    const pacer = createWritePacer({
      writesPerMinute: 60,
      burst: 4,
      clock: { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) },
    });
    const { result, requests } = await pick(commits, { pacer });
    expectPicked(result);
    const writes = requests.filter((r) => r.method !== "GET").length;
    // 4 at once, then one a second
    expect(sleeps).toHaveLength(writes - 4);
    expect(now).toBe((writes - 4) * 1000);
  });
});

describe("safety", () => {
  it("deletes the temporary branch when a step fails, and says which", async () => {
    const { commits } = await history(3);
    let merges = 0;
    fx.standIn.intercept((request) => {
      if (request.route === "/repos/{owner}/{repo}/merges" && ++merges === 2) {
        return { status: 502, body: { message: "Server Error" } };
      }
    });
    const { result, requests } = await pick(commits);
    expect(result.kind).toBe("failed");
    expect(result.reason).toBe(
      "The backport to release/1.x stopped: GitHub answered 502 to POST /repos/{owner}/{repo}/merges: Server Error.",
    );
    expect(await tempBranches(fx.git)).toEqual([]);
    expect(requests.at(-1)).toMatchObject({ method: "DELETE", status: 204 });
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBeNull();
    if (result.kind === "failed")
      expect(result.manualSteps[2]).toBe(`git cherry-pick -x ${commits.join(" ")}`);
  });

  it("reuses a temporary branch a crashed run left behind, and deletes it at the end", async () => {
    const { commits } = await history(2);
    const temp = backportTempBranch(7, "release/1.x", commits[0] ?? "");
    // A run that died mid-way left its temporary branch pointing at some commit.
    const leftover = (await fx.git.resolveCommit("release/1.x")) ?? "";
    expect(await fx.git.swapRef(`refs/heads/${temp}`, leftover, "")).toBe(true);
    const { result, requests } = await pick(commits);
    expectPicked(result);
    expect(await tempBranches(fx.git)).toEqual([]);
    const moves = requests.filter((r) => r.method === "PATCH" && r.path.includes("hotfix-bot/tmp"));
    expect(moves).toHaveLength(2); // the leftover moved for the first commit, then for the second
    if (result.kind === "picked") {
      expect(await fx.git.treeOf(result.head)).toBe(
        (await gitCherryPick(fx.git, "release/1.x", commits)).tree,
      );
    }
  });

  it("names the temporary branch after the PR, the target and the commit, and marks its commits [skip ci]", async () => {
    const { commits } = await history(1);
    const created: string[] = [];
    fx.standIn.intercept((request) => {
      const body = request.body as
        { ref?: string; message?: string; commit_message?: string } | undefined;
      if (request.method === "POST" && request.route === "/repos/{owner}/{repo}/git/refs")
        created.push(body?.ref ?? "");
      if (request.route === "/repos/{owner}/{repo}/merges")
        expect(body?.commit_message).toMatch(/^\[skip ci\]/);
    });
    await pick(commits);
    expect(created).toEqual([
      `refs/heads/hotfix-bot/tmp/backport-7-to-release/1.x-${commits[0]?.slice(0, 12)}`,
      "refs/heads/backport/7-to-release/1.x",
    ]);
    const siblings = fx.standIn.requests.filter(
      (r) =>
        r.route === "/repos/{owner}/{repo}/git/commits" &&
        r.method === "POST" &&
        /temporary/.test(JSON.stringify(r.body)),
    );
    expect(siblings).toHaveLength(1);
    expect((siblings[0]?.body as { message: string }).message).toMatch(
      /^\[skip ci\] hotfix-bot: temporary commit/,
    );
  });

  it("reports an existing branch that already holds the backport, and writes nothing to it", async () => {
    const { commits } = await history(2);
    const first = await pick(commits);
    expectPicked(first.result);
    const second = await pick(commits);
    expectPicked(second.result);
    expect(second.result.branchState).toBe("existing");
    expect(second.result.head).toBe(first.result.head);
    expect(second.result.reason).toBe(
      "backport/7-to-release/1.x already holds this backport; left it as it is.",
    );
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBe(first.result.head);
  });

  it("fast-forwards an existing branch that holds only part of the backport", async () => {
    const { commits, release } = await history(2);
    await setBranch(fx.git, "backport/7-to-release/1.x", release);
    const { result } = await pick(commits);
    expectPicked(result);
    expect(result.branchState).toBe("updated");
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBe(result.head);
  });

  it("fails safely when someone pushes to the backport branch while it is being moved", async () => {
    const { commits, release } = await history(2);
    await setBranch(fx.git, "backport/7-to-release/1.x", release);
    let theirs = "";
    fx.standIn.intercept(async (request) => {
      if (request.method === "PATCH" && request.params.ref === "heads/backport/7-to-release/1.x") {
        expect((request.body as { force?: boolean }).force).toBe(false);
        theirs = await commit(
          fx.git,
          release,
          { "theirs.txt": "pushed meanwhile\n" },
          "concurrent push",
          person("Bob"),
        );
        await setBranch(fx.git, "backport/7-to-release/1.x", theirs);
      }
    });
    const { result } = await pick(commits);
    expect(result.kind).toBe("failed");
    expect(result.reason).toBe(
      "backport/7-to-release/1.x already exists with commits this backport does not contain; it was left untouched (Update is not a fast forward). Delete it or finish the backport there by hand.",
    );
    expect(await fx.git.readRef("refs/heads/backport/7-to-release/1.x")).toBe(theirs);
    expect(await tempBranches(fx.git)).toEqual([]);
  });

  it("refuses merge commits before writing anything", async () => {
    const { commits, release } = await history(1);
    const merge = await fx.git.writeCommit({
      tree: (await fx.git.treeOf(release)) ?? "",
      parents: [release, commits[0] as string],
      message: "Merge",
      author: person("Ada"),
      committer: person("Ada"),
    });
    const { result, requests } = await pick([merge]);
    expect(result).toMatchObject({ kind: "failed" });
    expect(result.reason).toBe(
      `${merge.slice(0, 7)} is a merge commit; cherry-pick it by hand with \`git cherry-pick -m 1 -x\`.`,
    );
    expect(requests).toEqual([]);
  });
});

describe("GitHub's secondary rate limit", () => {
  it("waits out a 403 with retry-after and carries on", async () => {
    await fx.close();
    const slept: number[] = [];
    fx = await startFixture({ send: { sleep: async (ms) => void slept.push(ms) } });
    const { commits } = await history(2);
    let limited = false;
    fx.standIn.intercept((request) => {
      if (request.route === "/repos/{owner}/{repo}/merges" && !limited) {
        limited = true;
        return {
          status: 403,
          headers: { "retry-after": "7" },
          body: {
            message:
              "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          },
        };
      }
    });
    const { result, requests } = await pick(commits);
    expectPicked(result);
    expect(slept).toEqual([7000]);
    expect(requests.filter((r) => r.status === 403)).toHaveLength(1);
    expect(await treeOf(result.head)).toBe(
      (await gitCherryPick(fx.git, "release/1.x", commits)).tree,
    );
  });
});

describe("through the GitHub Enterprise path prefix", () => {
  it("works the same under /api/v3", async () => {
    await fx.close();
    fx = await startFixture({ enterprise: true });
    const { commits } = await history(1);
    const { result, requests } = await pick(commits);
    expectPicked(result);
    expect(requests).toHaveLength(7);
    expect(await treeOf(result.head)).toBe(
      (await gitCherryPick(fx.git, "release/1.x", commits)).tree,
    );
  });
});
