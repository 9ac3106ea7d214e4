/**
 * Backports end to end on the GitHub stand-in: the hotfix PR is a real merged PR, the cherry-pick
 * runs through the real adapter against a real bare repository, the backport PRs, labels,
 * assignees, review requests and the tracking comment are the stand-in's (every request checked
 * against GitHub's OpenAPI description), and the trees are compared with real
 * `git cherry-pick -x` / `git merge-tree` on the same history.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { carryBackports } from "../../src/backport/carry.js";
import { policyTargets } from "../../src/backport/triggers.js";
import { backportTempBranch } from "../../src/record/names.js";
import { stepHotfix } from "../../src/record/step.js";
import {
  backportLine,
  PEOPLE,
  routesOf,
  startScenario,
  type Scenario,
  type ScenarioOptions,
} from "./backport-scenario.js";
import {
  fileAt,
  filesOf,
  gitCherryPick,
  gitMergeTreePick,
  numbered,
  tempBranches,
  withoutLabels,
} from "./git-fixture.js";

const RELEASE = { tag: "v1.4.3", url: "https://github.com/acme/api/releases/tag/v1.4.3" };
const BOTH = ["main", "release/1.3"];

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

/**
 * The backports as the release starts them (the hotfix as GitHub shows it, the release's tag and
 * page); the requests are counted from here.
 */
async function carry(
  sc: Scenario,
  targets: string[] = BOTH,
  backport: Record<string, unknown> = {},
) {
  const pull = await sc.pull();
  sc.mark();
  return carryBackports(sc.ctx(backport), pull, targets, { release: RELEASE });
}

const branchOf = (sc: Scenario, target: string) => `backport/${sc.pr}-to-${target}`;

/** Every branch and where it points, every PR with what it carries, the tracking comment. */
async function endState(sc: Scenario) {
  const refs = await sc.fx.git.listRefs("refs/heads/");
  const pulls = [...sc.repo.state.issues.values()]
    .filter((i) => i.pull)
    .map((i) => ({
      number: i.number,
      head: i.pull?.headRef,
      state: i.state,
      draft: i.pull?.draft,
      body: i.body,
      labels: [...i.labels],
      assignees: [...i.assignees],
      reviewers: [...(i.pull?.requestedReviewers ?? [])],
    }));
  return { refs, pulls, comments: sc.comments(sc.pr) };
}

describe("carryBackports: the PRs", () => {
  it("a merged hotfix on release/1.4 gets a clean PR to main and a draft labelled backport-conflict to release/1.3, trees as git makes them", async () => {
    const sc = await scenario();
    const outcomes = await carry(sc);
    expect(outcomes.map((o) => [o.target, o.kind])).toEqual([
      ["main", "opened"],
      ["release/1.3", "conflict-draft"],
    ]);
    const original = await sc.pull();
    const link = `<sub>Opened by hotfix-bot. The original PR: ${original.htmlUrl}</sub>`;

    // The clean one: what real `git cherry-pick -x` makes, on main's head.
    const [clean] = sc.pullsFrom(branchOf(sc, "main"));
    const cleanPr = sc.held(clean as number);
    expect({
      title: cleanPr.title,
      base: cleanPr.pull.baseRef,
      draft: cleanPr.pull.draft,
      labels: cleanPr.labels,
      assignees: cleanPr.assignees,
      reviewers: cleanPr.pull.requestedReviewers,
    }).toEqual({
      title: "[Backport main] Fix login crash",
      base: "main",
      draft: false,
      labels: ["bug"], // not hotfix-bot's own: the hotfix label, backport …
      assignees: [PEOPLE.dev],
      reviewers: [PEOPLE.captain],
    });
    expect(cleanPr.body).toContain(
      `Backport of #${sc.pr} to \`main\`, released in [v1.4.3](${RELEASE.url}).`,
    );
    expect(cleanPr.body).toContain(link);
    const git = await gitCherryPick(sc.fx.git, "main", [sc.merge]);
    const head = await sc.fx.git.readCommit(cleanPr.pull.headSha);
    expect(head?.tree).toBe(git.tree);
    expect(head?.parents).toEqual([sc.heads.main]);
    expect(head?.message.replace(/\n+$/, "")).toBe(git.message);

    // The conflicting one: a draft whose files are git merge-tree's, markers and all.
    const [draft] = sc.pullsFrom(branchOf(sc, "release/1.3"));
    const draftPr = sc.held(draft as number);
    expect({
      base: draftPr.pull.baseRef,
      draft: draftPr.pull.draft,
      labels: draftPr.labels,
      assignees: draftPr.assignees,
      reviewers: draftPr.pull.requestedReviewers,
    }).toEqual({
      base: "release/1.3",
      draft: true,
      labels: ["bug", "backport-conflict"],
      assignees: [PEOPLE.dev],
      reviewers: [PEOPLE.captain],
    });
    expect(draftPr.body).toContain("did not apply cleanly");
    expect(draftPr.body).toContain(`git cherry-pick -x ${sc.merge}`);
    expect(draftPr.body).toContain(link);
    const merged = await gitMergeTreePick(sc.fx.git, sc.heads.r13, sc.merge);
    expect(merged.clean).toBe(false);
    expect(Object.keys(merged.files)).toEqual(["app.txt"]);
    const unlabelled = (files: Record<string, string>) =>
      Object.fromEntries(Object.entries(files).map(([p, text]) => [p, withoutLabels(text)]));
    expect(unlabelled(await filesOf(sc.fx.git, draftPr.pull.headSha))).toEqual(
      unlabelled(await filesOf(sc.fx.git, merged.tree)),
    );
    const marked = (await fileAt(sc.fx.git, draftPr.pull.headSha, "app.txt")) ?? "";
    expect(marked).toMatch(
      /<<<<<<< release\/1\.3\nline 5 as 1\.3 has it\n=======\nline 5 fixed\n>>>>>>> /,
    );
    const picked = await gitCherryPick(sc.fx.git, "release/1.3", [sc.merge]);
    expect(withoutLabels(picked.conflicted["app.txt"] ?? "")).toBe(withoutLabels(marked));

    // The tracking comment: one line per target.
    const tracking = sc.tracking();
    expect((tracking ?? "").split("\n").filter((l) => l.includes("**Backport to "))).toEqual([
      `- [x] ✅ **Backport to \`main\`** — #${clean} ([link](https://github.com/acme/api/pull/${clean}))`,
      `- [ ] ⬜ **Backport to \`release/1.3\`** — draft #${draft} has conflicts for a human to resolve ([link](https://github.com/acme/api/pull/${draft}))`,
    ]);
    expect(await tempBranches(sc.fx.git)).toEqual([]);
  });

  it("a 1-commit backport released by hotfix-bot costs exactly 11 requests for the pick and the PR (4N+6, +1 for reviewers), plus 8 record reads and 1 comment write", async () => {
    const sc = await scenario();
    await carry(sc, ["main"]);
    const routes = routesOf(sc.requests());
    // The step reads the record first: comments, the PR, the stored tag (ref, tag object), its
    // release, the backport branches.
    const recordBefore = [
      "GET /issues/{issue_number}/comments",
      "GET /pulls/{pull_number}",
      "GET /git/ref/{ref+}",
      "GET /git/tags/{tag_sha}",
      "GET /releases/tags/{tag+}",
      "GET /git/matching-refs/{ref+}",
    ];
    const backport = [
      "GET /git/commits/{sha}", // the squash commit (method known: no inference)
      "GET /branches/{branch+}", // the target's head
      "POST /git/commits", // the sibling commit
      "POST /git/refs", // the temporary branch
      "POST /merges", // the 3-way merge
      "POST /git/commits", // the cherry-picked commit
      "POST /git/refs", // backport/<pr>-to-main
      "DELETE /git/refs/{ref+}", // the temporary branch
      "POST /pulls",
      "PATCH /issues/{issue_number}", // labels and assignee in one
      "POST /pulls/{pull_number}/requested_reviewers",
    ];
    // Derived again after the writes (the branches, the new branch's PR), then the comment.
    const recordAfter = [
      "GET /git/matching-refs/{ref+}",
      "GET /pulls",
      "PATCH /issues/comments/{comment_id}",
    ];
    expect(routes).toEqual([...recordBefore, ...backport, ...recordAfter]);
    expect(backport).toHaveLength(4 * 1 + 6 + 1);
    expect(routes).toHaveLength(20);
  });

  it("a 2-commit PR merged by hand with a merge commit costs 4N+6 +1 for inferring the method: 15, plus 5 record reads and 2 for the first tracking comment", async () => {
    const sc = await scenario({ merged: "by-hand", method: "merge", commits: 2 });
    await carry(sc, ["main"], { reviewers: [] });
    const routes = routesOf(sc.requests());
    const recordBefore = [
      "GET /issues/{issue_number}/comments",
      "GET /pulls/{pull_number}",
      "GET /git/matching-refs/{ref+}",
    ];
    const backport = [
      "GET /pulls/{pull_number}/commits", // how it was merged is read from the commits
      "GET /commits",
      "GET /branches/{branch+}",
      "POST /git/commits", // 1st commit: sibling, temporary branch created, merge, copy
      "POST /git/refs",
      "POST /merges",
      "POST /git/commits",
      "POST /git/commits", // 2nd commit: sibling, temporary branch moved, merge, copy
      "PATCH /git/refs/{ref+}",
      "POST /merges",
      "POST /git/commits",
      "POST /git/refs",
      "DELETE /git/refs/{ref+}",
      "POST /pulls",
      "PATCH /issues/{issue_number}",
    ];
    const recordAfter = [
      "GET /git/matching-refs/{ref+}",
      "GET /pulls",
      "POST /issues/{issue_number}/comments",
      "GET /issues/{issue_number}/comments", // a concurrent writer's duplicate is looked for
    ];
    expect(routes).toEqual([...recordBefore, ...backport, ...recordAfter]);
    expect(backport).toHaveLength(4 * 2 + 6 + 1);
    // The PR's own commits, as `git cherry-pick -x` carries them.
    const own = await sc.fx.git.revList(["--reverse", `${sc.merge}^1..${sc.merge}^2`]);
    expect(own).toHaveLength(2);
    const git = await gitCherryPick(sc.fx.git, "main", own);
    expect(await sc.fx.git.treeOf(`refs/heads/${branchOf(sc, "main")}`)).toBe(git.tree);
  });
});

describe("carryBackports: repeats", () => {
  it("running the same backports again gives the same end state, opens nothing twice and writes nothing", async () => {
    const sc = await scenario();
    const first = await carry(sc);
    const before = await endState(sc);
    const again = await carry(sc);
    expect(sc.writes()).toEqual([]);
    // Per target: the record (comments, the PR, the tag and its release, the backport branches
    // and their PRs), then the backport PR itself to see what it lacks. No git data, no write.
    const perTarget = [
      "GET /issues/{issue_number}/comments",
      "GET /pulls/{pull_number}",
      "GET /git/ref/{ref+}",
      "GET /git/tags/{tag_sha}",
      "GET /releases/tags/{tag+}",
      "GET /git/matching-refs/{ref+}",
      "GET /pulls",
      "GET /pulls",
      "GET /pulls/{pull_number}",
    ];
    expect(routesOf(sc.requests())).toEqual([...perTarget, ...perTarget]);
    expect(again.map((o) => [o.target, o.kind, o.text])).toEqual([
      ["main", "linked", first[0]?.text],
      ["release/1.3", "conflict-draft", first[1]?.text],
    ]);
    expect(await endState(sc)).toEqual(before);
    expect(sc.pullsFrom(branchOf(sc, "main"))).toHaveLength(1);
    expect(sc.pullsFrom(branchOf(sc, "release/1.3"))).toHaveLength(1);
  });

  it("with the tracking comment deleted by someone, a repeat finds the PRs by their branches and only writes the comment again", async () => {
    const sc = await scenario();
    await carry(sc);
    const before = await endState(sc);
    const shown = sc.tracking();
    const tracking = [...sc.repo.state.comments.values()].find((c) => c.body === shown);
    sc.fx.standIn.hub.deleteComment(sc.repo.state, tracking?.id as number, PEOPLE.releaser);
    await carry(sc);
    expect(routesOf(sc.writes()).filter((r) => !r.includes("/comments"))).toEqual([]);
    expect(
      sc.comments(sc.pr).filter((b) => b.startsWith("<!-- hotfix-bot:tracking -->")),
    ).toHaveLength(1);
    const after = await endState(sc);
    expect(after.refs).toEqual(before.refs);
    expect(after.pulls).toEqual(before.pulls);
    // The release's stored part went with the comment; the backport lines are derived again.
    for (const target of BOTH)
      expect(backportLine(sc.tracking(), target)).toBe(backportLine(shown, target));
  });
});

describe("carryBackports: after the backport PR is merged", () => {
  it("a merged backport PR whose branch GitHub deleted stays shown as merged, and a repeat carries nothing again", async () => {
    const sc = await scenario();
    await carry(sc, ["main"]);
    const [number] = sc.pullsFrom(branchOf(sc, "main"));
    await sc.fx.standIn.hub.mergePull(
      sc.repo.state,
      number as number,
      { method: "merge" },
      PEOPLE.releaser,
    );
    // "Automatically delete head branches", a common repository setting.
    await sc.fx.git.git(["update-ref", "-d", `refs/heads/${branchOf(sc, "main")}`]);
    const merged = `- [x] ✅ **Backport to \`main\`** — #${number} merged ([link](https://github.com/acme/api/pull/${number}))`;
    // Any later step (a deployment event, the sweep) derives the record again.
    await stepHotfix(sc.ctx(), sc.pr, async () => undefined);
    expect(backportLine(sc.tracking(), "main")).toBe(merged);
    const [outcome] = await carry(sc, ["main"]);
    expect(outcome).toMatchObject({ target: "main", kind: "linked", text: `#${number}` });
    expect(routesOf(sc.writes()).filter((r) => !r.startsWith("PATCH /issues/comments"))).toEqual(
      [],
    );
    expect(backportLine(sc.tracking(), "main")).toBe(merged);
  });
});

describe("carryBackports: after a crash", () => {
  it("a temporary branch a crashed run left behind is reused by the rerun and deleted at the end", async () => {
    const sc = await scenario();
    const temp = backportTempBranch(sc.pr, "main", sc.merge);
    expect(temp).toBe(`hotfix-bot/tmp/backport-${sc.pr}-to-main-${sc.merge.slice(0, 12)}`);
    await sc.repo.branch(temp, sc.heads.r13, PEOPLE.releaser); // pointing somewhere unrelated
    const [outcome] = await carry(sc, ["main"]);
    expect(outcome?.kind).toBe("opened");
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
    expect(await tempBranches(sc.fx.git)).toEqual([]);
    const git = await gitCherryPick(sc.fx.git, "main", [sc.merge]);
    expect(await sc.fx.git.treeOf(`refs/heads/${branchOf(sc, "main")}`)).toBe(git.tree);
  });
});

describe("carryBackports: nothing to open", () => {
  it("a change already on the target opens no PR, stores a note shown in the comment, and a repeat does not cherry-pick again", async () => {
    const sc = await scenario();
    await sc.repo.push(
      "main",
      { "app.txt": numbered(10, { 5: "line 5 fixed" }) },
      "Same fix on main",
      PEOPLE.releaser,
    );
    const [outcome] = await carry(sc, ["main"]);
    expect(outcome).toEqual({
      target: "main",
      kind: "already-present",
      text: "already on `main`: The change is already on main; there is nothing to backport.",
    });
    expect(sc.pullsFrom(branchOf(sc, "main"))).toEqual([]);
    expect(await sc.fx.git.readRef(`refs/heads/${branchOf(sc, "main")}`)).toBeNull();
    expect(await tempBranches(sc.fx.git)).toEqual([]);
    const tracking = sc.tracking();
    expect(backportLine(tracking, "main")).toMatch(
      /^- \[x\] ✅ \*\*Backport to `main`\*\* — already on `main`: The change is already on main/,
    );
    expect(tracking).toMatch(
      /"backports":\{"main":\{"kind":"already-present","reason":"The change is already on main; there is nothing to backport\.","at":"[^"]+"\}\}/,
    );

    const [repeat] = await carry(sc, ["main"]);
    expect(repeat?.kind).toBe("already-present");
    expect(sc.writes()).toEqual([]);
    expect(
      routesOf(sc.requests()).filter(
        (r) =>
          r.includes("/merges") ||
          r.startsWith("GET /git/commits") ||
          r.startsWith("GET /branches"),
      ),
    ).toEqual([]);
  });

  it("on_conflict: comment opens no PR: one comment with the commands, posted once however often it is repeated, and the backport-conflict label on the original", async () => {
    const sc = await scenario();
    const conflictComments = () =>
      sc.comments(sc.pr).filter((b) => b.startsWith("### Backport to `release/1.3` needs a human"));
    const [outcome] = await carry(sc, ["release/1.3"], { on_conflict: "comment" });
    expect(outcome).toMatchObject({ target: "release/1.3", kind: "conflict-comment" });
    expect(sc.pullsFrom(branchOf(sc, "release/1.3"))).toEqual([]);
    expect(await sc.fx.git.readRef(`refs/heads/${branchOf(sc, "release/1.3")}`)).toBeNull();
    expect(await tempBranches(sc.fx.git)).toEqual([]);
    const [comment] = conflictComments();
    expect(conflictComments()).toHaveLength(1);
    expect(comment).toContain("`app.txt`");
    expect(comment).toContain("`backport.on_conflict: comment`");
    expect(comment).toContain(
      [
        "```sh",
        "git fetch origin release/1.3",
        `git checkout -b ${branchOf(sc, "release/1.3")} origin/release/1.3`,
        `git cherry-pick -x ${sc.merge}`,
      ].join("\n"),
    );
    expect(sc.held(sc.pr).labels).toContain("backport-conflict");
    expect(backportLine(sc.tracking(), "release/1.3")).toMatch(
      /— conflicts in `app\.txt`: finish by hand \(see comment\) \(\[link\]\(https:\/\/github\.com\/acme\/api\/pull\/\d+#issuecomment-\d+\)\)$/,
    );

    await carry(sc, ["release/1.3"], { on_conflict: "comment" });
    expect(sc.writes()).toEqual([]);
    // Even with the tracking comment (and the note in it) gone, the notice is not posted twice.
    const tracking = [...sc.repo.state.comments.values()].find((c) =>
      c.body.startsWith("<!-- hotfix-bot:tracking -->"),
    );
    sc.fx.standIn.hub.deleteComment(sc.repo.state, tracking?.id as number, PEOPLE.releaser);
    await carry(sc, ["release/1.3"], { on_conflict: "comment" });
    expect(conflictComments()).toHaveLength(1);
    expect(sc.pullsFrom(branchOf(sc, "release/1.3"))).toEqual([]);
  });
});

describe("carryBackports: targets that fail", () => {
  it("a target branch that does not exist fails with the reason; the other targets go on", async () => {
    const sc = await scenario();
    const outcomes = await carry(sc, ["release/0.9", "main"]);
    expect(outcomes.map((o) => [o.target, o.kind])).toEqual([
      ["release/0.9", "failed"],
      ["main", "opened"],
    ]);
    expect(outcomes[0]?.text).toBe("The target branch release/0.9 does not exist.");
    expect(sc.pullsFrom(branchOf(sc, "main"))).toHaveLength(1);
    const tracking = sc.tracking();
    expect(backportLine(tracking, "release/0.9")).toBe(
      "- [ ] ❌ **Backport to `release/0.9`** — The target branch release/0.9 does not exist.",
    );
    expect(backportLine(tracking, "main")).toMatch(/^- \[x\] ✅ \*\*Backport to `main`\*\* — #\d+/);
  });

  it("a policy pattern that matches no branch is shown as such; the others are carried", async () => {
    const sc = await scenario();
    const ctx = sc.ctx({ branches: ["main", "legacy/*"] });
    const pull = await sc.pull();
    const targets = await policyTargets(ctx, pull);
    expect(targets).toEqual(["main"]);
    await carryBackports(ctx, pull, targets, { release: RELEASE });
    const tracking = sc.tracking();
    expect(backportLine(tracking, "legacy/*")).toMatch(
      /^- \[x\] ➖ \*\*Backport to `legacy\/\*`\*\* — no branch matches `legacy\/\*` \(policy `backport\.branches`\)$/,
    );
    expect(backportLine(tracking, "main")).toMatch(/^- \[x\] ✅ \*\*Backport to `main`\*\* — #\d+/);
  });

  it("a GitHub error while opening one target's PR is reported on that target with how to retry; the other targets go on", async () => {
    const sc = await scenario();
    // GitHub answers 500 to opening the first backport PR (nothing is opened).
    const fault = sc.fx.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/pulls",
      kind: { status: 500 },
    });
    const outcomes = await carry(sc).catch((error: unknown) => error);
    expect(fault.fired).toHaveLength(1);
    // Today the error escapes carryBackports (src/backport/backport-target.ts, ensureBackportPull
    // is not guarded): release/1.3 is never tried, and main gets no failure note.
    expect(Array.isArray(outcomes) ? outcomes.map((o) => [o.target, o.kind]) : outcomes).toEqual([
      ["main", "failed"],
      ["release/1.3", "conflict-draft"],
    ]);
    expect(sc.pullsFrom(branchOf(sc, "release/1.3"))).toHaveLength(1);
    expect(backportLine(sc.tracking(), "main")).toContain("`/backport main`");
  });

  it("GitHub's 502 page during the cherry-pick fails that target with a one-line reason, not the HTML page", async () => {
    const sc = await scenario();
    sc.fx.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/merges",
      kind: { status: 502 },
    });
    const [outcome] = await carry(sc, ["main"]);
    expect(outcome?.kind).toBe("failed");
    expect(outcome?.text).toMatch(
      /^The backport to main stopped: GitHub answered 502 to POST \/repos\/\{owner\}\/\{repo\}\/merges/,
    );
    expect(outcome?.text).not.toMatch(/<html|<!DOCTYPE/i);
    // The comment's list stays a list: the next line is the next stage.
    const lines = (sc.tracking() ?? "").split("\n");
    const at = lines.findIndex((l) => l.includes("**Backport to `main`**"));
    expect(lines[at + 1]).toMatch(/^- \[x\] ➖ \*\*Deploy\*\*/);
  });

  it("the commands to finish by hand in a failure's reason run as pasted: no shell comment cuts the chain before git push", async () => {
    const sc = await scenario();
    sc.fx.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/merges",
      kind: { status: 500 },
    });
    const [outcome] = await carry(sc, ["main"]);
    const command = /To do it by hand: `([^`]+)`/.exec(outcome?.text ?? "")?.[1] ?? "";
    expect(command).toContain(`git cherry-pick -x ${sc.merge}`);
    expect(command).toContain(`git push origin ${branchOf(sc, "main")}`);
    // In a shell everything after `#` is a comment: the push would never run.
    expect(command.slice(0, command.indexOf("git push"))).not.toContain("#");
  });
});
