import { describe, expect, it } from "@jest/globals";
import { createApp } from "../../src/app.js";
import {
  loadWebhookExample,
  recordedRequests,
  testProbot,
  useGitHubNock,
} from "../helpers/github-nock.js";
import { parseTracking } from "../../src/tracking/render.js";
import { fakeGitHub, type FakeState } from "./fake-github.js";

useGitHubNock();

const APP_ID = 123;
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const POLICY = `
hotfix:
  targets: ["master", "release/*"]
approvals:
  groups:
    - { name: QA, teams: ["acme/qa"] }
release:
  allowed: { teams: ["acme/release"], permission: maintain }
backport:
  # Backports are carried at merge here: these tests are about the release; the backport
  # engine is tested over real git in test/backport/ and end to end in the sandbox.
  when: merged
  branches: ["master", "release/*"]
`;

function newState(overrides: Partial<FakeState> = {}): FakeState {
  const pr = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined)
    .pull_request as unknown as FakeState["pull"];
  Object.assign(pr, {
    labels: [{ name: "hotfix" }],
    draft: false,
    merged: false,
    state: "open",
    merge_commit_sha: null,
  });
  pr.head.ref = "hotfix/login";
  pr.base.ref = "release/1.4";
  return {
    policy: POLICY,
    pull: pr,
    reviews: [
      {
        id: 1,
        user: { login: "qa-carol", type: "User" },
        state: "APPROVED",
        commit_id: HEAD,
        submitted_at: "2026-11-26T10:00:00Z",
      },
    ],
    checkRuns: [],
    permissions: { maintainer: "maintain", dev: "write" },
    teams: { "acme/qa": ["qa-carol"], "acme/release": [] },
    tagRefs: new Map([
      ["v1.4.0", "1".repeat(40)],
      ["v1.4.1", "2".repeat(40)],
      ["v1.4.2", "3".repeat(40)],
      ["v2.0.0", "4".repeat(40)],
    ]),
    tagObjects: new Map(),
    releases: [],
    comments: [],
    reactions: [],
    merges: [],
    pullCommits: [
      {
        sha: HEAD,
        commit: {
          message: "Fix login crash\n\nDetails",
          tree: { sha: "9".repeat(40) },
          author: { name: "Dev", email: "dev@example.com", date: "2026-11-26T09:00:00Z" },
        },
        parents: [{ sha: "8".repeat(40) }],
      },
    ],
    faults: [],
    ...overrides,
  };
}

let commentIds = 100;
function command(body: string, login = "maintainer") {
  const payload = loadWebhookExample("issue_comment.created", (p) => p.installation !== undefined);
  payload.issue.number = 2;
  (payload.issue as { pull_request?: object }).pull_request = {
    url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/2",
  };
  payload.comment.body = body;
  payload.comment.id = commentIds++;
  payload.comment.user!.login = login;
  return { id: `comment-${payload.comment.id}`, name: "issue_comment" as const, payload };
}

const writes = () =>
  recordedRequests().filter((r) => r.method !== "GET" && !r.path.includes("access_tokens"));
const replies = (s: FakeState) =>
  s.comments.filter((c) => !c.body.startsWith("<!-- hotfix-bot:tracking -->")).map((c) => c.body);
const tracking = (s: FakeState) =>
  s.comments.filter((c) => c.body.startsWith("<!-- hotfix-bot:tracking -->"));

async function app() {
  return testProbot(createApp({ appId: APP_ID }));
}

describe("/release-hotfix", () => {
  it("merges, tags v1.4.3 on the merge commit, releases without stealing Latest, tracks it", async () => {
    const state = newState();
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix"));

    expect(state.merges).toEqual([{ sha: expect.any(String), method: "squash" }]);
    const mergeSha = state.merges[0]?.sha;
    const bodies = writes().map((w) => [w.method, w.route, w.body] as const);
    const merge = bodies.find(
      ([, route]) => route === "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
    );
    expect(merge?.[2]).toEqual({
      sha: HEAD,
      merge_method: "squash",
      commit_title: expect.stringContaining("(#2)"),
    });
    const tagObject = bodies.find(([, route]) => route === "POST /repos/{owner}/{repo}/git/tags");
    expect(tagObject?.[2]).toEqual({
      tag: "v1.4.3",
      message: expect.stringContaining("Hotfix #2"),
      object: mergeSha,
      type: "commit",
    });
    const ref = bodies.find(([, route]) => route === "POST /repos/{owner}/{repo}/git/refs");
    expect(ref?.[2]).toEqual({
      ref: "refs/tags/v1.4.3",
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(state.tagObjects.get(state.tagRefs.get("v1.4.3") as string)?.commit).toBe(mergeSha);
    const release = bodies.find(([, route]) => route === "POST /repos/{owner}/{repo}/releases");
    expect(release?.[2]).toMatchObject({
      tag_name: "v1.4.3",
      target_commitish: mergeSha,
      draft: false,
      make_latest: "false",
    });
    expect(state.releases[0]?.body).toContain("- QA: @qa-carol");
    expect(state.releases[0]?.body).toContain("Fix login crash");
    expect(state.reactions.map((r) => r.content)).toEqual(["eyes", "rocket"]);
    expect(tracking(state)).toHaveLength(1);
    const tracked = parseTracking(tracking(state)[0]?.body ?? "");
    expect(
      Object.fromEntries(Object.entries(tracked.stages).map(([id, s]) => [id, s.state])),
    ).toEqual({
      gate: "done",
      merge: "done",
      tag: "done",
      release: "done",
      deploy: "skipped", // no deploy: section in this policy
    });
    expect(tracked.facts).toMatchObject({ tag: "v1.4.3", version: "1.4.3", mergeSha });
    expect(replies(state)).toEqual([]);
  });

  it("marks the release latest when it is the highest version in the repository", async () => {
    const state = newState();
    state.tagRefs.delete("v2.0.0");
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix"));
    expect(state.releases[0]?.make_latest).toBe("true");
  });

  it("refuses a commenter who may not release, says who may, and does nothing else", async () => {
    const state = newState();
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix", "dev"));
    expect(state.merges).toEqual([]);
    expect(writes().map((w) => w.route)).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(state.reactions).toEqual([{ comment: expect.any(Number), content: "confused" }]);
    expect(replies(state)[0]).toMatch(
      /@dev may not release here: that is allowed to members of acme\/release, or anyone with maintain permission or higher .* @dev has write permission/,
    );
  });

  it("refuses while the gate is unmet, listing exactly what is missing", async () => {
    const state = newState({ reviews: [] });
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix"));
    expect(state.merges).toEqual([]);
    expect(writes().map((w) => w.route)).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(replies(state)[0]).toContain(
      "not released: the hotfix policy is not met on ec26c3e. Missing:",
    );
    expect(replies(state)[0]).toContain(
      "- ⏳ **QA approval**: Waiting for 1 approval from QA (acme/qa)",
    );
  });

  it("--dry-run posts the full plan and writes nothing else", async () => {
    const state = newState();
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix --dry-run"));
    expect(writes().map((w) => w.route)).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    const plan = replies(state)[0] ?? "";
    expect(plan).toContain("**Dry run — nothing was changed.**");
    expect(plan).toContain(
      "Merge #2 into `release/1.4` (squash), only if its head is still ec26c3e.",
    );
    expect(plan).toContain("Create the annotated tag **`v1.4.3`**");
    expect(plan).toContain("not marked latest");
    expect(plan).toContain("Backport to `master`, `release/1.3`");
    expect(plan).toContain("Release notes preview");
    expect(state.tagRefs.has("v1.4.3")).toBe(false);
  });

  it("explains a merge GitHub refuses, in the tracking comment and a reply", async () => {
    const state = newState({
      refuseMerge: { status: 405, message: "Repository rule violations found" },
    });
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix"));
    expect(state.tagRefs.has("v1.4.3")).toBe(false);
    expect(replies(state)[0]).toMatch(
      /the release stopped at \*\*merge\*\*: GitHub refused to squash-merge it \(405: Repository rule violations found\)\. .*bypass actor/,
    );
    expect(parseTracking(tracking(state)[0]?.body ?? "").stages.merge?.state).toBe("failed");
  });

  it("the same command twice (or a redelivery) ends in one merge, one tag, one release", async () => {
    const state = newState();
    fakeGitHub(state);
    const probot = await app();
    const event = command("/release-hotfix");
    await probot.receive(event);
    await probot.receive({ ...event, id: "redelivered" });
    await probot.receive(command("/release-hotfix"));
    expect(state.merges).toHaveLength(1);
    expect([...state.tagRefs.keys()].filter((t) => t.startsWith("v1.4."))).toEqual([
      "v1.4.0",
      "v1.4.1",
      "v1.4.2",
      "v1.4.3",
    ]);
    expect(state.releases).toHaveLength(1);
    expect(tracking(state)).toHaveLength(1);
    expect(replies(state)).toEqual([]);
  });

  it("two maintainers at the same moment: one merge, one tag, one release", async () => {
    const state = newState({
      permissions: { maintainer: "maintain", other: "admin", dev: "write" },
    });
    fakeGitHub(state);
    const probot = await app();
    await Promise.all([
      probot.receive(command("/release-hotfix")),
      probot.receive(command("/release-hotfix", "other")),
    ]);
    expect(state.merges).toHaveLength(1);
    expect([...state.tagRefs.keys()].filter((t) => t.startsWith("v1.4.")).sort()).toEqual([
      "v1.4.0",
      "v1.4.1",
      "v1.4.2",
      "v1.4.3",
    ]);
    expect(state.releases).toHaveLength(1);
    expect(tracking(state)).toHaveLength(1);
  });

  it("a 502 on the release call is reported; the next command only creates the release", async () => {
    const state = newState();
    state.faults.push({ method: "POST", path: /\/releases$/, status: 502, times: 1 });
    fakeGitHub(state);
    const probot = await app();
    await probot.receive(command("/release-hotfix"));
    expect(state.releases).toHaveLength(0);
    expect(state.tagRefs.has("v1.4.3")).toBe(true);
    expect(replies(state)[0]).toMatch(
      /stopped at \*\*release\*\*: GitHub answered 502 .* comment `\/release-hotfix` again to finish/,
    );
    const before = writes().length;
    await probot.receive(command("/release-hotfix"));
    const rerun = writes()
      .slice(before)
      .map((w) => w.route);
    expect(rerun).not.toContain("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge");
    expect(rerun).not.toContain("POST /repos/{owner}/{repo}/git/tags");
    expect(rerun).toContain("POST /repos/{owner}/{repo}/releases");
    expect(state.releases).toHaveLength(1);
    expect(state.merges).toHaveLength(1);
    expect(parseTracking(tracking(state)[0]?.body ?? "").stages.release?.state).toBe("done");
  });

  it("a tag that already exists on another commit stops the release and is never moved", async () => {
    const elsewhere = "5".repeat(40);
    const state = newState({ raceTag: { name: "v1.4.3", commit: elsewhere } });
    fakeGitHub(state);
    await (await app()).receive(command("/release-hotfix"));
    expect(state.tagRefs.get("v1.4.3")).toBe(elsewhere); // untouched
    expect(state.releases).toHaveLength(0);
    expect(replies(state)[0]).toMatch(
      /the tag v1\.4\.3 already exists on 5555555, not on this hotfix's merge commit .*never moves a tag/,
    );
    expect(parseTracking(tracking(state)[0]?.body ?? "").stages.tag?.state).toBe("failed");
  });

  it("a crash after tagging: the rerun finds the tag on the merge commit and finishes", async () => {
    const state = newState();
    fakeGitHub(state);
    const probot = await app();
    // Tracking writes: create (final check), update (merged), update (tagged) ← this one fails.
    // The process dies there: even reporting the failure fails.
    state.faults.push({
      method: "PATCH",
      path: /\/issues\/comments\/\d+$/,
      status: 500,
      times: 2,
      after: 1,
    });
    await expect(probot.receive(command("/release-hotfix"))).rejects.toThrow(/500/);
    expect(parseTracking(tracking(state)[0]?.body ?? "").facts.tag).toBeUndefined(); // the hint never got written
    expect(state.tagRefs.has("v1.4.3")).toBe(true);
    await probot.receive(command("/release-hotfix"));
    expect(state.tagRefs.has("v1.4.4")).toBe(false);
    expect(state.releases.map((r) => r.tag_name)).toEqual(["v1.4.3"]);
  });

  it("ignores comments by bots, edited comments, and comments on plain issues", async () => {
    const probot = await app();
    const byBot = command("/release-hotfix");
    byBot.payload.comment.user!.type = "Bot";
    await probot.receive(byBot);
    const edited = command("/release-hotfix");
    (edited.payload as { action: string }).action = "edited";
    await probot.receive(edited);
    const onIssue = command("/release-hotfix");
    delete (onIssue.payload.issue as { pull_request?: object }).pull_request;
    await probot.receive(onIssue);
    const quoted = command("> /release-hotfix\n\nwhy?");
    await probot.receive(quoted);
    expect(recordedRequests()).toEqual([]);
  });
});
