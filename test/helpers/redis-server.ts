/**
 * A real redis-server for the tests that need one: a fake would agree with whatever the code
 * believes about expiry, Lua scripts and MULTI, which is what those tests are there to check.
 * Each test file starts its own server on a free loopback port, with no persistence, and stops
 * it at the end.
 *
 * Where redis-server is missing the tests are skipped with one notice — unless
 * HOTFIX_TEST_REQUIRE_SERVICES is set (CI sets it after installing Debian's redis-server): a
 * skipped suite must not pass for a tested one there.
 */
import { describe, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createConnection, createServer } from "node:net";
import { delimiter, join } from "node:path";

export interface RedisServer {
  url: string;
  port: number;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL, at once: Redis gone as in a crash. */
  kill(): void;
}

const EXTRA_DIRS = ["/usr/bin", "/usr/sbin", "/usr/local/bin"];

export function redisServerPath(): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, "redis-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** A port nobody listens on right now (the OS picks it; a tiny race is accepted). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port was assigned");
  return address.port;
}

/** Resolves once the server answers PING with PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerPath();
  if (!binary) throw new Error("redis-server was not found");
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.on("error", (error) => (stderr += error.message));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

  const deadline = Date.now() + 5_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}

let warned = false;

/** `describe`, when redis-server can run here; see the header for when it cannot. */
export function describeWithRedis(name: string, fn: () => void): void {
  if (redisServerPath()) {
    describe(name, fn);
    return;
  }
  if (process.env.HOTFIX_TEST_REQUIRE_SERVICES) {
    describe(name, () => {
      it("needs redis-server", () => {
        throw new Error(
          "redis-server is required here (HOTFIX_TEST_REQUIRE_SERVICES is set) but was not " +
            "found; install Debian's redis-server",
        );
      });
    });
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(`Skipping "${name}": redis-server is missing (install Debian's redis-server).`);
  }
  describe.skip(name, fn);
}
