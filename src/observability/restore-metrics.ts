/**
 * Time to restore on `/metrics`: from the report (the linked issue's creation) to the release and
 * to production's first success, per repository. The one place a repository name is a label:
 * teams follow this DORA metric per repository, and its series grow with the repositories that
 * release hotfixes, not with events.
 */
import { Histogram } from "prom-client";
import { metricsRegistry } from "./metrics.js";

const HOURS = [0.25, 0.5, 1, 2, 4, 8, 12, 24, 48, 72, 168, 336].map((h) => h * 3600);

const toRelease = new Histogram({
  name: "hotfix_bot_issue_to_release_seconds",
  help: "Time to restore: from the linked issue's creation to the hotfix's release, per repository.",
  labelNames: ["repository"] as const,
  buckets: HOURS,
  registers: [metricsRegistry],
});

const toProduction = new Histogram({
  name: "hotfix_bot_issue_to_production_seconds",
  help: "Time to restore: from the linked issue's creation to the hotfix's first successful production deployment, per repository.",
  labelNames: ["repository"] as const,
  buckets: HOURS,
  registers: [metricsRegistry],
});

export function observeRestore(
  repository: string,
  milestone: "release" | "production",
  seconds: number,
): void {
  (milestone === "release" ? toRelease : toProduction).observe({ repository }, seconds);
}
