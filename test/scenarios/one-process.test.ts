/**
 * One replica of the real app (`probot run ./lib/index.js`, Probot's write throttling on, no
 * Redis: the locks are per process) and a deployer that answers every deployment at once, so
 * staging and production report success while the release's backports are still being written.
 * Before the hotfix record, the backport steps wrote the tracking comment back from a copy read
 * before those reports and the comment ended with production "running" and no monitoring line.
 * Now every writer derives the record right before it writes: production is done, the window
 * is open, and the comment equals the record derived from GitHub at the end.
 */
import { afterAll, beforeAll, expect, it, describe } from "@jest/globals";
import { newAppCredentials, startAppProcess, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import { comment, playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import { endState, lifecycleProblems, runProblems } from "../../sandbox/outcome.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { commentAndRecord, quickDeployer } from "./record-check.js";

describe("one process, no Redis, a deployer faster than the backports", () => {
  let standIn: StandIn;
  let demo: Demo;
  let app: AppHost;
  const credentials = newAppCredentials(OWNER);

  beforeAll(async () => {
    standIn = await startStandIn();
    demo = await seedDemo(standIn);
    app = await startAppProcess(standIn, credentials);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await standIn?.close();
  });

  it("ends with production done, the window open, and the comment equal to the derived record", async () => {
    const player = { standIn, app, demo, settleTimeoutMs: 240_000 };
    const pr = await playUntilApproved(player);
    const stopDeployer = quickDeployer(standIn, demo);
    try {
      await comment(player, PEOPLE.releaser, pr, RELEASE_COMMAND);
    } finally {
      stopDeployer();
    }
    // The deployer's reports really did arrive while backports were still being written.
    const paths = standIn.requests.map((r) => `${r.method} ${r.route}`);
    const firstBackportPr = paths.indexOf("POST /repos/{owner}/{repo}/pulls");
    const productionCreated = standIn.requests.findIndex(
      (r) =>
        r.method === "POST" &&
        r.route === "/repos/{owner}/{repo}/deployments" &&
        (r.body as { environment?: string }).environment === "production",
    );
    expect(productionCreated).toBeGreaterThan(-1);
    expect(productionCreated).toBeLessThan(paths.lastIndexOf("POST /repos/{owner}/{repo}/pulls"));
    expect(firstBackportPr).toBeGreaterThan(-1);

    const state = await endState(demo, pr);
    expect(lifecycleProblems(state, pr)).toEqual([]);
    expect(runProblems(standIn)).toEqual([]);
    expect(state.stages[pr]).toEqual(
      expect.arrayContaining(["deploy:production: done", "monitor: running"]),
    );
    const { comments, rendered } = await commentAndRecord(
      standIn,
      demo,
      pr,
      credentials.installationId,
      credentials.appId,
    );
    expect(comments).toEqual([rendered]);
  }, 300_000);
});
