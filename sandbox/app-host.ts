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
 * `startAppReplicas` runs several `probot run` processes of one App (same credentials, each on
 * its own port, optionally each with its own environment) behind the stand-in's webhook URL,
 * with a routing rule per delivery (`standIn.connectReplicas`).
 *
 * `workInFlight()` asks the app's /healthz how many deliveries are still being worked on: with
 * the webhook queue empty and that at 0 (in every replica), the app is idle (`settle`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { Writable } from "node:stream";
import { ProbotOctokit, run, type Server } from "probot";
import { createApp, type AppConfig } from "../src/app.js";
import type { StandIn } from "./stand-in/server.js";
import type { ReplicaRoute } from "./stand-in/webhooks.js";

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
  /** Each log line the app writes, parsed (with `logLevel`, default info when this is given). */
  onLog?: (line: Record<string, unknown>) => void;
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
    log: options.onLog
      ? pino(
          { level: options.logLevel ?? "info" },
          new Writable({
            write(chunk, _encoding, done) {
              for (const line of String(chunk).split("\n").filter(Boolean))
                options.onLog?.(JSON.parse(line) as Record<string, unknown>);
              done();
            },
          }),
        )
      : pino({ level: options.logLevel ?? "silent" }),
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
  /**
   * Connect the stand-in's webhooks to this process (default true). false leaves the webhook
   * connection as it is, to connect several processes together (`standIn.connectReplicas`).
   */
  connect?: boolean;
}

export type AppProcess = AppHost & { child: ChildProcess };

/** `probot run ./lib/index.js` (needs `npm run build` first), configured by environment only. */
export async function startAppProcess(
  standIn: StandIn,
  credentials: AppCredentials,
  options: ProcessOptions = {},
): Promise<AppProcess> {
  register(standIn, credentials);
  const host = await spawnApp(standIn, credentials, await freePort(), options);
  if (options.connect !== false) {
    standIn.connectApp({
      url: host.webhookUrl,
      secret: credentials.webhookSecret,
      appId: credentials.appId,
    });
  }
  return host;
}

export interface ReplicasOptions {
  /** More environment for every replica (LOG_LEVEL, …). */
  env?: Record<string, string>;
  /** More environment for one replica, over `env` (e.g. its own REDIS_URL). */
  replicaEnv?: (replica: number) => Record<string, string>;
  /** Each line a replica writes. */
  onLine?: (line: string, replica: number) => void;
  /** Which replicas receive a delivery (default: all); see `standIn.connectReplicas`. */
  route?: ReplicaRoute;
  concurrency?: number;
  duplicate?: boolean;
}

export interface AppReplicas {
  /** The replicas, in the order `route` indexes them. */
  hosts: AppProcess[];
  /** Waits until no webhook is pending and every replica is idle (`settle` over all hosts). */
  settle(timeoutMs?: number): Promise<void>;
  /** Stops every replica (the webhook connection stays; connect another app or close the stand-in). */
  close(): Promise<void>;
}

/**
 * `count` replicas of one App — `probot run ./lib/index.js` processes with the same credentials
 * (registered once), each on its own free port — behind the stand-in's webhook URL, connected
 * with `standIn.connectReplicas` and `options.route`.
 */
export async function startAppReplicas(
  standIn: StandIn,
  credentials: AppCredentials,
  count: number,
  options: ReplicasOptions = {},
): Promise<AppReplicas> {
  if (!Number.isInteger(count) || count < 1) throw new Error(`replicas: ${count} is not a count`);
  register(standIn, credentials);
  // One port each, chosen before any starts: two picks at once could name the same port.
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const started = await Promise.allSettled(
    ports.map((port, replica) =>
      spawnApp(standIn, credentials, port, {
        env: { ...options.env, ...options.replicaEnv?.(replica) },
        ...(options.onLine ? { onLine: (line) => options.onLine?.(line, replica) } : {}),
      }),
    ),
  );
  const hosts = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(hosts.map((host) => host.close()));
    throw failed.reason;
  }
  standIn.connectReplicas(
    hosts.map((host) => ({
      url: host.webhookUrl,
      secret: credentials.webhookSecret,
      appId: credentials.appId,
    })),
    {
      ...(options.route ? { route: options.route } : {}),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.duplicate === undefined ? {} : { duplicate: options.duplicate }),
    },
  );
  return {
    hosts,
    settle: (timeoutMs) => settle(standIn, hosts, timeoutMs),
    close: async () => {
      await Promise.all(hosts.map((host) => host.close()));
    },
  };
}

/** Starts one `probot run` process on `port` and waits for its /healthz (no registration, no webhooks). */
async function spawnApp(
  standIn: StandIn,
  credentials: AppCredentials,
  port: number,
  options: Pick<ProcessOptions, "env" | "onLine">,
): Promise<AppProcess> {
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
  return {
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
}

/**
 * Waits until the app is idle: no webhook queued or being delivered, and no delivery's work
 * still running in the app — in each of its replicas when given several hosts. Work can send
 * more webhooks (a merge sends `pull_request.closed`), so it checks until both stay at zero.
 */
export async function settle(
  standIn: StandIn,
  app: AppHost | readonly AppHost[],
  timeoutMs = 60_000,
): Promise<void> {
  const hosts: readonly AppHost[] = Array.isArray(app) ? app : [app as AppHost];
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
    const busy = (await Promise.all(hosts.map((host) => host.workInFlight()))).reduce(
      (sum, n) => sum + n,
      0,
    );
    if (busy === 0 && standIn.hub.pendingEmissions === 0 && standIn.webhooks.pending === 0) {
      quietRounds++;
    } else quietRounds = 0;
    await new Promise((resolve) => setTimeout(resolve, busy === 0 ? 5 : 25));
  }
}
