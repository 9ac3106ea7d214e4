/**
 * A real Prometheus (Debian's `prometheus`) scraping a small exporter every second — for the
 * sandbox's `--prometheus` and the tests of metric signals (test/helpers/prometheus-server.ts).
 * The caller sets the exporter's values (an error rate) and waits until Prometheus answers with
 * them. Runs in a temporary directory on a free loopback port; `stop()` removes it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./app-host.js";

const EXTRA_DIRS = ["/usr/bin", "/usr/sbin", "/usr/local/bin"];

export function prometheusPath(): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, "prometheus");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** An exporter whose gauges the test sets; `down()` makes it refuse scrapes (a 503). */
export interface Exporter {
  url: string;
  values: Record<string, number>;
  up: boolean;
  close(): Promise<void>;
}

export async function startExporter(values: Record<string, number>): Promise<Exporter> {
  const exporter: Exporter = { url: "", values, up: true, close: async () => {} };
  const server: Server = createServer((req, res) => {
    if (!exporter.up || req.url !== "/metrics") {
      res.writeHead(503).end();
      return;
    }
    const lines = Object.entries(exporter.values).flatMap(([name, value]) => [
      `# TYPE ${name} gauge`,
      `${name} ${Number.isNaN(value) ? "NaN" : value}`,
    ]);
    res
      .writeHead(200, { "content-type": "text/plain; version=0.0.4" })
      .end(`${lines.join("\n")}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  exporter.url = `127.0.0.1:${address.port}`;
  exporter.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return exporter;
}

export interface PrometheusServer {
  url: string;
  /** An instant query's `data` (throws on an error answer). */
  query(q: string): Promise<{ resultType: string; result: unknown[] }>;
  /** Polls until `q` returns exactly `value` (the exporter's value was scraped). */
  waitFor(q: string, value: number | "empty", timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrometheus(target: string): Promise<PrometheusServer> {
  const binary = prometheusPath();
  if (!binary) throw new Error("prometheus was not found");
  const dir = mkdtempSync(join(tmpdir(), "hotfix-prometheus-"));
  const config = join(dir, "prometheus.yml");
  writeFileSync(
    config,
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "scrape_configs:",
      "  - job_name: demo",
      `    static_configs: [{ targets: ["${target}"] }]`,
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`prometheus did not start on port ${port}: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const server: PrometheusServer = {
    url,
    async query(q) {
      const answer = (await (
        await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`)
      ).json()) as { status: string; data: { resultType: string; result: unknown[] } };
      if (answer.status !== "success") throw new Error(JSON.stringify(answer));
      return answer.data;
    },
    async waitFor(q, value, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const data = await server.query(q);
        const sample = (data.result[0] as { value?: [number, string] } | undefined)?.value;
        if (value === "empty" ? data.result.length === 0 : Number(sample?.[1]) === value) return;
        if (Date.now() > until)
          throw new Error(`${q} is ${JSON.stringify(data.result)}, not ${value}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
