/**
 * The sandbox's story since `/start-hotfix`, through the real app on the stand-in: from the bug
 * report to production, with the same end state the PR-first lifecycle has (one merge, tag,
 * release, backports, deployments), the hotfix's branch named after the issue, and the
 * release's evidence attached.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { endState, lifecycleProblems, runProblems } from "../../sandbox/outcome.js";
import { playStartedLifecycle, type Started } from "../../sandbox/start-lifecycle.js";
import { startScenario, type Scenario } from "../scenarios/harness.js";

let run: Scenario;
let started: Started;

beforeAll(async () => {
  run = await startScenario();
  started = await playStartedLifecycle(run.player);
}, 60_000);

afterAll(async () => {
  await run?.close();
});

it("goes from the bug report to production, on a branch named after the issue", async () => {
  expect(started.branch).toBe(`hotfix/${started.issue}-login-crashes-when-the-session-has`);
  const state = await endState(run.demo, started.pr);
  expect(lifecycleProblems(state, started.pr, started.branch)).toEqual([]);
  expect(runProblems(run.standIn)).toEqual([]);
  const pull = run.demo.repo.state.issues.get(started.pr);
  expect(pull?.body).toMatch(new RegExp(`^Fixes #${started.issue}\\b`));
  expect(pull?.assignees).toEqual(["dana"]);
  expect((run.demo.repo.state.releaseAssets ?? []).map((a) => a.label)).toEqual([
    "Hotfix evidence: released, staging success, production success",
  ]);
});
