/**
 * `/release-hotfix` through the real app: Probot's server, signed deliveries from the GitHub
 * stand-in (real git underneath, every request checked against GitHub's OpenAPI description),
 * the demo repository `acme/shop` and its people. Every test starts from one snapshot taken
 * when the hotfix PR (to `release/1.4`, where v1.4.0…v1.4.2 exist and v2.0.0 on main) was
 * approved and green, and judges the app by what GitHub then holds and by the requests it sent.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { LOGIN_V1, PEOPLE } from "../../sandbox/demo-repo.js";
import { HOTFIX_BRANCH, playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import type { RecordedRequest } from "../../sandbox/stand-in/server.js";
import {
  botComments,
  deployments,
  mark,
  openScenario,
  reactionsTo,
  replies,
  routesOf,
  say,
  settled,
  stages,
  trackingComments,
  writesSince,
  type AppScenario,
} from "../deploy/deploy-scenario.js";

const MERGE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";
const TAG_OBJECT = "POST /repos/{owner}/{repo}/git/tags";
const REFS = "POST /repos/{owner}/{repo}/git/refs";
const RELEASES = "POST /repos/{owner}/{repo}/releases";
const COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
const REACTION = "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions";

let run: AppScenario;
let pr: number;
let approved: HubSnapshot | undefined;
let problemsBefore = 0;

beforeAll(async () => {
  run = await openScenario();
  pr = await playUntilApproved(run.player);
  approved = await run.standIn.hub.snapshot();
}, 30_000);

afterAll(async () => {
  await approved?.dispose();
  await run?.close();
});

beforeEach(async () => {
  if (!approved) throw new Error("the approved state was not prepared");
  await run.standIn.hub.restore(approved);
  run.standIn.webhooks.setOptions({ concurrency: 1, duplicate: false });
  problemsBefore = run.standIn.problems().length;
});

afterEach(() => {
  // Every request the app sent in the test was one GitHub would accept (OpenAPI), and answered.
  expect(run.standIn.problems().slice(problemsBefore)).toEqual([]);
});

const repo = () => run.demo.repo;
const pull = () => repo().pull(pr).pull;
const tagCommit = (tag: string) => repo().git.resolveCommit(`refs/tags/${tag}`);
const tagNames = async () =>
  (await repo().git.listRefs("refs/tags/")).map((r) => r.ref.slice("refs/tags/".length)).sort();
const tagRefCreations = (requests: readonly RecordedRequest[]) =>
  requests.filter(
    (r) =>
      `${r.method} ${r.route}` === REFS &&
      String((r.body as { ref?: string }).ref).startsWith("refs/tags/"),
  );
const releaseStages = () => {
  const shown = stages(run, pr);
  return {
    "Final check": shown["Final check"]?.state,
    Merged: shown.Merged?.state,
    Tagged: shown.Tagged?.state,
    Released: shown.Released?.state,
  };
};
const ALL_DONE = { "Final check": "done", Merged: "done", Tagged: "done", Released: "done" };

describe("/release-hotfix releases a green hotfix", () => {
  it("merges, creates the annotated tag v1.4.3 on the merge commit, publishes the release without taking Latest from v2.0.0, and tracks each stage", async () => {
    const from = mark(run);
    const command = await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    const { merged, mergeCommitSha } = pull();
    expect(merged).toBe(true);
    const sent = writesSince(run, from);
    // Annotated: a tag object naming the merge commit, then the ref naming the tag object.
    const object = sent.find((r) => `${r.method} ${r.route}` === TAG_OBJECT);
    expect(object?.body).toMatchObject({ tag: "v1.4.3", object: mergeCommitSha, type: "commit" });
    const ref = await repo().git.readRef("refs/tags/v1.4.3");
    expect(await repo().git.objectType(ref ?? "")).toBe("tag");
    expect(tagRefCreations(sent).map((r) => r.body)).toEqual([
      { ref: "refs/tags/v1.4.3", sha: ref },
    ]);
    expect(await tagCommit("v1.4.3")).toBe(mergeCommitSha);

    const release = sent.find((r) => `${r.method} ${r.route}` === RELEASES);
    expect(release?.body).toMatchObject({ tag_name: "v1.4.3", draft: false, make_latest: "false" });
    expect(repo().state.releases.map((r) => [r.tagName, r.draft])).toEqual([["v1.4.3", false]]);
    expect(repo().state.latestRelease).not.toBe("v1.4.3");

    expect(releaseStages()).toEqual(ALL_DONE);
    expect(stages(run, pr).Tagged?.text).toBe(`\`v1.4.3\` on ${mergeCommitSha?.slice(0, 7)}`);
    expect(reactionsTo(run, command)).toEqual(["eyes", "rocket"]);
  });

  it("marks the release Latest when it is the highest version in the repository", async () => {
    // Only the 1.x line here: v2.0.0 is deleted (as `git push --delete origin v2.0.0` would).
    const before = await repo().git.readRef("refs/tags/v2.0.0");
    await repo().git.git(["update-ref", "-d", "refs/tags/v2.0.0"]);
    await repo().hub.refUpdated(repo().state, "refs/tags/v2.0.0", before, null, PEOPLE.releaser);
    await settled(run);
    const from = mark(run);

    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    const release = writesSince(run, from).find((r) => `${r.method} ${r.route}` === RELEASES);
    expect(release?.body).toMatchObject({ tag_name: "v1.4.3", make_latest: "true" });
    expect(repo().state.latestRelease).toBe("v1.4.3");
  });
});

describe("/release-hotfix refuses, and then changes nothing", () => {
  it("refuses a commenter who may not release: names who may, reacts 😕, writes nothing else", async () => {
    const from = mark(run);
    const command = await say(run, PEOPLE.dev, pr, RELEASE_COMMAND);

    expect(replies(run, pr)).toEqual([expect.stringMatching(/^@dana may not release here: /)]);
    const [reply] = replies(run, pr);
    expect(reply).toContain("members of acme/release-managers");
    expect(reply).toContain("anyone with maintain permission or higher");
    expect(reply).toContain("@dana has write permission");
    expect(reactionsTo(run, command)).toEqual(["confused"]);
    expect(routesOf(writesSince(run, from))).toEqual([REACTION, COMMENT]);
    expect(pull().merged).toBe(false);
  });

  it("refuses while the gate is unmet, listing exactly the requirements that are missing", async () => {
    // A new commit: the build has not run on it, and the approvals were given on the old head.
    const head = await repo().push(
      HOTFIX_BRANCH,
      { "NOTES.md": "Session expiry is now compared in milliseconds.\n" },
      "Add a note",
      PEOPLE.dev,
    );
    await settled(run);
    const from = mark(run);

    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    const [reply = ""] = replies(run, pr);
    expect(reply).toMatch(
      new RegExp(
        `^@mia not released: the hotfix policy is not met on ${head.slice(0, 7)}\\. Missing:`,
      ),
    );
    const missing = reply
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .map((line) => /\*\*(.+?)\*\*/.exec(line)?.[1]);
    expect(missing.sort()).toEqual(["Operations approval", "QA approval", "Required checks"]);
    expect(routesOf(writesSince(run, from))).toEqual([COMMENT]);
    expect(pull().merged).toBe(false);
    expect(trackingComments(run, pr)).toEqual([]);
  });

  it("--dry-run posts the plan — merge, tag name, release, deploy, backports — and writes nothing else", async () => {
    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --dry-run`);

    expect(routesOf(writesSince(run, from))).toEqual([COMMENT]);
    const [plan = ""] = replies(run, pr);
    expect(plan).toMatch(/^\*\*Dry run — nothing was changed\.\*\* `\/release-hotfix` would now:/);
    expect(plan).toContain(
      `1. Merge #${pr} into \`release/1.4\` (squash), only if its head is still`,
    );
    expect(plan).toContain("2. Create the annotated tag **`v1.4.3`** on the merge commit");
    expect(plan).toContain("3. Publish the GitHub Release v1.4.3, not marked latest");
    expect(plan).toContain("4. Deploy `v1.4.3` to staging, then production.");
    expect(plan).toContain("5. Backport to `main`, `release/1.3` (after the release).");
    expect(pull().merged).toBe(false);
    expect(await tagNames()).not.toContain("v1.4.3");
    expect(repo().state.releases).toEqual([]);
  });

  it("ignores commands from bots, in edited comments and on plain issues: not one request", async () => {
    const harmless = await say(run, PEOPLE.releaser, pr, "Looks good to me.");
    const from = mark(run);

    repo().comment(PEOPLE.deployer, pr, RELEASE_COMMAND);
    repo().hub.editComment(repo().state, harmless.id, RELEASE_COMMAND, PEOPLE.releaser);
    repo().comment(PEOPLE.releaser, 1, RELEASE_COMMAND); // #1 is the bug report, an issue
    await settled(run);

    expect(run.standIn.requests.slice(from)).toEqual([]);
    expect(pull().merged).toBe(false);
    expect(botComments(run, pr)).toEqual([]);
  });

  it("while the policy on main is invalid, replies with its problems and does nothing else", async () => {
    await repo().push(
      "main",
      {
        ".github/hotfix.yml":
          "approvals:\n  groups:\n    - { name: QA, cuont: 1, teams: [acme/qa] }\n",
      },
      "Require QA",
      PEOPLE.releaser,
    );
    await settled(run);
    const from = mark(run);

    const command = await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(routesOf(writesSince(run, from))).toEqual([COMMENT]);
    const [reply = ""] = replies(run, pr);
    expect(reply).toMatch(/^@mia nothing was done: the hotfix policy is invalid/);
    expect(reply).toMatch(/\.github\/hotfix\.yml:3: approvals\.groups\[0\]\.cuont: unknown key/);
    expect(reactionsTo(run, command)).toEqual([]);
    expect(pull().merged).toBe(false);
  });

  it("refuses an unauthorised `/backport main` on a merged PR: reply, 😕, and no branch or PR", async () => {
    await repo().hub.mergePull(repo().state, pr, { method: "squash" }, PEOPLE.releaser);
    await settled(run);
    const pulls = repo().state.issues.size;
    const from = mark(run);

    const command = await say(run, PEOPLE.dev, pr, "/backport main");

    expect(replies(run, pr)).toEqual([
      expect.stringMatching(/^@dana may not start backports here: /),
    ]);
    expect(reactionsTo(run, command)).toEqual(["confused"]);
    expect(routesOf(writesSince(run, from))).toEqual([REACTION, COMMENT]);
    expect(repo().state.issues.size).toBe(pulls);
    expect(await repo().git.listRefs("refs/heads/backport/")).toEqual([]);
  });
});

describe("/release-hotfix when GitHub refuses or fails, and the command again", () => {
  it("a merge GitHub refuses (405, conflicts with the base) is explained in the tracking comment and a reply; once the cause is gone the next command finishes", async () => {
    // Someone changes the very line the hotfix changes on release/1.4: the PR cannot be merged.
    await repo().push(
      "release/1.4",
      { "src/login.ts": LOGIN_V1.replace("return session.user;", "return session.user ?? null;") },
      "Tolerate sessions without a user",
      PEOPLE.releaser,
    );
    await settled(run);
    const command = await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(pull().merged).toBe(false);
    const merged = stages(run, pr).Merged;
    expect(merged?.state).toBe("failed");
    expect(merged?.text).toContain(
      "GitHub refused to squash-merge it (405: Pull Request is not mergeable)",
    );
    expect(replies(run, pr)).toEqual([
      expect.stringMatching(
        /^@mia the release stopped at \*\*merge\*\*: GitHub refused to squash-merge it \(405: Pull Request is not mergeable\)/,
      ),
    ]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "confused"]);
    expect(await tagNames()).not.toContain("v1.4.3");

    // The change is reverted on release/1.4; the command again.
    await repo().push("release/1.4", { "src/login.ts": LOGIN_V1 }, "Revert", PEOPLE.releaser);
    await settled(run);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(pull().merged).toBe(true);
    expect(releaseStages()).toEqual(ALL_DONE);
    expect(stages(run, pr).Merged?.text).not.toContain("405");
    expect(await tagCommit("v1.4.3")).toBe(pull().mergeCommitSha);
  });

  it("the same command twice ends in one merge, one tag and one release; the second only reacts", async () => {
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(routesOf(writesSince(run, from))).toEqual([REACTION, REACTION]);
    expect(repo().state.releases.map((r) => r.tagName)).toEqual(["v1.4.3"]);
    expect(trackingComments(run, pr)).toHaveLength(1);
    expect(releaseStages()).toEqual(ALL_DONE);
  });

  it("two maintainers commenting at the same moment: one merge, one tag, one release, one staging deployment", async () => {
    repo().grant("max", "maintain");
    run.standIn.webhooks.setOptions({ concurrency: 4 });
    const from = mark(run);
    repo().comment(PEOPLE.releaser, pr, RELEASE_COMMAND);
    repo().comment("max", pr, RELEASE_COMMAND);
    await settled(run);

    const sent = run.standIn.requests.slice(from);
    const succeeded = (route: string) =>
      sent.filter((r) => `${r.method} ${r.route}` === route && r.status < 300);
    expect(succeeded(MERGE)).toHaveLength(1);
    expect(tagRefCreations(sent).filter((r) => r.status === 201)).toHaveLength(1);
    expect(succeeded(RELEASES)).toHaveLength(1);
    expect(await tagNames()).toEqual([
      "v1.3.0",
      "v1.3.1",
      "v1.4.0",
      "v1.4.1",
      "v1.4.2",
      "v1.4.3",
      "v2.0.0",
    ]);
    expect(repo().state.releases.map((r) => r.tagName)).toEqual(["v1.4.3"]);
    expect(deployments(run).map((d) => `${d.ref} → ${d.environment}`)).toEqual([
      "v1.4.3 → staging",
    ]);
    expect(trackingComments(run, pr)).toHaveLength(1);
  });

  it("a 502 on creating the release is reported; the next command creates only the release", async () => {
    const fault = run.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/releases",
      kind: { status: 502 },
    });
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(fault.fired).toHaveLength(1);
    expect(releaseStages()).toEqual({ ...ALL_DONE, Released: "failed" });
    expect(stages(run, pr).Released?.text).toContain("GitHub answered 502");
    expect(replies(run, pr)).toEqual([
      expect.stringMatching(/^@mia the release stopped at \*\*release\*\*: GitHub answered 502 /),
    ]);
    expect(repo().state.releases).toEqual([]);

    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    const again = routesOf(writesSince(run, from));
    expect(again.filter((r) => r === RELEASES)).toHaveLength(1);
    expect(again).not.toContain(MERGE);
    expect(again).not.toContain(TAG_OBJECT);
    expect(tagRefCreations(writesSince(run, from))).toEqual([]);
    expect(repo().state.releases.map((r) => r.tagName)).toEqual(["v1.4.3"]);
    expect(releaseStages()).toEqual(ALL_DONE);
  });

  /** Someone pushes `tag` on `at` by hand while the app is between choosing the version and tagging. */
  const tagByHandWhileTagging = (tag: string, at: string) => {
    let pushed = false;
    const stop = run.standIn.intercept(async (request) => {
      if (!pushed && request.method === "POST" && request.route === TAG_OBJECT.slice(5)) {
        pushed = true;
        await repo().tag(tag, at, PEOPLE.captain);
      }
      return undefined;
    });
    return { stop, pushed: () => pushed };
  };
  const tagRefsMoved = () =>
    run.standIn.requests.filter((r) => r.method === "PATCH" && r.path.includes("/git/refs/tags/"));

  it("the planned version tagged by hand on the line meanwhile: the release takes the next free one, the hand-made tag is never moved", async () => {
    const before = await repo().headOf("release/1.4");
    const hand = tagByHandWhileTagging("v1.4.3", before);
    try {
      await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
    } finally {
      hand.stop();
    }

    expect(hand.pushed()).toBe(true);
    expect(await tagCommit("v1.4.3")).toBe(before);
    expect(await tagCommit("v1.4.4")).toBe(pull().mergeCommitSha);
    expect(releaseStages()).toEqual(ALL_DONE);
    expect(stages(run, pr).Tagged?.text).toBe(
      `\`v1.4.4\` on ${pull().mergeCommitSha?.slice(0, 7)}`,
    );
    expect(repo().state.releases.map((r) => r.tagName)).toEqual(["v1.4.4"]);
    expect(replies(run, pr)).toEqual([]);
    expect(tagRefsMoved()).toEqual([]);
  });

  it("a tag of that name on code outside the line's history stops the release: the tag is never moved, and the reply says so", async () => {
    // v1.4.3 appears on release/1.3's head: a 1.4.4 on this hotfix would lack whatever it holds.
    const elsewhere = await repo().headOf("release/1.3");
    const hand = tagByHandWhileTagging("v1.4.3", elsewhere);
    try {
      await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
    } finally {
      hand.stop();
    }

    expect(hand.pushed()).toBe(true);
    expect(await tagCommit("v1.4.3")).toBe(elsewhere);
    expect(await tagNames()).not.toContain("v1.4.4");
    expect(stages(run, pr).Tagged?.state).toBe("failed");
    const [reply = ""] = replies(run, pr);
    expect(reply).toMatch(
      new RegExp(
        `^@mia the release stopped at \\*\\*tag\\*\\*: v1\\.4\\.3 \\(on ${elsewhere.slice(0, 7)}\\) was created meanwhile, not on this hotfix's merge commit ${pull().mergeCommitSha?.slice(0, 7)}; hotfix-bot never moves a tag`,
      ),
    );
    expect(reply).toContain(
      "v1.4.3, the highest release of line 1.4.x, is not in the history of this hotfix's merge commit",
    );
    expect(repo().state.releases).toEqual([]);
    expect(deployments(run)).toEqual([]);
    expect(tagRefsMoved()).toEqual([]);
  });

  it("a crash right after tagging (the answer to the tag's ref is lost): the rerun finishes from GitHub's tags", async () => {
    const fault = run.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/git/refs",
      match: (r) => (r.body as { ref?: string }).ref === "refs/tags/v1.4.3",
      kind: { drop: "after" },
    });
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(fault.fired).toHaveLength(1);
    expect(await tagCommit("v1.4.3")).toBe(pull().mergeCommitSha);
    expect(repo().state.releases).toEqual([]);

    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    const again = writesSince(run, from);
    expect(routesOf(again)).not.toContain(MERGE);
    expect(routesOf(again)).not.toContain(TAG_OBJECT);
    expect(tagRefCreations(again)).toEqual([]);
    expect(repo().state.releases.map((r) => r.tagName)).toEqual(["v1.4.3"]);
    expect(await tagNames()).toEqual([
      "v1.3.0",
      "v1.3.1",
      "v1.4.0",
      "v1.4.1",
      "v1.4.2",
      "v1.4.3",
      "v2.0.0",
    ]);
    expect(releaseStages()).toEqual(ALL_DONE);
  });
});
