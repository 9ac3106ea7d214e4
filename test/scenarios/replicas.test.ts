/**
 * Three replicas of the real app — `probot run ./lib/index.js` processes, Probot's write
 * throttling on — behind one webhook URL, sharing a real redis-server through REDIS_URL (the
 * hotfix locks and Probot's throttling). Every delivery goes to two of them at once, the release
 * command to all three, and a deployer answers every deployment at once (`promote: auto`), so
 * its statuses arrive while the release's backports run. The end must be what one careful
 * person would produce: one merge, one tag, one release, one backport PR per target, one
 * deployment per stage, one tracking comment — and that comment's text equals the rendering of
 * the record derived from GitHub's state at the end.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { newAppCredentials, startAppReplicas, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import { comment, playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import { endState, lifecycleProblems, runProblems } from "../../sandbox/outcome.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { describeWithRedis, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { commentAndRecord, quickDeployer } from "./record-check.js";

describeWithRedis("three replicas sharing Redis", () => {
  let redis: RedisServer;
  let standIn: StandIn;
  let demo: Demo;
  let replicas: Awaited<ReturnType<typeof startAppReplicas>>;
  const credentials = newAppCredentials(OWNER);
  const logs: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    standIn = await startStandIn();
    demo = await seedDemo(standIn);
    replicas = await startAppReplicas(standIn, credentials, 3, {
      env: { REDIS_URL: redis.url, LOG_LEVEL: "info" },
      onLine: (line, replica) => logs.push(`${replica} ${line}`),
      // Every delivery to two replicas at once (a retrying load balancer, a redelivery); the
      // release command to all three.
      route: ({ event, payload, seq }) => {
        const body = (payload.comment as { body?: string } | undefined)?.body ?? "";
        if (event === "issue_comment" && body.startsWith(RELEASE_COMMAND)) return [0, 1, 2];
        return (
          [
            [0, 1],
            [1, 2],
            [0, 2],
          ] as const
        )[seq % 3] as readonly number[];
      },
    });
  }, 60_000);

  afterAll(async () => {
    await replicas?.close();
    await standIn?.close();
    await redis?.stop();
  });

  it("ends with one of everything and a tracking comment equal to the derived record", async () => {
    const all: AppHost = {
      url: replicas.hosts[0]?.url ?? "",
      webhookUrl: replicas.hosts[0]?.webhookUrl ?? "",
      workInFlight: async () =>
        (await Promise.all(replicas.hosts.map((h) => h.workInFlight()))).reduce((a, b) => a + b),
      close: () => replicas.close(),
    };
    const player = { standIn, app: all, demo, settleTimeoutMs: 240_000 };
    const pr = await playUntilApproved(player);
    const stopDeployer = quickDeployer(standIn, demo);
    try {
      await comment(player, PEOPLE.releaser, pr, RELEASE_COMMAND);
      await replicas.settle(240_000);
    } finally {
      stopDeployer();
    }

    const state = await endState(demo, pr);
    expect(lifecycleProblems(state, pr)).toEqual([]);
    expect(runProblems(standIn)).toEqual([]);
    // The command reached all three; the lock let one of them do the work.
    const merges = standIn.requests.filter(
      (r) => r.method === "PUT" && r.route === "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
    );
    expect(merges.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      standIn.requests.filter(
        (r) => r.method === "POST" && r.route === "/repos/{owner}/{repo}/deployments",
      ),
    ).toHaveLength(2);
    const stages = state.stages[pr] ?? [];
    expect(stages).toContain("deploy:production: done");
    expect(stages).toContain("monitor: running");

    const { comments, rendered } = await commentAndRecord(
      standIn,
      demo,
      pr,
      credentials.installationId,
      credentials.appId,
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toBe(rendered);
    // The replicas really did share the work (each handled deliveries) through one Redis:
    // the hotfix's lock and its fencing counter, and Probot's write throttling (Bottleneck's
    // `b_…` keys, from the same REDIS_URL, with the ioredis this project installs).
    const handled = [0, 1, 2].map((r) => logs.filter((l) => l.startsWith(`${r} `)).length);
    expect(handled.every((n) => n > 0)).toBe(true);
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys("*");
      expect(keys).toContain(`hotfix-bot:fence:acme/shop#${pr}`);
      expect(keys.some((k) => k.startsWith("b_"))).toBe(true);
    } finally {
      client.disconnect();
    }
  }, 300_000);
});
