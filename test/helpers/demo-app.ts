/**
 * The demo repository on a fresh GitHub stand-in, with the real app running in this process
 * (backport writes unpaced), started before the file's tests and closed after them.
 */
import { afterAll, beforeAll } from "@jest/globals";
import { unpaced } from "../../src/backport/pace-writes.js";
import { newAppCredentials, startAppInProcess, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";

export interface DemoApp {
  standIn: StandIn;
  demo: Demo;
  app: AppHost;
}

/**
 * Registers the hooks; the returned object is filled in before the first test runs. `onLog`
 * receives each log line the app writes (the per-delivery line carries its `decision`).
 */
export function useDemoApp(
  policy: string,
  options: { onLog?: (line: Record<string, unknown>) => void } = {},
): DemoApp {
  const world = {} as DemoApp;
  beforeAll(async () => {
    world.standIn = await startStandIn();
    world.demo = await seedDemo(world.standIn, { policy });
    world.app = await startAppInProcess(world.standIn, newAppCredentials(OWNER), {
      config: { backportPacer: unpaced },
      ...(options.onLog ? { onLog: options.onLog } : {}),
    });
  }, 30_000);
  afterAll(async () => {
    await world.app?.close();
    await world.standIn?.close();
  });
  return world;
}
