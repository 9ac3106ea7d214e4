/**
 * Once-only notifications across two app processes: two replicas of the real app (`probot run
 * ./lib/index.js`) share a real redis-server (the hotfix locks); every delivery goes to both at
 * once, and the release command too. Each lifecycle event must reach each receiver exactly once:
 * the replica that holds the hotfix's lock decides, sends and records; the other then finds it
 * recorded in the tracking comment's hidden block.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { newAppCredentials, startAppReplicas, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, POLICY, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import { comment, playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { describeWithRedis, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { startReceivers, type Receivers } from "../helpers/receivers.js";
import { quickDeployer } from "../scenarios/record-check.js";

describeWithRedis("notifications from two replicas sharing Redis", () => {
  let redis: RedisServer;
  let standIn: StandIn;
  let demo: Demo;
  let receivers: Receivers;
  let replicas: Awaited<ReturnType<typeof startAppReplicas>>;
  const credentials = newAppCredentials(OWNER);

  beforeAll(async () => {
    redis = await startRedisServer();
    receivers = await startReceivers();
    standIn = await startStandIn();
    demo = await seedDemo(standIn, {
      policy: `${POLICY.trimEnd()}
notify:
  routes:
    - { kind: slack, receiver: chat }
    - { kind: pagerduty, receiver: pd }
`,
    });
    replicas = await startAppReplicas(standIn, credentials, 2, {
      env: {
        REDIS_URL: redis.url,
        HOTFIX_NOTIFY_CHAT_URL: `${receivers.url}/slack`,
        HOTFIX_NOTIFY_PD_ROUTING_KEY: "pd-key",
        HOTFIX_PAGERDUTY_EVENTS_URL: `${receivers.url}/pd`,
      },
      route: () => [0, 1],
    });
  }, 60_000);

  afterAll(async () => {
    await replicas?.close();
    await standIn?.close();
    await redis?.stop();
    await receivers?.close();
  });

  it("each event reaches each receiver once", async () => {
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
    const got = (path: string) =>
      receivers.on(path).map((r) => String(r.headers["x-hotfix-bot-event"]));
    expect(got("/slack")).toEqual(["released", "backport-conflict"]);
    expect(got("/pd").sort()).toEqual(["production-deployed", "released", "staging-deployed"]);
    // Both replicas did get every delivery: the lock, not luck, kept it to one.
    expect(standIn.webhooks.deliveries.length).toBeGreaterThan(10);
  }, 300_000);
});
