/**
 * GET /healthz (liveness: answers from memory, never calls GitHub, so a GitHub outage does not
 * get healthy replicas restarted) and GET /metrics (Prometheus text format), served by Probot's
 * own HTTP server next to the webhook route.
 */
import { timingSafeEqual } from "node:crypto";
import type { ApplicationFunctionOptions } from "probot";
import { enableProcessMetrics, metricsRegistry } from "./metrics.js";

type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

export interface OpsOptions {
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** Deliveries whose work is still running in this process, for /healthz. */
  workInFlight: () => number;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function opsHandler(options: OpsOptions): Handler {
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") {
      const body = JSON.stringify({ status: "ok", workInFlight: options.workInFlight() });
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    }
    if (path === "/metrics") {
      if (options.metricsToken && !tokenMatches(req.headers.authorization, options.metricsToken)) {
        res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain" });
        res.end("metrics need the bearer token set in METRICS_TOKEN\n");
        return true;
      }
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { "content-type": metricsRegistry.contentType });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    }
    return false;
  };
}

/**
 * Registers the routes where there is an HTTP server (`probot run`, Probot's node middleware).
 * Under Lambda, GitHub Actions or `probot.load` in tests there is none: Probot's default
 * `addHandler` then throws "No server instance", and there is nothing to serve.
 */
export function serveOps(
  options: Partial<ApplicationFunctionOptions> | undefined,
  ops: OpsOptions,
): boolean {
  if (typeof options?.addHandler !== "function") return false;
  try {
    options.addHandler(opsHandler(ops));
    enableProcessMetrics();
    return true;
  } catch (error) {
    if (error instanceof Error && /no server instance/i.test(error.message)) return false;
    throw error;
  }
}
