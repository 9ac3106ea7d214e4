/**
 * The sandbox's view of what leaves GitHub: a notification log (one local receiver standing in
 * for Slack, Teams, a signed webhook and PagerDuty, printing each message it gets) and, with
 * `--prometheus` where Debian's `prometheus` is installed, a real Prometheus scraping a small
 * exporter of the demo shop's error rate, so the sweep measures a metric signal.
 *
 * Everything reaches the app as an operator would configure it: a policy that names receivers
 * and a server by key, and `HOTFIX_*` variables in the app's environment.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { prometheusPath, startExporter, startPrometheus } from "./prometheus.js";
import { cyan, dim } from "./timeline.js";

const SECRET = "sandbox-webhook-secret";
export const SANDBOX_SWEEP_TOKEN = "sandbox-sweep-token";

export interface SandboxIntegrations {
  /** `notify:` (and the signal) to add to the demo policy. */
  policy(base: string): string;
  /** The app's environment for them. */
  env: Record<string, string>;
  /** What the receiver got, as printed. */
  log: string[];
  /** With a Prometheus: what the signal measures, for the closing summary. */
  prometheus: string | null;
  close(): Promise<void>;
}

export async function startSandboxIntegrations(options: {
  prometheus: boolean;
}): Promise<SandboxIntegrations> {
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const kind = (req.url ?? "/").slice(1).split("/")[0] ?? "";
      const signature = req.headers["x-hotfix-bot-signature-256"];
      const verified =
        kind !== "webhook" ||
        signature === `sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`;
      const line = `📣 ${kind.padEnd(9)} ${String(req.headers["x-hotfix-bot-event"]).padEnd(20)} ${summary(kind, raw)}${kind === "webhook" ? (verified ? " (signature verified)" : " (BAD SIGNATURE)") : ""}`;
      log.push(line);
      console.log(`          ${cyan(line)}`);
      res.writeHead(verified ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const env: Record<string, string> = {
    HOTFIX_NOTIFY_ONCALL_URL: `${url}/slack`,
    HOTFIX_NOTIFY_QA_URL: `${url}/teams`,
    HOTFIX_NOTIFY_AUDIT_URL: `${url}/webhook`,
    HOTFIX_NOTIFY_AUDIT_SECRET: SECRET,
    HOTFIX_NOTIFY_PAYMENTS_ROUTING_KEY: "sandbox-routing-key",
    HOTFIX_PAGERDUTY_EVENTS_URL: `${url}/pagerduty/v2/change/enqueue`,
    SWEEP_TOKEN: SANDBOX_SWEEP_TOKEN,
  };

  let stopPrometheus = async () => {};
  let measured: string | null = null;
  let signal = "";
  if (options.prometheus) {
    if (!prometheusPath()) {
      console.log(dim("--prometheus: the prometheus binary is not installed; no metric signal."));
    } else {
      const exporter = await startExporter({ shop_http_error_ratio: 0.004 });
      const prometheus = await startPrometheus(exporter.url);
      await prometheus.waitFor("max(shop_http_error_ratio)", 0.004, 20_000);
      env.HOTFIX_PROMETHEUS_MAIN_URL = prometheus.url;
      measured = `a real Prometheus at ${prometheus.url} scraping the shop's error rate (0.4%) every second`;
      signal = [
        "      prometheus:",
        "        - name: error-rate",
        "          server: main",
        "          query: max(shop_http_error_ratio)",
        '          fail_if: "> 0.05"',
        "          every: 1s",
      ].join("\n");
      stopPrometheus = async () => {
        await prometheus.stop();
        await exporter.close();
      };
    }
  }

  return {
    env,
    log,
    prometheus: measured,
    policy(base) {
      const signals = '    signals: { checks: ["smoke-test*"], labels: ["regression"] }';
      const withSignal = signal
        ? base.replace(
            signals,
            `    signals:\n      checks: ["smoke-test*"]\n      labels: ["regression"]\n${signal}`,
          )
        : base;
      return `${withSignal.trimEnd()}
notify:
  routes:
    - { kind: slack, receiver: oncall }
    - { kind: teams, receiver: qa, events: [released, window-failed, window-clean] }
    - { kind: webhook, receiver: audit }
    - { kind: pagerduty, receiver: payments }
`;
    },
    async close() {
      await stopPrometheus();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One line of what a receiver got, from the payload its kind expects. */
function summary(kind: string, raw: string): string {
  try {
    const body = JSON.parse(raw) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (kind === "slack") return `Block Kit: ${body.blocks?.length} blocks — ${body.text}`;
    if (kind === "teams")
      return `Adaptive Card: ${body.attachments?.[0]?.content?.body?.[1]?.text ?? ""}`;
    if (kind === "pagerduty") return `change event: ${body.payload?.summary}`;
    return `JSON: ${body.text}`;
  } catch {
    return raw.slice(0, 80);
  }
}
