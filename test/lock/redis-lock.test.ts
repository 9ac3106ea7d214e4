import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { LockLostError, LockTimeoutError, type HotfixLocks } from "../../src/lock/hotfix-lock.js";
import { createRedisLocks, type RedisLockOptions } from "../../src/lock/redis-lock.js";
import { currentLeases } from "../../src/lock/lease-context.js";
import { guardWrites } from "../../src/lock/write-guard.js";
import {
  describeWithRedis,
  freePort,
  startRedisServer,
  type RedisServer,
} from "../helpers/redis-server.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const PREFIX = "hotfix-bot-test";

/** A fake Octokit: collects `before request` hooks, and `request` runs them as Octokit would. */
function fakeOctokit() {
  const hooks: Array<(options: { method?: string }) => Promise<void> | void> = [];
  return {
    hook: { before: (_name: "request", fn: (typeof hooks)[number]) => void hooks.push(fn) },
    async request(method: string): Promise<string> {
      for (const hook of hooks) await hook({ method });
      return `${method} sent`;
    },
  };
}

const children = new Set<ChildProcess>();

/** Runs a fixture script with tsx (its stdin stays open while this test process lives). */
function runFixture(script: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(FIXTURES, script), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

describeWithRedis("Redis hotfix locks (against a real redis-server)", () => {
  let server: RedisServer;
  let raw: Redis;
  const opened: HotfixLocks[] = [];
  const locks = (options: Partial<RedisLockOptions> = {}) => {
    const created = createRedisLocks({ url: server.url, prefix: PREFIX, ...options });
    opened.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(opened.map((created) => created.close()));
    await raw?.quit();
    await server?.stop();
  });

  it("keeps processes out of each other's way: no two holders ever overlap", async () => {
    const log = "cross-process-log";
    const children = [1, 2, 3].map(() =>
      runFixture("hold-many.ts", [server.url, PREFIX, "acme/shop#7", "12", log]),
    );
    const exits = await Promise.all(children.map(exitOf));
    expect(exits).toEqual(exits.map((exit) => ({ ...exit, code: 0 })));

    const events = await raw.lrange(log, 0, -1);
    expect(events).toHaveLength(3 * 12 * 2);
    expect(new Set(events.map((event) => event.split(" ")[1])).size).toBe(3);
    let inside: string | null = null;
    for (const event of events) {
      const [what, pid] = event.split(" ");
      if (what === "enter") {
        expect({ event, inside }).toEqual({ event, inside: null });
        inside = pid ?? null;
      } else {
        expect({ event, inside }).toEqual({ event, inside: pid });
        inside = null;
      }
    }
  }, 20_000);

  it("frees the lock of a holder killed with SIGKILL after the lock timeout, not before", async () => {
    const lockTimeoutMs = 1_500;
    const holder = runFixture("hold-forever.ts", [
      server.url,
      PREFIX,
      "acme/shop#8",
      String(lockTimeoutMs),
    ]);
    const exited = exitOf(holder);
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
      void exited.then(({ stderr }) => reject(new Error(`the holder exited: ${stderr}`)));
    });

    const heldAt = Date.now();
    let acquiredAt = 0;
    const waiter = locks({ retryIntervalMs: 20 }).hold("acme/shop#8", async () => {
      acquiredAt = Date.now();
    });
    // Longer than the lock timeout: the living holder refreshes its lock, the waiter waits.
    await sleep(lockTimeoutMs + 500);
    expect(acquiredAt).toBe(0);

    holder.kill("SIGKILL");
    const killedAt = Date.now();
    await exited;
    await waiter;
    expect(heldAt).toBeLessThan(killedAt);
    // The lock's TTL was between two thirds and all of the timeout (refreshed every third).
    expect(acquiredAt - killedAt).toBeGreaterThanOrEqual((lockTimeoutMs * 2) / 3 - 100);
    expect(acquiredAt - killedAt).toBeLessThan(lockTimeoutMs + 1_000);
  }, 20_000);

  it("keeps a lock held longer than its timeout (it is refreshed)", async () => {
    const holder = locks({ lockTimeoutMs: 300 });
    const other = locks({ lockTimeoutMs: 300, acquireTimeoutMs: 700, retryIntervalMs: 20 });
    await holder.hold("acme/shop#9", async (lease) => {
      await expect(other.hold("acme/shop#9", async () => "got in")).rejects.toBeInstanceOf(
        LockTimeoutError,
      );
      await expect(lease.assertHeld()).resolves.toBeUndefined();
    });
    await expect(other.hold("acme/shop#9", async () => "got in")).resolves.toBe("got in");
  });

  it("fences off a holder whose lock another holder took over; the write guard stops its writes", async () => {
    const first = locks({ lockTimeoutMs: 5_000 });
    const second = locks({ lockTimeoutMs: 5_000 });
    const octokit = fakeOctokit();
    guardWrites(octokit);
    await first.hold("acme/shop#10", async (lease) => {
      await expect(octokit.request("POST")).resolves.toBe("POST sent");
      // As if the lock had expired while this holder stalled: the key is gone…
      await raw.del(`mutex:${PREFIX}:lock:acme/shop#10`);
      // …and another replica takes the hotfix.
      await second.hold("acme/shop#10", async (theirs) => {
        await expect(theirs.assertHeld()).resolves.toBeUndefined();
      });
      await expect(lease.assertHeld()).rejects.toBeInstanceOf(LockLostError);
      await expect(octokit.request("POST")).rejects.toBeInstanceOf(LockLostError);
      await expect(octokit.request("PATCH")).rejects.toBeInstanceOf(LockLostError);
      await expect(octokit.request("GET")).resolves.toBe("GET sent");
      await expect(octokit.request("HEAD")).resolves.toBe("HEAD sent");
    });
    // Outside any hold there is no lease to check.
    expect(currentLeases()).toEqual([]);
    await expect(octokit.request("POST")).resolves.toBe("POST sent");
  });

  it("fails the check when a later fencing token was drawn, even with the mutex still ours", async () => {
    await locks().hold("acme/shop#11", async (lease) => {
      await expect(lease.assertHeld()).resolves.toBeUndefined();
      await raw.incr(`${PREFIX}:fence:acme/shop#11`);
      await expect(lease.assertHeld()).rejects.toThrow(/another holder acquired it after us/);
    });
  });

  it("refuses a holder that stalled past the expiry, before its refresh even noticed", async () => {
    const stalling = locks({ lockTimeoutMs: 300 });
    await stalling.hold("acme/shop#16", async (lease) => {
      const until = Date.now() + 600;
      while (Date.now() < until); // a stalled event loop: no refresh can run
      await expect(lease.assertHeld()).rejects.toThrow(/expired or another holder took it over/);
    });
  });

  it("reports the lock lost when its holder stalled past the expiry", async () => {
    const lost: string[] = [];
    const stalling = locks({ lockTimeoutMs: 300, onError: (error) => lost.push(error.message) });
    await stalling.hold("acme/shop#12", async (lease) => {
      const until = Date.now() + 600;
      while (Date.now() < until); // a stalled event loop: no refresh can run
      await sleep(50); // the overdue refresh runs now and finds the lock gone
      expect(lost).toEqual([expect.stringMatching(/Lost the lock of acme\/shop#12/)]);
      await expect(lease.assertHeld()).rejects.toThrow(/Lost the lock/);
    });
  });

  it("is re-entrant, and a nested hold does not release the lock", async () => {
    const holder = locks();
    const other = locks({ acquireTimeoutMs: 200, retryIntervalMs: 20 });
    await holder.hold("acme/shop#13", async (outer) => {
      const inner = await holder.hold("acme/shop#13", async (lease) => lease);
      expect(inner).toBe(outer);
      await expect(outer.assertHeld()).resolves.toBeUndefined();
      await expect(other.hold("acme/shop#13", async () => 1)).rejects.toBeInstanceOf(
        LockTimeoutError,
      );
    });
    await expect(other.hold("acme/shop#13", async () => 2)).resolves.toBe(2);
  });

  it("releases after the work throws, and leaves no lock behind", async () => {
    const holder = locks();
    await expect(
      holder.hold("acme/shop#14", async () => {
        throw new Error("the tag exists");
      }),
    ).rejects.toThrow("the tag exists");
    expect(await raw.exists(`mutex:${PREFIX}:lock:acme/shop#14`)).toBe(0);
    await expect(holder.hold("acme/shop#14", async () => "again")).resolves.toBe("again");
  });
});

// No redis-server needed: these talk to nothing, or to a socket that never answers.
describe("Redis hotfix locks when Redis cannot be reached", () => {
  const password = "s3cret-Pa55";
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a hung Redis, or a proxy in front of a dead one.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  async function holdAgainst(url: string) {
    const errors: string[] = [];
    const locks = createRedisLocks({ url, onError: (error) => errors.push(error.message) });
    let ran = false;
    const startedAt = Date.now();
    const outcome = await locks
      .hold("acme/shop#1", async () => {
        ran = true;
      })
      .then(
        () => "resolved",
        (error: Error) => error.message,
      );
    const tookMs = Date.now() - startedAt;
    await locks.close();
    return { outcome, ran, tookMs, errors };
  }

  it.each([
    { secret: password, inUrl: password },
    { secret: "p@ss:word", inUrl: "p%40ss%3Aword" },
  ])(
    "fails hold quickly when nothing listens, naming REDIS_URL and the cause, not the password ($inUrl)",
    async ({ secret, inUrl }) => {
      const port = await freePort();
      const { outcome, ran, tookMs, errors } = await holdAgainst(
        `redis://hotfix:${inUrl}@127.0.0.1:${port}/0`,
      );
      expect(ran).toBe(false);
      expect(tookMs).toBeLessThan(3_000); // a refused connection is known at once: no long retries
      expect(outcome).toContain(`REDIS_URL=redis://***@127.0.0.1:${port}/0`);
      expect(outcome).toContain("ECONNREFUSED");
      const everything = [outcome, ...errors].join("\n");
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(inUrl);
    },
  );

  it("fails hold within 10 s when Redis accepts the connection but never answers", async () => {
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const { outcome, ran, tookMs, errors } = await holdAgainst(
      `redis://:${password}@127.0.0.1:${address.port}?password=${password}`,
    );
    expect(ran).toBe(false);
    expect(tookMs).toBeLessThan(10_000);
    expect(outcome).toContain(`REDIS_URL=redis://***@127.0.0.1:${address.port}?password=***`);
    expect(outcome).toContain("timed out");
    expect([outcome, ...errors].join("\n")).not.toContain(password);
  }, 15_000);
});

describeWithRedis("Redis hotfix locks when Redis goes away while a lock is held", () => {
  it("reports failed refreshes instead of crashing, refuses writes, and ends the hold", async () => {
    const server = await startRedisServer();
    const errors: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const locks = createRedisLocks({
      url: server.url,
      lockTimeoutMs: 600,
      onError: (error) => errors.push(error.message),
    });
    try {
      const result = await locks.hold("acme/shop#15", async (lease) => {
        server.kill();
        await sleep(900); // refreshes fail (every 200 ms) until the lock has surely expired
        await expect(lease.assertHeld()).rejects.toBeInstanceOf(LockLostError);
        return "work done";
      });
      expect(result).toBe("work done");
      expect(unhandled).toEqual([]);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/Cannot refresh the lock of acme\/shop#15 \(will retry\)/),
          expect.stringMatching(/Lost the lock of acme\/shop#15/),
        ]),
      );
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await locks.close();
      await server.stop();
    }
  });
});
