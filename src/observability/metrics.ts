/**
 * The Prometheus metrics hotfix-bot exposes at GET /metrics. One registry for the process (not
 * prom-client's global one, so a host application's own metrics never mix with ours). Labels
 * stay low-cardinality on purpose: events, outcomes, route templates and installation ids —
 * never repository names, PR numbers or logins.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export const metricsRegistry = new Registry();

/**
 * What a delivery did, from facts rather than from the decision text: `error` (it threw),
 * `no_request` (decided from the payload alone), `read_only`, or `wrote` (at least one write).
 */
export type DeliveryOutcome = "error" | "no_request" | "read_only" | "wrote";

const deliveries = new Counter({
  name: "hotfix_bot_deliveries_total",
  help: "Webhook deliveries handled, by event (name.action) and outcome (error, no_request, read_only, wrote).",
  labelNames: ["event", "outcome"] as const,
  registers: [metricsRegistry],
});

const deliveryDuration = new Histogram({
  name: "hotfix_bot_delivery_duration_seconds",
  help: "Time from receiving a delivery to the end of its work (which may end after GitHub got its answer).",
  labelNames: ["event"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
  registers: [metricsRegistry],
});

const inFlight = new Gauge({
  name: "hotfix_bot_deliveries_in_flight",
  help: "Deliveries whose work is still running, answered or not.",
  registers: [metricsRegistry],
});

const continued = new Counter({
  name: "hotfix_bot_deliveries_answered_before_done_total",
  help: "Deliveries answered before their work ended (the work went on after the answer).",
  labelNames: ["event"] as const,
  registers: [metricsRegistry],
});

const githubRequests = new Counter({
  name: "hotfix_bot_github_requests_total",
  help: 'GitHub API requests by route template ("GET /repos/{owner}/{repo}/pulls/{pull_number}") and HTTP status.',
  labelNames: ["route", "status"] as const,
  registers: [metricsRegistry],
});

const rateLimitRemaining = new Gauge({
  name: "hotfix_bot_github_rate_limit_remaining",
  help: "x-ratelimit-remaining of the latest GitHub answer, per installation and rate-limit resource.",
  labelNames: ["installation", "resource"] as const,
  registers: [metricsRegistry],
});

export type ReleaseResult = "released" | "planned" | "refused" | "failed" | "queued";

const releases = new Counter({
  name: "hotfix_bot_releases_total",
  help: "Release commands by result: released, planned (--dry-run), refused, failed.",
  labelNames: ["result"] as const,
  registers: [metricsRegistry],
});

const backports = new Counter({
  name: "hotfix_bot_backports_total",
  help: "Backports by result (one per target branch).",
  labelNames: ["result"] as const,
  registers: [metricsRegistry],
});

export function recordDelivery(event: string, outcome: DeliveryOutcome, seconds: number): void {
  deliveries.inc({ event, outcome });
  deliveryDuration.observe({ event }, seconds);
}

export function recordAnsweredBeforeDone(event: string): void {
  continued.inc({ event });
}

/** Counts a delivery's work as running; call the returned function when it ends. */
export function trackInFlight(): () => void {
  inFlight.inc();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight.dec();
  };
}

export interface GitHubAnswer {
  route: string;
  /** HTTP status, or "network" when no answer came. */
  status: number | "network";
  rateLimit?: { remaining: number; resource: string };
}

export function recordGitHubAnswer(answer: GitHubAnswer, installation: string): void {
  githubRequests.inc({ route: answer.route, status: String(answer.status) });
  if (answer.rateLimit) {
    rateLimitRemaining.set(
      { installation, resource: answer.rateLimit.resource },
      answer.rateLimit.remaining,
    );
  }
}

export function countRelease(result: ReleaseResult): void {
  releases.inc({ result });
}

/** For the backport use-case: one call per target branch, e.g. "opened", "conflict", "failed". */
export function countBackport(result: string): void {
  backports.inc({ result });
}

let processMetrics = false;

/** CPU, memory, event-loop lag and GC of this process — only where something serves /metrics. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: "hotfix_bot_" });
}
