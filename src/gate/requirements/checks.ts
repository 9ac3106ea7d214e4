import type { CheckRun, CommitStatus } from "../../github/model.js";
import type { Policy } from "../../policy/schema.js";
import { matchesAny } from "../../policy/patterns.js";
import { failed, met, waiting, type RequirementResult } from "../requirement.js";

/** One reported check, check run or commit status alike. */
interface Reported {
  name: string;
  outcome: "passed" | "pending" | "failed";
  /** conclusion or state as GitHub says it, for the message. */
  word: string;
  url: string | null;
}

const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

export interface ChecksFacts {
  headSha: string;
  checkRuns: readonly CheckRun[];
  statuses: readonly CommitStatus[];
  /** This app's id: its own check runs never count toward a required check. */
  ownAppId: number | null;
}

function fromRun(run: CheckRun): Reported {
  if (run.status !== "completed")
    return { name: run.name, outcome: "pending", word: run.status.replace("_", " "), url: run.url };
  const conclusion = run.conclusion ?? "unknown";
  return {
    name: run.name,
    outcome: PASSING_CONCLUSIONS.has(conclusion) ? "passed" : "failed",
    word: conclusion.replace("_", " "),
    url: run.url,
  };
}

function fromStatus(status: CommitStatus): Reported {
  const outcome =
    status.state === "success" ? "passed" : status.state === "pending" ? "pending" : "failed";
  return { name: status.context, outcome, word: status.state, url: status.url };
}

/** The newest check run per name (a re-run replaces the run it re-runs). */
function latestRuns(runs: readonly CheckRun[], ownAppId: number | null): CheckRun[] {
  const byName = new Map<string, CheckRun>();
  for (const run of runs) {
    if (ownAppId !== null && run.appId === ownAppId) continue;
    const prior = byName.get(run.name);
    if (!prior || newer(run, prior)) byName.set(run.name, run);
  }
  return [...byName.values()];
}

function newer(a: CheckRun, b: CheckRun): boolean {
  if (a.startedAt && b.startedAt && a.startedAt !== b.startedAt) return a.startedAt > b.startedAt;
  return a.id > b.id;
}

const link = (r: Reported) => (r.url ? `[${r.name}](${r.url})` : `\`${r.name}\``);

export function requiredChecksPassed(facts: ChecksFacts, policy: Policy): RequirementResult | null {
  const patterns = policy.checks.required;
  if (patterns.length === 0) return null;
  const reported = [
    ...latestRuns(facts.checkRuns, facts.ownAppId).map(fromRun),
    ...facts.statuses.map(fromStatus),
  ];
  const short = facts.headSha.slice(0, 7);
  const missing: string[] = [];
  const matched = new Map<string, Reported>();
  for (const pattern of patterns) {
    const hits = reported.filter((r) => matchesAny(r.name, [pattern]));
    if (hits.length === 0) missing.push(pattern);
    for (const hit of hits) matched.set(`${hit.name}\u0000${hit.word}`, hit);
  }
  const all = [...matched.values()].sort((a, b) => a.name.localeCompare(b.name));
  const failing = all.filter((r) => r.outcome === "failed");
  const pending = all.filter((r) => r.outcome === "pending");
  const details = all.map((r) => `${icon(r)} ${link(r)}: ${r.word}`);
  const title = "Required checks";
  if (failing.length > 0) {
    return failed(
      "checks",
      title,
      `${failing.map((r) => `${link(r)} ${r.word}`).join(", ")} on ${short}; fix it and push, or re-run the check`,
      details,
    );
  }
  if (missing.length > 0 || pending.length > 0) {
    const parts = [
      ...(pending.length ? [`${pending.map(link).join(", ")} still running`] : []),
      ...(missing.length
        ? [
            `no check matching ${missing.map((p) => `\`${p}\``).join(", ")} has reported on ${short} yet`,
          ]
        : []),
    ];
    return waiting("checks", title, `waiting: ${parts.join("; ")}`, details);
  }
  return met(
    "checks",
    title,
    `${all.length} required check${all.length === 1 ? "" : "s"} passed on ${short}`,
    details,
  );
}

function icon(r: Reported): string {
  return r.outcome === "passed" ? "✅" : r.outcome === "pending" ? "⏳" : "❌";
}
