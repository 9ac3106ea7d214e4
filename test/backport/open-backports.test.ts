/**
 * Backport orchestration over real git: the git data goes through the real adapter to the
 * stand-in's bare repository; PRs and comments are a small in-memory fake of the port's Pulls
 * and Issues parts (the sandbox scenario tests cover them over HTTP). The issue's "done when":
 * a merged hotfix on release/1.4 → a clean PR to main and a draft conflict PR to release/1.3,
 * trees equal to git's, within 4N+6 requests, and no duplicates on repetition.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { openBackports, type BackportRequest } from "../../src/backport/open-backports.js";
import { unpaced } from "../../src/backport/pace-writes.js";
import type { GitHubPort } from "../../src/github/port.js";
import type { IssueComment } from "../../src/github/port/issues.js";
import type { PullRequest } from "../../src/github/model.js";
import { policySchema } from "../../src/policy/schema.js";
import { openTracking } from "../../src/tracking/tracking-comment.js";
import {
  commit,
  fileAt,
  gitCherryPick,
  numbered,
  person,
  setBranch,
  startFixture,
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

interface Opened {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
  assignees: string[];
  reviewers: string[];
}

/** The port: real git data (stand-in) + in-memory PRs and comments, counting every call. */
function withFakePullsAndIssues(real: GitHubPort) {
  const opened: Opened[] = [];
  const comments: IssueComment[] = [];
  const calls: string[] = [];
  let ids = 100;
  const toPull = (p: Opened): PullRequest => ({
    number: p.number,
    title: p.title,
    body: p.body,
    state: "open",
    merged: false,
    draft: p.draft,
    author: { login: "hotfix-bot[bot]", isBot: true },
    head: { ref: p.head, sha: "", repoFullName: "acme/api" },
    base: { ref: p.base, sha: "", repoFullName: "acme/api" },
    labels: p.labels,
    htmlUrl: `https://github.com/acme/api/pull/${p.number}`,
    mergeCommitSha: null,
  });
  const github: GitHubPort = {
    ...real,
    async createPull(input) {
      calls.push("POST /pulls");
      if (opened.some((p) => p.head === input.head))
        return { created: false, reason: "A pull request already exists for acme:" + input.head };
      const p = {
        number: ids++,
        ...input,
        draft: Boolean(input.draft),
        labels: [],
        assignees: [],
        reviewers: [],
      };
      opened.push(p);
      return { created: true, pull: toPull(p) };
    },
    async findOpenPullByHead(branch) {
      calls.push("GET /pulls?head");
      const p = opened.find((o) => o.head === branch);
      return p ? toPull(p) : null;
    },
    async updateIssue(number, fields) {
      calls.push("PATCH /issues");
      const p = opened.find((o) => o.number === number);
      if (p && fields.labels) p.labels = [...fields.labels];
      if (p && fields.assignees) p.assignees = [...fields.assignees];
    },
    async requestReviewers(number, reviewers) {
      calls.push("POST /requested_reviewers");
      const p = opened.find((o) => o.number === number);
      if (p) p.reviewers = [...reviewers];
    },
    async addLabels() {
      calls.push("POST /labels");
    },
    async listComments() {
      return comments.map((c) => ({ ...c }));
    },
    async createComment(_n, body) {
      calls.push("POST /comments");
      const c = {
        id: ids++,
        body,
        author: { login: "hotfix-bot[bot]", isBot: true },
        url: `https://github.com/acme/api/pull/7#c${ids}`,
        createdAt: "",
      };
      comments.push(c);
      return c;
    },
    async updateComment(id, body) {
      const c = comments.find((x) => x.id === id);
      if (c) c.body = body;
    },
    async deleteComment() {},
  };
  return { github, opened, comments, calls };
}

const policy = (backport: object = {}) =>
  policySchema.parse({
    backport: { branches: ["main", "release/1.3"], reviewers: ["release-captain"], ...backport },
  });

/**
 * B0 ─┬─ main: adds NOTES.md
 *     ├─ release/1.3: changes line 5 (will conflict with the fix)
 *     └─ release/1.4: the fix changes line 5 — squash-merged as M
 */
async function history() {
  const b0 = await commit(fx.git, null, { "app.txt": numbered(10), "conf.txt": "x\n" }, "Initial");
  const main = await commit(fx.git, b0, { "NOTES.md": "notes\n" }, "Add notes");
  const r13 = await commit(
    fx.git,
    b0,
    { "app.txt": numbered(10, { 5: "line 5 as 1.3 has it" }) },
    "1.3 tweak",
  );
  const merge = await commit(
    fx.git,
    b0,
    { "app.txt": numbered(10, { 5: "line 5 fixed" }) },
    "Fix login crash (#7)",
    person("Dev"),
  );
  await setBranch(fx.git, "main", main);
  await setBranch(fx.git, "release/1.3", r13);
  await setBranch(fx.git, "release/1.4", merge);
  return { main, r13, merge };
}

function hotfix(mergeSha: string): PullRequest {
  return {
    number: 7,
    title: "Fix login crash",
    body: "Fixes #12",
    state: "closed",
    merged: true,
    draft: false,
    author: { login: "dev", isBot: false },
    head: { ref: "hotfix/login", sha: mergeSha, repoFullName: "acme/api" },
    base: { ref: "release/1.4", sha: "", repoFullName: "acme/api" },
    labels: ["hotfix", "bug", "backport release/1.3"],
    htmlUrl: "https://github.com/acme/api/pull/7",
    mergeCommitSha: mergeSha,
  };
}

async function run(github: GitHubPort, request: Omit<BackportRequest, "tracking">) {
  const tracking = await openTracking(github, 7);
  return openBackports(github, { ...request, tracking, pacer: unpaced });
}

describe("openBackports", () => {
  it("a clean PR to main and a draft conflict PR to release/1.3, trees equal to git's", async () => {
    const { merge } = await history();
    const fake = withFakePullsAndIssues(fx.github);
    const outcomes = await run(fake.github, {
      pull: hotfix(merge),
      targets: ["main", "release/1.3"],
      policy: policy(),
      release: { tag: "v1.4.3", url: "https://github.com/acme/api/releases/tag/v1.4.3" },
      mergeMethod: "squash",
    });
    expect(outcomes.map((o) => [o.target, o.kind])).toEqual([
      ["main", "opened"],
      ["release/1.3", "conflict-draft"],
    ]);

    const [clean, draft] = fake.opened;
    expect(clean).toMatchObject({
      head: "backport/7-to-main",
      base: "main",
      title: "[Backport main] Fix login crash",
      draft: false,
      labels: ["bug"], // not the bot's own state labels (hotfix, backport …)
      assignees: ["dev"],
      reviewers: ["release-captain"],
    });
    expect(clean?.body).toContain(
      "Backport of #7 to `main`, released in [v1.4.3](https://github.com/acme/api/releases/tag/v1.4.3).",
    );
    const git = await gitCherryPick(fx.git, "main", [merge]);
    expect(await fx.git.treeOf("refs/heads/backport/7-to-main")).toBe(git.tree);

    expect(draft).toMatchObject({
      head: "backport/7-to-release/1.3",
      base: "release/1.3",
      draft: true,
      labels: ["bug", "backport-conflict"],
    });
    expect(draft?.body).toContain("did not apply cleanly");
    expect(draft?.body).toContain("git cherry-pick -x " + merge);
    const marked = await fileAt(fx.git, "refs/heads/backport/7-to-release/1.3", "app.txt");
    expect(marked).toMatch(
      /<<<<<<< release\/1\.3\nline 5 as 1\.3 has it\n=======\nline 5 fixed\n>>>>>>> /,
    );

    const tracked =
      fake.comments.find((c) => c.body.startsWith("<!-- hotfix-bot:tracking -->"))?.body ?? "";
    expect(tracked).toContain(`**Backport to \`main\`** — #${clean?.number}`);
    expect(tracked).toContain(
      `**Backport to \`release/1.3\`** — conflicts in \`app.txt\`: draft #${draft?.number} needs a human`,
    );
  });

  it("stays within 4N+6 GitHub requests for a 1-commit backport, PR creation included", async () => {
    const { merge } = await history();
    const fake = withFakePullsAndIssues(fx.github);
    fx.mark();
    await run(fake.github, {
      pull: hotfix(merge),
      targets: ["main"],
      policy: policy({ reviewers: [] }),
      mergeMethod: "squash",
    });
    const git = fx.requestsSinceMark().length; // getCommit + the engine's 4N+3
    const prs = fake.calls.filter((c) => c !== "POST /comments").length; // create PR + labels/assignee
    expect(git + prs).toBeLessThanOrEqual(4 * 1 + 6);
    expect(git + prs).toBe(10);
  });

  it("repeats give the same end state: tracked targets are skipped, a lost tracking comment links the existing PRs", async () => {
    const { merge } = await history();
    const fake = withFakePullsAndIssues(fx.github);
    const request = {
      pull: hotfix(merge),
      targets: ["main", "release/1.3"],
      policy: policy(),
      mergeMethod: "squash" as const,
    };
    await run(fake.github, request);
    // Again, with the tracking comment: nothing to do, no request to git.
    fx.mark();
    expect(await run(fake.github, request)).toEqual([]);
    expect(fx.requestsSinceMark()).toEqual([]);
    // Again, with the tracking comment lost: the clean branch is found holding the same tree and its PR linked.
    fake.comments.length = 0;
    const again = await run(fake.github, request);
    expect(again.find((o) => o.target === "main")?.kind).toBe("linked");
    expect(fake.opened).toHaveLength(2);
    expect(fx.standIn.repo("acme", "api")).toBeDefined();
    const refs = (await fx.git.git(["for-each-ref", "--format=%(refname)", "refs/heads/"])).stdout
      .toString()
      .trim()
      .split("\n");
    expect(refs.filter((r) => r.includes("hotfix-bot/tmp"))).toEqual([]); // no stray temporary refs
  });

  it("a run that stopped after opening the PR, before labelling it: the rerun links it and labels it", async () => {
    const { merge } = await history();
    const fake = withFakePullsAndIssues(fx.github);
    const realUpdate = fake.github.updateIssue;
    let fail = true;
    fake.github.updateIssue = async (number, fields) => {
      if (fail) {
        fail = false;
        throw new Error("GitHub answered 502");
      }
      return realUpdate(number, fields);
    };
    const request = {
      pull: hotfix(merge),
      targets: ["main"],
      policy: policy(),
      mergeMethod: "squash" as const,
    };
    const first = await run(fake.github, request);
    expect(first[0]).toMatchObject({
      kind: "failed",
      text: expect.stringMatching(/502.*\/backport main/),
    });
    expect(fake.opened[0]).toMatchObject({ labels: [], assignees: [] });
    const again = await run(fake.github, request);
    expect(again[0]?.kind).toBe("linked");
    expect(fake.opened).toHaveLength(1);
    expect(fake.opened[0]).toMatchObject({
      labels: ["bug"],
      assignees: ["dev"],
      reviewers: ["release-captain"],
    });
  });

  it("reports a change already on the target as 'already on', with no PR", async () => {
    const { merge } = await history();
    // main already has the fix.
    const fixedMain = await commit(
      fx.git,
      (await fx.git.resolveCommit("main")) as string,
      { "app.txt": numbered(10, { 5: "line 5 fixed" }) },
      "Same fix on main",
    );
    await setBranch(fx.git, "main", fixedMain);
    const fake = withFakePullsAndIssues(fx.github);
    const outcomes = await run(fake.github, {
      pull: hotfix(merge),
      targets: ["main"],
      policy: policy(),
      mergeMethod: "squash",
    });
    expect(outcomes).toEqual([
      {
        target: "main",
        kind: "already-present",
        text: expect.stringMatching(/^already on `main`/),
      },
    ]);
    expect(fake.opened).toEqual([]);
  });

  it("on_conflict: comment opens no PR: a comment with the commands, and the label", async () => {
    const { merge } = await history();
    const fake = withFakePullsAndIssues(fx.github);
    const outcomes = await run(fake.github, {
      pull: hotfix(merge),
      targets: ["release/1.3"],
      policy: policy({ on_conflict: "comment" }),
      mergeMethod: "squash",
    });
    expect(outcomes[0]?.kind).toBe("conflict-comment");
    expect(fake.opened).toEqual([]);
    const comment = fake.comments.find((c) =>
      c.body.startsWith("### Backport to `release/1.3` needs a human"),
    )?.body;
    expect(comment).toContain(`git cherry-pick -x ${merge}`);
    expect(fake.calls).toContain("POST /labels");
  });

  it("a target branch that does not exist fails with the reason, others go on", async () => {
    const { merge } = await history();
    const fake = withFakePullsAndIssues(fx.github);
    const outcomes = await run(fake.github, {
      pull: hotfix(merge),
      targets: ["release/0.9", "main"],
      policy: policy(),
      mergeMethod: "squash",
    });
    expect(outcomes.map((o) => [o.target, o.kind])).toEqual([
      ["release/0.9", "failed"],
      ["main", "opened"],
    ]);
    expect(outcomes[0]?.text).toMatch(/release\/0\.9 does not exist/);
  });
});
