/**
 * sandbox/app-host.ts with several replicas: `settle` over several hosts, and
 * `startAppReplicas` — real `probot run ./lib/index.js` processes (needs `npm run build`) of one
 * App behind the stand-in's webhook URL, each delivery routed to one of them.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import {
  newAppCredentials,
  settle,
  startAppProcess,
  startAppReplicas,
  type AppHost,
  type AppReplicas,
} from "../../sandbox/app-host.js";
import { RepoHandle } from "../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";

let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn();
});

afterEach(async () => {
  await standIn.close();
});

describe("settle over several hosts", () => {
  it("waits until every replica reports no work in flight", async () => {
    const busy = [3, 0, 1];
    const host = (replica: number): AppHost => ({
      url: `http://replica-${replica}`,
      webhookUrl: `http://replica-${replica}/api/github/webhooks`,
      close: async () => undefined,
      workInFlight: async () => {
        const now = busy[replica] ?? 0;
        if (now > 0) busy[replica] = now - 1;
        return now;
      },
    });
    const hosts = [host(0), host(1), host(2)];
    await settle(standIn, hosts, 5_000);
    expect(busy).toEqual([0, 0, 0]);
    busy[1] = Number.MAX_SAFE_INTEGER;
    await expect(settle(standIn, hosts, 200)).rejects.toThrow(/did not settle within 200 ms/);
    // One host, as before.
    await settle(standIn, host(0), 5_000);
  });
});

describe("startAppReplicas", () => {
  let replicas: AppReplicas | null = null;

  afterEach(async () => {
    await replicas?.close();
    replicas = null;
  });

  it("runs probot replicas of one App and delivers each webhook to the one the route names", async () => {
    await standIn.createRepo("acme", "shop");
    const repo = new RepoHandle(standIn, "acme", "shop");
    await repo.push("main", { "a.txt": "one\n" }, "start", "dana");
    const lines: Array<[number, string]> = [];
    replicas = await startAppReplicas(standIn, newAppCredentials("acme"), 2, {
      env: { LOG_LEVEL: "info" },
      replicaEnv: (replica) => ({ HOTFIX_REPLICA_MARKER: String(replica) }),
      onLine: (line, replica) => lines.push([replica, line]),
      route: ({ seq }) => [seq % 2],
    });
    expect(new Set(replicas.hosts.map((h) => h.url)).size).toBe(2);
    if (process.platform === "linux") {
      // Each replica's own environment (what REDIS_URL per replica would use).
      const markers = replicas.hosts.map((h) =>
        readFileSync(`/proc/${h.child.pid}/environ`, "utf8")
          .split("\0")
          .filter((v) => v.startsWith("HOTFIX_REPLICA_MARKER=")),
      );
      expect(markers).toEqual([["HOTFIX_REPLICA_MARKER=0"], ["HOTFIX_REPLICA_MARKER=1"]]);
    }
    expect(replicas.hosts.map((h) => h.child.spawnargs.slice(-2))).toEqual([
      ["run", "./lib/index.js"],
      ["run", "./lib/index.js"],
    ]);

    repo.openIssue("quinn", { title: "first" });
    repo.openIssue("quinn", { title: "second" });
    await replicas.settle(30_000);

    expect(standIn.webhooks.deliveries.map((d) => [d.replica, d.event, d.status])).toEqual([
      [0, "issues", 200],
      [1, "issues", 200],
    ]);
    expect(await Promise.all(replicas.hosts.map((h) => h.workInFlight()))).toEqual([0, 0]);
    expect(standIn.problems()).toEqual([]);
  }, 60_000);

  it("starts one process without connecting it when asked (connect: false)", async () => {
    const app = await startAppProcess(standIn, newAppCredentials("acme"), { connect: false });
    try {
      expect(await app.workInFlight()).toBe(0);
      expect(standIn.webhooks.connected).toBe(false);
      expect(standIn.hub.app?.slug).toBe("hotfix-bot");
    } finally {
      await app.close();
    }
  }, 60_000);
});
