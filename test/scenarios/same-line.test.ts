/**
 * Two hotfixes of one release line, `concurrency` left at its default (`parallel`): each is
 * released on its own and gets its own patch version — also when both `/release-hotfix`
 * comments arrive at the same moment, and when one of them stopped between its merge and its
 * tag while the other was released. Through the real app on the GitHub stand-in (real git).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import { RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import type { RecordedRequest } from "../../sandbox/stand-in/server.js";
import {
  openScenario,
  replies,
  say,
  settled,
  stages,
  type AppScenario,
} from "../deploy/deploy-scenario.js";
import { approvedHotfix, isAncestor, linePolicy, lineTags, tagCommit } from "./line-hotfixes.js";

const TAG_REFS = (r: RecordedRequest) =>
  r.method === "POST" &&
  r.route === "/repos/{owner}/{repo}/git/refs" &&
  String((r.body as { ref?: string }).ref).startsWith("refs/tags/");

let run: AppScenario;
let first: number;
let second: number;
let ready: HubSnapshot | undefined;
let problemsBefore = 0;

beforeAll(async () => {
  run = await openScenario({ policy: linePolicy({ deploy: false }) });
  first = await approvedHotfix(run, "cart-rounding", "src/rounding.ts");
  second = await approvedHotfix(run, "login-expiry", "src/expiry.ts");
  ready = await run.standIn.hub.snapshot();
}, 60_000);

afterAll(async () => {
  await ready?.dispose();
  await run?.close();
});

beforeEach(async () => {
  if (!ready) throw new Error("the two hotfixes were not prepared");
  await run.standIn.hub.restore(ready);
  run.standIn.webhooks.setOptions({ concurrency: 1, duplicate: false });
  problemsBefore = run.standIn.problems().length;
});

afterEach(() => {
  expect(run.standIn.problems().slice(problemsBefore)).toEqual([]);
});

const pull = (pr: number) => run.demo.repo.pull(pr).pull;
const released = (pr: number) => {
  const shown = stages(run, pr);
  return [shown.Merged?.state, shown.Tagged?.state, shown.Released?.state];
};

describe("two hotfixes of release/1.4, released in parallel", () => {
  it("both commands at the same moment: v1.4.3 and v1.4.4, in the order they were merged — no half release, no tag created twice", async () => {
    run.standIn.webhooks.setOptions({ concurrency: 4 });
    const from = run.standIn.requests.length;
    run.demo.repo.comment(PEOPLE.releaser, first, RELEASE_COMMAND);
    run.demo.repo.comment(PEOPLE.releaser, second, RELEASE_COMMAND);
    await settled(run);

    expect(released(first)).toEqual(["done", "done", "done"]);
    expect(released(second)).toEqual(["done", "done", "done"]);
    expect(replies(run, first)).toEqual([]);
    expect(replies(run, second)).toEqual([]);
    expect(await lineTags(run)).toEqual(["v1.4.0", "v1.4.1", "v1.4.2", "v1.4.3", "v1.4.4"]);
    // Each PR has its own tag on its own merge commit; v1.4.4's code contains v1.4.3's.
    const commits = [pull(first).mergeCommitSha, pull(second).mergeCommitSha];
    const v143 = await tagCommit(run, "v1.4.3");
    const v144 = await tagCommit(run, "v1.4.4");
    expect([v143, v144].sort()).toEqual([...commits].sort());
    expect(await isAncestor(run, v143 as string, v144 as string)).toBe(true);
    expect(run.demo.repo.state.releases.map((r) => r.tagName).sort()).toEqual(["v1.4.3", "v1.4.4"]);
    // The line's releases took turns: no tag was attempted on a name already taken.
    const tagRefs = run.standIn.requests.slice(from).filter(TAG_REFS);
    expect(tagRefs.map((r) => r.status)).toEqual([201, 201]);
  });

  it("one stopped between merge and tag while the other was released: no version goes back — its rerun says the fix shipped in the other's release", async () => {
    // GitHub fails the first hotfix's tag: it is merged, not tagged.
    const fault = run.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/git/tags",
      kind: { status: 502 },
    });
    await say(run, PEOPLE.releaser, first, RELEASE_COMMAND);
    expect(fault.fired).toHaveLength(1);
    expect(released(first)).toEqual(["done", "failed", "pending"]);

    await say(run, PEOPLE.releaser, second, RELEASE_COMMAND);
    const v143 = await tagCommit(run, "v1.4.3");
    expect(v143).toBe(pull(second).mergeCommitSha);
    expect(await isAncestor(run, pull(first).mergeCommitSha as string, v143 as string)).toBe(true);

    const from = run.standIn.requests.length;
    await say(run, PEOPLE.releaser, first, RELEASE_COMMAND);

    // A v1.4.4 on the first hotfix's merge commit would lack the second's fix: none is made.
    expect(await lineTags(run)).toEqual(["v1.4.0", "v1.4.1", "v1.4.2", "v1.4.3"]);
    expect(run.standIn.requests.slice(from).filter(TAG_REFS)).toEqual([]);
    const reply = replies(run, first).pop() ?? "";
    expect(reply).toContain(
      `this hotfix's merge commit ${pull(first).mergeCommitSha?.slice(0, 7)} is already part of v1.4.3`,
    );
    expect(reply).toContain("This fix shipped in v1.4.3");
  });
});
