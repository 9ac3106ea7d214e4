/**
 * Two hotfixes of `release/1.4` released at the same moment through two different replicas of
 * the real app (`probot run ./lib/index.js` processes, Probot's write throttling on) sharing a
 * real redis-server through REDIS_URL: the line's lock in Redis makes the releases take turns,
 * so they come out as v1.4.3 and v1.4.4 in the order they were merged, with no tag ever tried
 * on a name already taken and no release stopped half-done.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { newAppCredentials, startAppReplicas, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import { RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import { runProblems } from "../../sandbox/outcome.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { describeWithRedis, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import {
  approvedHotfix,
  isAncestor,
  linePolicy,
  lineTags,
  tagCommit,
  type LineWorld,
} from "./line-hotfixes.js";

describeWithRedis("two replicas sharing Redis, two hotfixes of one line", () => {
  let redis: RedisServer;
  let standIn: StandIn;
  let demo: Demo;
  let replicas: Awaited<ReturnType<typeof startAppReplicas>>;
  let world: LineWorld;
  const credentials = newAppCredentials(OWNER);
  /** Which replica gets the release command on which PR; everything else goes to both. */
  const commandTo = new Map<number, number>();

  beforeAll(async () => {
    redis = await startRedisServer();
    standIn = await startStandIn();
    demo = await seedDemo(standIn, { policy: linePolicy({ deploy: false }) });
    replicas = await startAppReplicas(standIn, credentials, 2, {
      env: { REDIS_URL: redis.url },
      concurrency: 4,
      route: ({ event, payload }) => {
        const body = (payload.comment as { body?: string } | undefined)?.body ?? "";
        const pr = (payload.issue as { number?: number } | undefined)?.number ?? 0;
        if (event === "issue_comment" && body.startsWith(RELEASE_COMMAND))
          return [commandTo.get(pr) ?? 0];
        return [0, 1];
      },
    });
    const app: AppHost = {
      url: replicas.hosts[0]?.url ?? "",
      webhookUrl: replicas.hosts[0]?.webhookUrl ?? "",
      workInFlight: async () =>
        (await Promise.all(replicas.hosts.map((h) => h.workInFlight()))).reduce((a, b) => a + b),
      close: () => replicas.close(),
    };
    world = { standIn, demo, app };
  }, 60_000);

  afterAll(async () => {
    await replicas?.close();
    await standIn?.close();
    await redis?.stop();
  });

  it("releases them as v1.4.3 and v1.4.4, one after the other, each tag created once", async () => {
    const first = await approvedHotfix(world, "cart", "src/cart-fix.ts");
    const second = await approvedHotfix(world, "login", "src/login-fix.ts");
    commandTo.set(first, 0);
    commandTo.set(second, 1);
    const from = standIn.requests.length;
    demo.repo.comment(PEOPLE.releaser, first, RELEASE_COMMAND);
    demo.repo.comment(PEOPLE.releaser, second, RELEASE_COMMAND);
    await replicas.settle(120_000);

    expect(runProblems(standIn)).toEqual([]);
    const merges = [first, second].map((pr) => demo.repo.pull(pr).pull.mergeCommitSha);
    expect(merges.every(Boolean)).toBe(true);
    expect(await lineTags(world)).toEqual(["v1.4.0", "v1.4.1", "v1.4.2", "v1.4.3", "v1.4.4"]);
    const v143 = (await tagCommit(world, "v1.4.3")) as string;
    const v144 = (await tagCommit(world, "v1.4.4")) as string;
    expect([v143, v144].sort()).toEqual([...merges].sort());
    expect(await isAncestor(world, v143, v144)).toBe(true);
    expect(demo.repo.state.releases.map((r) => r.tagName).sort()).toEqual(["v1.4.3", "v1.4.4"]);
    const tagRefs = standIn.requests
      .slice(from)
      .filter(
        (r) =>
          r.method === "POST" &&
          r.route === "/repos/{owner}/{repo}/git/refs" &&
          String((r.body as { ref?: string }).ref).startsWith("refs/tags/"),
      );
    expect(tagRefs.map((r) => r.status)).toEqual([201, 201]);
  }, 180_000);
});
