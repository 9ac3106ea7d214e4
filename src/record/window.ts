/**
 * Pure: the monitoring window of a hotfix on production, judged from facts read from GitHub —
 * never from memory, so an app that restarted (or a sweep run by a scheduler) reaches the same
 * verdict as the instance that saw the deployment go live.
 *
 * The window opens at the production deployment's first `success` status and lasts
 * `monitor.minutes` (it ends earlier if a newer deployment replaced this one). A signal counts
 * when it happened inside the window:
 * - a `failure` or `error` status on the production deployment;
 * - a check run named in `signals.checks` that started in the window and failed (failure,
 *   timed_out, startup_failure; a cancelled run is not a regression);
 * - a commit status named in `signals.checks` set to failure or error in the window;
 * - an issue with a label of `signals.labels` opened in the window.
 * The earliest signal fails the hotfix; with none, the window closes clean once its end passed.
 */
import type { CheckRun, CommitStatus } from "../github/model.js";
import type { DeploymentStatus } from "../github/port/deployments.js";
import type { LabelledIssue } from "../github/port/issues.js";
import { matchesAny } from "../policy/patterns.js";
import { firstSuccess, replacedAt } from "./deployment-state.js";
import type { Signal, WindowVerdict } from "./schema.js";

export type { Signal, WindowVerdict };

export interface WindowFacts {
  now: Date;
  minutes: number;
  signals: { checks: readonly string[]; labels: readonly string[] };
  /** The production deployment's statuses, in any order. */
  statuses: readonly DeploymentStatus[];
  /** Check runs and commit statuses on the tag's commit (empty when no check is a signal). */
  checkRuns: readonly CheckRun[];
  commitStatuses: readonly CommitStatus[];
  /** Issues carrying a signal label, updated since the window opened. */
  issues: readonly LabelledIssue[];
  /** This app's own check runs are never signals. */
  ownAppId: number | null;
}

const FAILED_CONCLUSIONS = new Set(["failure", "timed_out", "startup_failure"]);
const FAILED_STATES = new Set(["failure", "error"]);

export function judgeWindow(facts: WindowFacts): WindowVerdict {
  const live = firstSuccess(facts.statuses);
  if (!live) return { state: "not-started" };
  const opensAt = live.createdAt;
  const start = Date.parse(opensAt);
  const closesAt = new Date(start + facts.minutes * 60_000).toISOString();
  const replaced = replacedAt(facts.statuses, opensAt);
  const end = Math.min(Date.parse(closesAt), replaced ? Date.parse(replaced) : Infinity);
  const inWindow = (at: string | null | undefined): at is string => {
    if (!at) return false;
    const t = Date.parse(at);
    return t >= start && t <= end;
  };

  const signals: Signal[] = [];
  for (const s of facts.statuses) {
    if (FAILED_STATES.has(s.state) && inWindow(s.createdAt)) {
      signals.push({
        at: s.createdAt,
        what: `the production deployment reported ${s.state}${s.description ? `: ${s.description}` : ""}`,
        link: s.url,
      });
    }
  }
  const names = facts.signals.checks;
  for (const run of facts.checkRuns) {
    if (facts.ownAppId !== null && run.appId === facts.ownAppId) continue;
    if (run.status !== "completed" || !FAILED_CONCLUSIONS.has(run.conclusion ?? "")) continue;
    if (!matchesAny(run.name, names) || !inWindow(run.startedAt)) continue;
    signals.push({
      at: run.startedAt as string,
      what: `check run \`${run.name}\` ended ${run.conclusion}`,
      link: run.url,
    });
  }
  for (const status of facts.commitStatuses) {
    if (!FAILED_STATES.has(status.state) || !matchesAny(status.context, names)) continue;
    if (!inWindow(status.updatedAt)) continue;
    signals.push({
      at: status.updatedAt as string,
      what: `commit status \`${status.context}\` is ${status.state}`,
      link: status.url,
    });
  }
  const labels = new Set(facts.signals.labels.map((l) => l.toLowerCase()));
  for (const issue of facts.issues) {
    const label = issue.labels.find((l) => labels.has(l.toLowerCase()));
    if (!label || !inWindow(issue.createdAt)) continue;
    signals.push({
      at: issue.createdAt,
      what: `issue #${issue.number} "${issue.title}" was opened with the label \`${label}\``,
      link: issue.url,
    });
  }

  const first = signals.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  if (first) return { state: "failed", opensAt, closesAt, signal: first };
  if (facts.now.getTime() < end) return { state: "open", opensAt, closesAt };
  const endedAt = new Date(end).toISOString();
  return {
    state: "clean",
    opensAt,
    closesAt,
    endedAt,
    reason:
      replaced && Date.parse(replaced) < Date.parse(closesAt)
        ? "a newer deployment replaced it on production before the window ended"
        : `no failure signal in ${facts.minutes} minutes`,
  };
}
