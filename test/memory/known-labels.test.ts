/**
 * The payload memory of PRs' labels: the newest payload wins, an older one arriving late cannot
 * undo a label change, in the process and in a real Redis shared by replicas. A Redis that does
 * not answer makes every PR unknown (it is then read from GitHub), never a guess.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import {
  createInProcessKnownLabels,
  createRedisKnownLabels,
  pullKey,
  type KnownLabels,
} from "../../src/memory/known-labels.js";
import {
  describeWithRedis,
  freePort,
  startRedisServer,
  type RedisServer,
} from "../helpers/redis-server.js";

const key = pullKey("77", { owner: "Acme", repo: "Shop" }, 12);

function behaves(create: () => KnownLabels) {
  // Closed after each test, passed or failed: an open Redis client keeps Jest from exiting.
  const open: KnownLabels[] = [];
  const make = () => {
    const memory = create();
    open.push(memory);
    return memory;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((memory) => memory.close()));
  });

  it("knows nothing of a PR no payload told about", async () => {
    const memory = make();
    expect(await memory.get(pullKey("77", { owner: "acme", repo: "shop" }, 99))).toBeNull();
  });

  it("keeps what the newest payload said; an older one arriving late changes nothing", async () => {
    const memory = make();
    await memory.learn(key, { labels: ["bug"], at: "2026-11-27T10:00:00Z" });
    await memory.learn(key, { labels: ["bug", "hotfix"], at: "2026-11-27T10:05:00Z" });
    await memory.learn(key, { labels: ["bug"], at: "2026-11-27T10:01:00Z" }); // delayed
    expect(await memory.get(key)).toEqual({
      labels: ["bug", "hotfix"],
      at: "2026-11-27T10:05:00Z",
    });
  });

  it("keeps the labels of both payloads of one second: which came last cannot be told", async () => {
    const memory = make();
    // Labelled and unlabelled within a second, the deliveries arriving in either order: the
    // PR must still count as maybe a hotfix (it is then read), never as surely not one.
    await memory.learn(key, { labels: ["bug", "hotfix"], at: "2026-11-27T10:05:00Z" });
    await memory.learn(key, { labels: ["bug"], at: "2026-11-27T10:05:00Z" });
    expect((await memory.get(key))?.labels).toEqual(["bug", "hotfix"]);
    const reversed = pullKey("77", { owner: "acme", repo: "shop" }, 14);
    await memory.learn(reversed, { labels: ["bug"], at: "2026-11-27T10:05:00Z" });
    await memory.learn(reversed, { labels: ["hotfix"], at: "2026-11-27T10:05:00Z" });
    expect((await memory.get(reversed))?.labels).toEqual(["bug", "hotfix"]);
    // A later second decides again.
    await memory.learn(key, { labels: ["bug"], at: "2026-11-27T10:05:01Z" });
    expect((await memory.get(key))?.labels).toEqual(["bug"]);
    // No labels in either payload stays an empty list.
    const other = pullKey("77", { owner: "acme", repo: "shop" }, 13);
    await memory.learn(other, { labels: [], at: "2026-11-27T10:05:00Z" });
    await memory.learn(other, { labels: [], at: "2026-11-27T10:05:00Z" });
    expect(await memory.get(other)).toEqual({ labels: [], at: "2026-11-27T10:05:00Z" });
  });
}

describe("in the process", () => {
  behaves(() => createInProcessKnownLabels());

  it("is bounded: the least recently used PRs are forgotten", async () => {
    const memory = createInProcessKnownLabels(2);
    for (const pr of [1, 2, 3])
      await memory.learn(pullKey("1", { owner: "a", repo: "b" }, pr), { labels: [], at: "t" });
    expect(await memory.get(pullKey("1", { owner: "a", repo: "b" }, 1))).toBeNull();
    expect(await memory.get(pullKey("1", { owner: "a", repo: "b" }, 3))).not.toBeNull();
  });
});

describeWithRedis("in Redis, shared by replicas", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  behaves(() => createRedisKnownLabels(redis.url));

  it("one replica learns, another knows", async () => {
    const a = createRedisKnownLabels(redis.url);
    const b = createRedisKnownLabels(redis.url);
    try {
      const shared = pullKey("77", { owner: "acme", repo: "shop" }, 5);
      await a.learn(shared, { labels: ["hotfix"], at: "2026-11-27T11:00:00Z" });
      expect((await b.get(shared))?.labels).toEqual(["hotfix"]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("a Redis that does not answer", () => {
  it("makes every PR unknown and reports it, without the URL's password", async () => {
    const errors: string[] = [];
    const port = await freePort();
    const memory = createRedisKnownLabels(`redis://:s3cret@127.0.0.1:${port}`, {
      onError: (e) => errors.push(e.message),
    });
    try {
      await memory.learn(key, { labels: ["hotfix"], at: "2026-11-27T10:00:00Z" });
      expect(await memory.get(key)).toBeNull();
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join("\n")).not.toContain("s3cret");
    } finally {
      await memory.close();
    }
  }, 15_000);
});
