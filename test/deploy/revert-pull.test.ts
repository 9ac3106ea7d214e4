/**
 * The revert PR of a rolled-back hotfix, on the GitHub stand-in: the hotfix is a real merged PR
 * (squash or merge commit) with later work on its base, the revert is made through the real
 * adapter, and its tree is compared with what real `git revert -m 1` makes of the same history.
 * The PR, its assignee and body are the stand-in's; faults stop a run midway.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRevertPull, type RevertInput } from "../../src/deploy/revert-pull.js";
import { revertBranch, revertTempBranch } from "../../src/record/names.js";
import { runGit, type GitRepo } from "../../sandbox/stand-in/git-repo.js";
import { numbered, tempBranches } from "../backport/git-fixture.js";
import {
  PEOPLE,
  routesOf,
  startScenario,
  type Scenario,
  type ScenarioOptions,
} from "../backport/backport-scenario.js";

const BRANCH = revertBranch("v1.4.3");

let s: Scenario | undefined;
async function scenario(options: ScenarioOptions = {}): Promise<Scenario> {
  s = await startScenario(options);
  return s;
}
afterEach(async () => {
  if (!s) return;
  const problems = s.fx.standIn.problems();
  await s.close();
  s = undefined;
  expect(problems).toEqual([]);
});

/** What `/rollback-hotfix` passes for the hotfix of the scenario. */
function inputOf(sc: Scenario): RevertInput {
  return {
    pr: sc.pr,
    prUrl: `https://github.com/acme/api/pull/${sc.pr}`,
    title: "Fix login crash",
    tag: "v1.4.3",
    mergeSha: sc.merge,
    base: "release/1.4",
    actor: PEOPLE.releaser,
  };
}

const LINK = (sc: Scenario) =>
  `<sub>Opened by hotfix-bot for the rollback of https://github.com/acme/api/pull/${sc.pr}</sub>`;

/** Later work on release/1.4, after the hotfix: `line8` and a new file. */
async function laterWork(sc: Scenario, line5?: string): Promise<string> {
  return sc.repo.push(
    "release/1.4",
    {
      "app.txt": numbered(10, { 5: line5 ?? "line 5 fixed", 8: "later line 8" }),
      "later.txt": "later\n",
    },
    "Later work",
    PEOPLE.releaser,
  );
}

/** Real `git revert -m 1 <sha>` on `onto` in a clone: the tree, or null with git's exit code. */
async function gitRevert(
  git: GitRepo,
  onto: string,
  sha: string,
): Promise<{ tree: string | null; code: number; stderr: string }> {
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
    const reverted = await runGit(dir, ["revert", "--no-edit", "-m", "1", sha], { env });
    const stderr = `${reverted.stderr.toString()}${reverted.stdout.toString()}`;
    if (reverted.code !== 0) return { tree: null, code: reverted.code, stderr };
    const tree = (await runGit(dir, ["rev-parse", "HEAD^{tree}"], { env })).stdout
      .toString()
      .trim();
    return { tree, code: 0, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The revert PR as the stand-in holds it; there is at most one. */
function revertPull(sc: Scenario) {
  const numbers = sc.pullsFrom(BRANCH);
  expect(numbers.length).toBeLessThanOrEqual(1);
  return numbers[0] === undefined ? null : sc.held(numbers[0]);
}

describe("openRevertPull", () => {
  it.each([
    { method: "squash" as const, merged: "a squash commit" },
    { method: "merge" as const, merged: "a merge commit" },
  ])(
    "reverts a hotfix merged as $merged on top of later commits exactly as git revert -m 1 does, once",
    async ({ method }) => {
      const sc = await scenario({ method });
      const later = await laterWork(sc);
      const result = await openRevertPull(sc.fx.github, inputOf(sc));
      const pr = revertPull(sc);
      expect(result).toEqual({
        ok: true,
        number: pr?.number,
        url: `https://github.com/acme/api/pull/${pr?.number}`,
        reused: false,
      });

      const head = await sc.fx.git.readCommit(
        (await sc.fx.git.readRef(`refs/heads/${BRANCH}`)) ?? "",
      );
      expect(head?.parents).toEqual([later]);
      const git = await gitRevert(sc.fx.git, "release/1.4", sc.merge);
      expect(git.code).toBe(0);
      expect(head?.tree).toBe(git.tree);
      const subject = (await sc.fx.git.readCommit(sc.merge))?.message.split("\n")[0] ?? "";
      expect(head?.message).toMatch(
        new RegExp(
          `^Revert "${subject.replace(/[()]/g, "\\$&")}"\n\nThis reverts commit ${sc.merge}\\.`,
        ),
      );

      expect({
        head: pr?.pull.headRef,
        base: pr?.pull.baseRef,
        title: pr?.title,
        assignees: pr?.assignees,
        linked: pr?.body.includes(LINK(sc)),
      }).toEqual({
        head: BRANCH,
        base: "release/1.4",
        title: 'Revert "Fix login crash" (v1.4.3)',
        assignees: [PEOPLE.releaser],
        linked: true,
      });
      expect(await tempBranches(sc.fx.git)).toEqual([`refs/heads/${BRANCH}`]);

      // Asked again: the PR is found and reused; nothing is written.
      sc.mark();
      expect(await openRevertPull(sc.fx.github, inputOf(sc))).toEqual({ ...result, reused: true });
      expect(sc.writes()).toEqual([]);
      expect(sc.pullsFrom(BRANCH)).toHaveLength(1);
    },
  );

  it("a conflict with later changes is reported with the manual command, leaving no branch behind", async () => {
    const sc = await scenario();
    await laterWork(sc, "line 5 fixed, and improved");
    const git = await gitRevert(sc.fx.git, "release/1.4", sc.merge.slice(0, 7));
    expect(git.code).toBe(1); // git agrees: the command runs, and stops at the conflict
    expect(git.stderr).toMatch(/CONFLICT \(content\): Merge conflict in app\.txt/);

    const result = await openRevertPull(sc.fx.github, inputOf(sc));
    const short = sc.merge.slice(0, 7);
    expect(result).toEqual({
      ok: false,
      reason: `reverting ${short} conflicts with later changes on \`release/1.4\`. Revert it by hand: \`git revert -m 1 ${short}\` on \`release/1.4\`.`,
    });
    expect(await tempBranches(sc.fx.git)).toEqual([]);
    expect(sc.pullsFrom(BRANCH)).toEqual([]);
  });

  it("a hotfix someone already reverted by hand: nothing to revert, no branch, no PR", async () => {
    const sc = await scenario();
    await laterWork(sc);
    await sc.repo.push(
      "release/1.4",
      { "app.txt": numbered(10, { 8: "later line 8" }) },
      "Revert the fix by hand",
      PEOPLE.releaser,
    );
    const result = await openRevertPull(sc.fx.github, inputOf(sc));
    expect(result).toEqual({
      ok: false,
      reason: "`release/1.4` no longer contains the hotfix's changes; nothing to revert.",
    });
    expect(await tempBranches(sc.fx.git)).toEqual([]);
    expect(sc.pullsFrom(BRANCH)).toEqual([]);
  });

  it("a repeated call reuses the PR and completes a missing assignee and body link, with one write each", async () => {
    const sc = await scenario();
    await laterWork(sc);
    const first = await openRevertPull(sc.fx.github, inputOf(sc));
    const pr = revertPull(sc);
    if (!pr) throw new Error("no revert PR");
    const body = pr.body;
    // Someone unassigns it and rewrites the body without the link.
    pr.assignees = [];
    pr.body = "Reverting the hotfix; see the incident.";

    sc.mark();
    expect(await openRevertPull(sc.fx.github, inputOf(sc))).toEqual({ ...first, reused: true });
    expect(routesOf(sc.writes())).toEqual([
      "PATCH /issues/{issue_number}",
      "PATCH /pulls/{pull_number}",
    ]);
    expect(revertPull(sc)?.assignees).toEqual([PEOPLE.releaser]);
    expect(revertPull(sc)?.body).toBe(`Reverting the hotfix; see the incident.\n\n${LINK(sc)}`);
    expect(body).toContain(LINK(sc));
  });

  it("a run that stopped right after opening the PR: the next call completes the assignee and opens nothing twice", async () => {
    const sc = await scenario();
    await laterWork(sc);
    const opened = () =>
      sc.fx.standIn.requests.some(
        (r) => r.method === "POST" && r.route === "/repos/{owner}/{repo}/pulls" && r.status === 201,
      );
    const fault = sc.fx.standIn.fault({ match: () => opened(), kind: { status: 502 } });
    await openRevertPull(sc.fx.github, inputOf(sc)).catch(() => undefined);
    expect(routesOf(fault.fired as never)).toEqual(["PATCH /issues/{issue_number}"]);
    expect(revertPull(sc)?.assignees).toEqual([]);

    const again = await openRevertPull(sc.fx.github, inputOf(sc));
    expect(again).toMatchObject({ ok: true, reused: true, number: revertPull(sc)?.number });
    expect(revertPull(sc)?.assignees).toEqual([PEOPLE.releaser]);
    expect(sc.pullsFrom(BRANCH)).toHaveLength(1);
  });

  it("a temporary revert branch a crashed run left behind is reused and removed", async () => {
    const sc = await scenario();
    await laterWork(sc);
    const temp = revertTempBranch("v1.4.3", sc.merge);
    expect(temp).toBe(`hotfix-bot/tmp/revert-v1.4.3-${sc.merge.slice(0, 12)}`);
    await sc.repo.branch(temp, sc.heads.r13, PEOPLE.releaser);
    sc.mark();

    const result = await openRevertPull(sc.fx.github, inputOf(sc));
    expect(result).toMatchObject({ ok: true, reused: false });
    const onTemp = sc
      .requests()
      .filter(
        (r) =>
          r.path.endsWith(`/refs/heads/${temp}`) ||
          (r.route === "/repos/{owner}/{repo}/git/refs" &&
            (r.body as { ref?: string }).ref === `refs/heads/${temp}`),
      )
      .map((r) => `${r.method} ${r.status}`);
    // Creating it is refused (it exists), so it is moved (forced: it is ours), then deleted.
    expect(onTemp).toEqual(["POST 422", "PATCH 200", "DELETE 204"]);
    expect(await tempBranches(sc.fx.git)).toEqual([`refs/heads/${BRANCH}`]);
    const git = await gitRevert(sc.fx.git, "release/1.4", sc.merge);
    expect(await sc.fx.git.treeOf(`refs/heads/${BRANCH}`)).toBe(git.tree);
  });
});
