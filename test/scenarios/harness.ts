/**
 * One scenario run: the GitHub stand-in with the demo repository, and the real app served by
 * Probot's own server (`run()`, the code path of `probot run`) on a loopback port, reached only
 * through signed webhook deliveries. In tests the backport pacer is `unpaced` (a createApp
 * option; GitHub's secondary rate limit does not exist here) and Octokit's retry and throttling
 * plugins are off, so each fault reaches the app's own handling at once.
 */
import { unpaced } from "../../src/backport/pace-writes.js";
import { newAppCredentials, startAppInProcess, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import type { Player } from "../../sandbox/lifecycle.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";

export interface Scenario {
  standIn: StandIn;
  app: AppHost;
  demo: Demo;
  player: Player;
  close(): Promise<void>;
}

export async function startScenario(): Promise<Scenario> {
  const standIn = await startStandIn();
  try {
    const demo = await seedDemo(standIn);
    const app = await startAppInProcess(standIn, newAppCredentials(OWNER), {
      config: { backportPacer: unpaced },
    });
    return {
      standIn,
      app,
      demo,
      player: { standIn, app, demo, settleTimeoutMs: 15_000 },
      async close() {
        await app.close();
        await standIn.close();
      },
    };
  } catch (error) {
    await standIn.close();
    throw error;
  }
}

/** The app's writes (not reads, not the token exchange) among the stand-in's requests. */
export function writes(standIn: StandIn, from = 0) {
  return standIn.requests
    .slice(from)
    .filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"));
}
