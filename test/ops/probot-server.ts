/**
 * Probot's real HTTP server (the one `probot run` and the Docker image start) on 127.0.0.1 with
 * a random port, the app loaded, and its log lines captured; plus signed deliveries sent to it
 * over HTTP the way GitHub sends them. GitHub itself stays mocked by nock (github-nock.ts).
 */
import { afterEach, beforeEach } from "@jest/globals";
import { createHmac } from "node:crypto";
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { Probot, Server, type ApplicationFunction } from "probot";
import { TestOctokit, testPrivateKey } from "../helpers/github-nock.js";
import { httpRequest } from "./raw-http.js";
import { freePort } from "../../sandbox/app-host.js";

export { httpRequest } from "./raw-http.js";

export const SECRET = "test-webhook-secret";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RunningServer {
  url: string;
  logs: LogLine[];
  /** Everything logged, as written (for "no secret in the logs"). */
  rawLog(): string;
  stop(): Promise<void>;
}

export async function startServer(
  app: ApplicationFunction,
  options: { baseUrl?: string; Octokit?: typeof TestOctokit; level?: "info" | "trace" } = {},
): Promise<RunningServer> {
  const logs: LogLine[] = [];
  let raw = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      raw += String(chunk);
      for (const line of String(chunk).split("\n").filter(Boolean))
        logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const log = pino({ level: options.level ?? "info" }, sink);
  const server = new Server({
    host: "127.0.0.1",
    // Probot's Server reads port 0 as "unset" and takes 3000; test files run in parallel.
    port: await freePort(),
    log,
    Probot: Probot.defaults({
      appId: 123,
      privateKey: testPrivateKey(),
      secret: SECRET,
      Octokit: options.Octokit ?? TestOctokit,
      ...(options.baseUrl && { baseUrl: options.baseUrl }),
    }),
  });
  await server.load(app);
  await server.start();
  return {
    url: `http://127.0.0.1:${server.port}`,
    logs,
    rawLog: () => raw,
    stop: () => server.stop(),
  };
}

export function signature(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface Answer {
  status: number;
  body: string;
  /** Milliseconds from sending the delivery to its answer. */
  ms: number;
}

/** POSTs a delivery to the webhook route as GitHub does; `sign: false` leaves the signature out. */
export async function deliver(
  url: string,
  event: { id: string; name: string; payload: unknown },
  options: { sign?: boolean | string } = {},
): Promise<Answer> {
  const body = JSON.stringify(event.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event.name,
    "x-github-delivery": event.id,
  };
  if (options.sign !== false)
    headers["x-hub-signature-256"] =
      typeof options.sign === "string" ? options.sign : signature(body);
  const started = performance.now();
  const { status, text } = await post(`${url}/api/github/webhooks`, headers, body);
  return { status, body: text, ms: performance.now() - started };
}

export async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const { status, text } = await httpRequest(url, { method: "POST", headers, body });
  return { status, text };
}

/** Polls until `condition` holds (work that goes on after the answer), at most `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * For a test file that starts Probot's server: lets loopback traffic through nock and stops
 * the server each test started. Returns the `startServer` to call inside the tests.
 */
export function useProbotServer(): typeof startServer {
  let running: RunningServer | undefined;
  beforeEach(() => {
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (app, options) => (running = await startServer(app, options));
}
