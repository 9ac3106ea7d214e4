/**
 * Runs the real hotfix-bot against the stand-in, two ways, both through Probot's own server and
 * webhook middleware and signed HTTP deliveries:
 *
 * - `startAppProcess`: what a user runs — `probot run ./lib/index.js` as a child process, with
 *   only the environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST=127.0.0.1:<port>,
 *   GHE_PROTOCOL=http, PORT). Probot's retries and write throttling (one write a second) are on.
 * - `startAppInProcess`: Probot's `run()` — the same code path `probot run` takes — in this
 *   process, for quick tests and the benchmark: `createApp(config)` can be given options (e.g.
 *   an unpaced backport pacer), and Octokit's retry and throttling plugins can be turned off so
 *   a test sees the app's own handling of each answer.
 *
 * `workInFlight()` asks the app's /healthz how many deliveries are still being worked on: with
 * the webhook queue empty and that at 0, the app is idle (`settle`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { ProbotOctokit, run, type Server } from "probot";
import { createApp, type AppConfig } from "../src/app.js";
import type { StandIn } from "./stand-in/server.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface AppCredentials {
  appId: number;
  slug: string;
  name: string;
  owner: string;
  installationId: number;
  privateKey: string;
  publicKey: string;
  webhookSecret: string;
}

/** A fresh App registration: what GitHub's "New GitHub App" page hands out. */
export function newAppCredentials(
  owner: string,
  overrides: Partial<AppCredentials> = {},
): AppCredentials {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return {
    appId: 4242,
    slug: "hotfix-bot",
    name: "hotfix-bot",
    owner,
    installationId: 77,
    privateKey,
    publicKey,
    webhookSecret: `sandbox-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}

export interface AppHost {
  /** The app's own server, e.g. http://127.0.0.1:41234 */
  url: string;
  webhookUrl: string;
  /** Deliveries whose work is still running in the app (its /healthz). */
  workInFlight(): Promise<number>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function environment(
  standIn: StandIn,
  credentials: AppCredentials,
  port: number,
): Record<string, string> {
  return {
    APP_ID: String(credentials.appId),
    PRIVATE_KEY: credentials.privateKey,
    WEBHOOK_SECRET: credentials.webhookSecret,
    GHE_HOST: new URL(standIn.url).host,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: String(port),
  };
}

function register(standIn: StandIn, credentials: AppCredentials): void {
  standIn.registerApp({
    id: credentials.appId,
    slug: credentials.slug,
    name: credentials.name,
    owner: credentials.owner,
    publicKey: credentials.publicKey,
    installationId: credentials.installationId,
    webhookSecret: credentials.webhookSecret,
  });
}

async function healthz(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  if (!response.ok) throw new Error(`GET /healthz answered ${response.status}`);
  const body = (await response.json()) as { workInFlight?: number };
  if (typeof body.workInFlight !== "number")
    throw new Error("/healthz does not report workInFlight");
  return body.workInFlight;
}

/** Octokit with Probot's defaults, without its retries and write throttling. */
export const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface InProcessOptions {
  /** createApp's options beyond the app id (e.g. `backportPacer`, `answerWithinMs`). */
  config?: Omit<AppConfig, "appId">;
  /** Keep Probot's retry and throttling plugins (default: off). */
  probotOctokit?: boolean;
  logLevel?: "silent" | "fatal" | "error" | "warn" | "info" | "debug";
}

export async function startAppInProcess(
  standIn: StandIn,
  credentials: AppCredentials,
  options: InProcessOptions = {},
): Promise<AppHost> {
  register(standIn, credentials);
  const port = await freePort();
  const server: Server = await run(createApp({ appId: credentials.appId, ...options.config }), {
    env: environment(standIn, credentials, port),
    log: pino({ level: options.logLevel ?? "silent" }),
    ...(options.probotOctokit ? {} : { Octokit: UnthrottledOctokit }),
  });
  const url = `http://127.0.0.1:${port}`;
  const host: AppHost = {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    workInFlight: () => healthz(url),
    close: () => server.stop(),
  };
  standIn.connectApp({
    url: host.webhookUrl,
    secret: credentials.webhookSecret,
    appId: credentials.appId,
  });
  return host;
}

export interface ProcessOptions {
  /** More environment for the app (LOG_LEVEL, HOTFIX_ANSWER_WITHIN_MS, …). */
  env?: Record<string, string>;
  /** Each line the app writes (JSON log lines with LOG_FORMAT=json). */
  onLine?: (line: string) => void;
}

/** `probot run ./lib/index.js` (needs `npm run build` first), configured by environment only. */
export async function startAppProcess(
  standIn: StandIn,
  credentials: AppCredentials,
  options: ProcessOptions = {},
): Promise<AppHost & { child: ChildProcess }> {
  register(standIn, credentials);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, "node_modules", "probot", "bin", "probot.js"), "run", "./lib/index.js"],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        LOG_FORMAT: "json",
        LOG_LEVEL: "info",
        // Probot loads a `.env` (setup mode writes one) without overriding what is set here:
        // a webhook proxy (smee) from it would take the app away from the stand-in.
        WEBHOOK_PROXY_URL: "",
        ...environment(standIn, credentials, port),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines = (chunk: Buffer, rest: { text: string }) => {
    rest.text += chunk.toString("utf8");
    const parts = rest.text.split("\n");
    rest.text = parts.pop() ?? "";
    for (const line of parts) if (line.trim()) options.onLine?.(line);
  };
  const out = { text: "" };
  const err = { text: "" };
  child.stdout?.on("data", (chunk: Buffer) => lines(chunk, out));
  child.stderr?.on("data", (chunk: Buffer) => lines(chunk, err));
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code) => resolve(code ?? -1)),
  );
  const url = `http://127.0.0.1:${port}`;
  // Ready when /healthz answers; fail fast if the process dies first.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited with ${child.exitCode} before it was ready`);
    try {
      await healthz(url);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error("the app did not answer /healthz within 30 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const host = {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    child,
    workInFlight: () => healthz(url),
    async close() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
  standIn.connectApp({
    url: host.webhookUrl,
    secret: credentials.webhookSecret,
    appId: credentials.appId,
  });
  return host;
}

/**
 * Waits until the app is idle: no webhook queued or being delivered, and no delivery's work
 * still running in the app. Work can send more webhooks (a merge sends `pull_request.closed`),
 * so it checks until both stay at zero.
 */
export async function settle(standIn: StandIn, app: AppHost, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (quietRounds < 2) {
    if (Date.now() > deadline) {
      throw new Error(
        `the app did not settle within ${timeoutMs} ms (${standIn.webhooks.pending} webhooks pending)`,
      );
    }
    await standIn.hub.flushed();
    await standIn.webhooks.idle();
    const busy = await app.workInFlight();
    if (busy === 0 && standIn.hub.pendingEmissions === 0 && standIn.webhooks.pending === 0) {
      quietRounds++;
    } else quietRounds = 0;
    await new Promise((resolve) => setTimeout(resolve, busy === 0 ? 5 : 25));
  }
}
