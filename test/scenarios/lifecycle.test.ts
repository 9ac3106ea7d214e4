/**
 * End to end: a hotfix's whole lifecycle against the real app (Probot's server and webhook
 * middleware, signed deliveries) and a GitHub stand-in with real git underneath — the same
 * lifecycle `npm run sandbox` plays. Then the same with every webhook delivered twice, and
 * with two maintainers releasing at the same moment: the end state must not change.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import {
  comment,
  playDeployer,
  playLifecycle,
  playUntilApproved,
  RELEASE_COMMAND,
} from "../../sandbox/lifecycle.js";
import { endState, lifecycleProblems, runProblems, type EndState } from "../../sandbox/outcome.js";
import { settle } from "../../sandbox/app-host.js";
import { startScenario, writes, type Scenario } from "./harness.js";

let reference: EndState;
let happy: Scenario;
let pr: number;

beforeAll(async () => {
  happy = await startScenario();
  pr = await playLifecycle(happy.player);
  reference = await endState(happy.demo, pr);
}, 120_000);

afterAll(async () => {
  await happy?.close();
});

describe("the hotfix lifecycle, end to end", () => {
  it("goes from a bug report to production: gate, refusal, release, backports, deploys", async () => {
    expect(lifecycleProblems(reference, pr)).toEqual([]);
    expect(runProblems(happy.standIn)).toEqual([]);
    const { state } = happy.demo.repo;
    const bodies = [...state.comments.values()].filter((c) => c.issue === pr).map((c) => c.body);
    expect(bodies).toContainEqual(expect.stringMatching(/^@dana may not release here/));
    const gate = state.checkRuns.filter((r) => r.name === "Hotfix policy").pop();
    expect(gate).toMatchObject({ status: "completed", conclusion: "success" });
    expect(gate?.output.title).toBe(
      "8 of 8 requirements met — ready to release: comment /release-hotfix (⚠️ Ongoing work)",
    );
    // The first head's build failed while it was the head: the gate said so.
    expect(
      state.checkRuns.some((r) => r.name === "Hotfix policy" && r.conclusion === "failure"),
    ).toBe(true);
    expect(happy.standIn.webhooks.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it("changes nothing when the release command is repeated after success", async () => {
    const from = happy.standIn.requests.length;
    await comment(happy.player, PEOPLE.releaser, pr, RELEASE_COMMAND);
    await playDeployer(happy.player);
    expect(await endState(happy.demo, pr)).toEqual(reference);
    // Only the command's reactions: no merge, tag, release, deployment, backport or comment edit.
    expect(writes(happy.standIn, from).map((r) => `${r.method} ${r.route}`)).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    ]);
  });

  it("ends the same when every webhook is delivered twice, both at once", async () => {
    const run = await startScenario();
    try {
      run.standIn.webhooks.setOptions({ duplicate: true });
      const number = await playLifecycle(run.player);
      expect(await endState(run.demo, number)).toEqual(reference);
      expect(runProblems(run.standIn)).toEqual([]);
    } finally {
      await run.close();
    }
  }, 120_000);

  it("releases once when two maintainers comment /release-hotfix at the same moment", async () => {
    const run = await startScenario();
    try {
      const number = await playUntilApproved(run.player);
      run.demo.repo.grant("max", "maintain");
      run.standIn.webhooks.setOptions({ concurrency: 4 });
      run.demo.repo.comment(PEOPLE.releaser, number, RELEASE_COMMAND);
      run.demo.repo.comment("max", number, RELEASE_COMMAND);
      await settle(run.standIn, run.app, 60_000);
      await playDeployer(run.player);
      expect(await endState(run.demo, number)).toEqual(reference);
      expect(runProblems(run.standIn)).toEqual([]);
    } finally {
      await run.close();
    }
  }, 120_000);
});
