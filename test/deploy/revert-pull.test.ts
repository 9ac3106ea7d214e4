import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRevertPull, revertBranchOf } from "../../src/deploy/revert-pull.js";
import type { GitHubPort } from "../../src/github/port.js";
import type { PullRequest } from "../../src/github/model.js";
import { runGit, type GitRepo } from "../../sandbox/stand-in/git-repo.js";
import {
  commit,
  numbered,
  setBranch,
  startFixture,
  tempBranches,
  type Fixture,
} from "../backport/git-fixture.js";

/**
 * The revert runs against the GitHub stand-in backed by a real bare repository, and its result
 * is compared with what real `git revert` makes of the same history. The stand-in has no pull
 * request routes, so opening the PR itself is recorded by a thin stub; that part is plain.
 */
let fixture: Fixture;
let opened: Array<{ head: string; base: string; title: string; body: string }>;

function withPulls(github: GitHubPort): GitHubPort {
  return {
    ...github,
    findOpenPullByHead: async (branch) => {
      const i = opened.findIndex((p) => p.head === branch);
      return i < 0
        ? null
        : ({ number: 100 + i, htmlUrl: `https://github.test/pull/${100 + i}` } as PullRequest);
    },
    createPull: async (input) => {
      opened.push(input);
      return {
        created: true,
        pull: {
          number: 100 + opened.length - 1,
          htmlUrl: `https://github.test/pull/${100 + opened.length - 1}`,
        } as PullRequest,
      };
    },
  };
}

async function gitRevert(git: GitRepo, onto: string, sha: string): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), "revert-"));
  const env = {
    GIT_AUTHOR_NAME: "T",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "T",
    GIT_COMMITTER_EMAIL: "t@example.com",
  };
  try {
    await runGit(dir, ["clone", "--quiet", git.dir, "."], { env });
    await runGit(dir, ["checkout", "--quiet", onto], { env });
    const reverted = await runGit(dir, ["revert", "--no-edit", sha], { env });
    if (reverted.code !== 0) return null;
    return (await runGit(dir, ["rev-parse", "HEAD^{tree}"], { env })).stdout.toString().trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeEach(async () => {
  fixture = await startFixture();
  opened = [];
});
afterEach(() => fixture.close());

describe("openRevertPull", () => {
  it("reverts the hotfix on top of later commits exactly as git revert does, once", async () => {
    const { git } = fixture;
    const base = await commit(
      git,
      null,
      { "a.txt": numbered(10), "b.txt": "b\n" },
      "Release 1.4.2",
    );
    const hotfix = await commit(
      git,
      base,
      { "a.txt": numbered(10, { 3: "fixed line 3" }), "new.txt": "added by the hotfix\n" },
      "Fix login crash (#2)",
    );
    const later = await commit(
      git,
      hotfix,
      { "a.txt": numbered(10, { 3: "fixed line 3", 8: "later line 8" }), "c.txt": "c\n" },
      "Later work",
    );
    await setBranch(git, "release/1.4", later);

    const github = withPulls(fixture.github);
    const input = {
      pr: 2,
      title: "Fix login crash",
      tag: "v1.4.3",
      mergeSha: hotfix,
      base: "release/1.4",
    };
    const result = await openRevertPull(github, input);
    expect(result).toEqual({
      ok: true,
      number: 100,
      url: "https://github.test/pull/100",
      reused: false,
    });

    const head = await git.resolveCommit(`refs/heads/${revertBranchOf("v1.4.3")}`);
    const made = await git.readCommit(head as string);
    expect(made?.parents).toEqual([later]);
    expect(made?.tree).toBe(await gitRevert(git, "release/1.4", hotfix));
    expect(made?.message).toMatch(
      new RegExp(`^Revert "Fix login crash \\(#2\\)"\n\nThis reverts commit ${hotfix}\\.`),
    );
    expect(opened).toEqual([
      expect.objectContaining({
        head: "hotfix-bot/revert-v1.4.3",
        base: "release/1.4",
        title: 'Revert "Fix login crash" (v1.4.3)',
      }),
    ]);
    expect(await tempBranches(git)).toEqual([`refs/heads/${revertBranchOf("v1.4.3")}`]);

    // Asked again: the branch and its PR are reused, nothing is written.
    fixture.mark();
    expect(await openRevertPull(github, input)).toEqual({
      ok: true,
      number: 100,
      url: "https://github.test/pull/100",
      reused: true,
    });
    expect(fixture.requestsSinceMark().filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("a conflict with later changes is reported with the manual command, leaving no branch behind", async () => {
    const { git } = fixture;
    const base = await commit(git, null, { "a.txt": numbered(5) }, "Release");
    const hotfix = await commit(git, base, { "a.txt": numbered(5, { 3: "fix" }) }, "Fix");
    const later = await commit(
      git,
      hotfix,
      { "a.txt": numbered(5, { 3: "fix, improved" }) },
      "Improve the fix",
    );
    await setBranch(git, "release/1.4", later);
    expect(await gitRevert(git, "release/1.4", hotfix)).toBeNull(); // git agrees: a conflict

    const result = await openRevertPull(withPulls(fixture.github), {
      pr: 2,
      title: "Fix",
      tag: "v1.4.3",
      mergeSha: hotfix,
      base: "release/1.4",
    });
    expect(result).toEqual({
      ok: false,
      reason: `reverting ${hotfix.slice(0, 7)} conflicts with later changes on \`release/1.4\`. Revert it by hand: \`git revert -m 1 ${hotfix.slice(0, 7)}\` on \`release/1.4\`.`,
    });
    expect(await tempBranches(git)).toEqual([]);
    expect(opened).toEqual([]);
  });
});
