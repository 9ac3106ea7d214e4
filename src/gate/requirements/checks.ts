import type { CheckRun, CommitStatus } from "../../github/model.js";
import type { Policy, RequiredCheck } from "../../policy/schema.js";
import { matchesAny } from "../../policy/patterns.js";
import { POLICY_FILE_CHECK_NAME } from "../check-names.js";
import { GATE_CHECK_NAME } from "../check-names.js";
import { failed, met, waiting, type RequirementResult } from "../requirement.js";

/** One reported check, check run or commit status alike. */
interface Reported {
  name: string;
  outcome: "passed" | "pending" | "failed";
  /** conclusion or state as GitHub says it, for the message. */
  word: string;
  url: string | null;
  /** Who reported it, as GitHub says: the app's slug for a check run, the creator's login for a status. */
  kind: "run" | "status";
  source: string | null;
}

const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

export interface ChecksFacts {
  headSha: string;
  checkRuns: readonly CheckRun[];
  statuses: readonly CommitStatus[];
  /**
   * This app's id: its own check runs never count toward a required check. `null` when the
   * app writes with a GitHub Actions token (as GitHub Actions, like CI): its runs are then
   * recognised by their names.
   */
  ownAppId: number | null;
}

const OWN_CHECK_NAMES = new Set([GATE_CHECK_NAME, POLICY_FILE_CHECK_NAME]);

/**
 * Whether a check run or status of this name can change the `Required checks` requirement —
 * decided from the name alone, so a finished CI job that is not required costs no request. Any
 * app's check of a required name counts here: one from the wrong app is listed as not counting.
 */
export function isRequiredName(name: string, policy: Pick<Policy, "checks">): boolean {
  if (OWN_CHECK_NAMES.has(name)) return false;
  return policy.checks.required.some((entry) =>
    matchesAny(name, [typeof entry === "string" ? entry : entry.name]),
  );
}

function fromRun(run: CheckRun): Reported {
  if (run.status !== "completed")
    return {
      name: run.name,
      outcome: "pending",
      word: run.status.replace("_", " "),
      url: run.url,
      kind: "run",
      source: run.appSlug,
    };
  const conclusion = run.conclusion ?? "unknown";
  return {
    name: run.name,
    outcome: PASSING_CONCLUSIONS.has(conclusion) ? "passed" : "failed",
    word: conclusion.replace("_", " "),
    url: run.url,
    kind: "run",
    source: run.appSlug,
  };
}

function fromStatus(status: CommitStatus): Reported {
  const outcome =
    status.state === "success" ? "passed" : status.state === "pending" ? "pending" : "failed";
  return {
    name: status.context,
    outcome,
    word: status.state,
    url: status.url,
    kind: "status",
    source: status.creator,
  };
}

/**
 * The newest check run per app and name (a re-run replaces the run it re-runs). Per app, so
 * that a run another app posts under the same name cannot replace the one the policy trusts.
 */
function latestRuns(runs: readonly CheckRun[], ownAppId: number | null): CheckRun[] {
  const byName = new Map<string, CheckRun>();
  for (const run of runs) {
    if (ownAppId !== null ? run.appId === ownAppId : OWN_CHECK_NAMES.has(run.name)) continue;
    const key = `${run.appId ?? run.appSlug ?? ""}\u0000${run.name}`;
    const prior = byName.get(key);
    if (!prior || newer(run, prior)) byName.set(key, run);
  }
  return [...byName.values()];
}

/** A check run counts as the app's when GitHub says it created it; a status when its creator is the app's bot. */
function reportedBy(r: Reported, app: string): boolean {
  if (r.source === null) return false;
  return r.kind === "run"
    ? r.source.toLowerCase() === app.toLowerCase()
    : r.source.toLowerCase() === `${app.toLowerCase()}[bot]`;
}

const describeEntry = (entry: RequiredCheck) =>
  typeof entry === "string" ? `\`${entry}\`` : `\`${entry.name}\` from ${entry.app}`;

const whoReported = (r: Reported) =>
  r.source === null
    ? "an unknown source"
    : r.kind === "run"
      ? `the app ${r.source}`
      : `@${r.source}`;

function newer(a: CheckRun, b: CheckRun): boolean {
  if (a.startedAt && b.startedAt && a.startedAt !== b.startedAt) return a.startedAt > b.startedAt;
  return a.id > b.id;
}

const link = (r: Reported) => (r.url ? `[${r.name}](${r.url})` : `\`${r.name}\``);

export function requiredChecksPassed(facts: ChecksFacts, policy: Policy): RequirementResult | null {
  const entries = policy.checks.required;
  if (entries.length === 0) return null;
  const reported = [
    ...latestRuns(facts.checkRuns, facts.ownAppId).map(fromRun),
    ...facts.statuses.map(fromStatus),
  ];
  const short = facts.headSha.slice(0, 7);
  const missing: RequiredCheck[] = [];
  const matched = new Map<string, Reported>();
  const ignored = new Map<string, string>();
  for (const entry of entries) {
    const pattern = typeof entry === "string" ? entry : entry.name;
    const named = reported.filter((r) => matchesAny(r.name, [pattern]));
    const hits = typeof entry === "string" ? named : named.filter((r) => reportedBy(r, entry.app));
    if (typeof entry !== "string") {
      for (const r of named.filter((n) => !hits.includes(n)))
        ignored.set(
          `${r.name}\u0000${r.source}`,
          `\`${r.name}\` reported by ${whoReported(r)} does not count: the policy accepts it only from ${entry.app}`,
        );
    }
    if (hits.length === 0) missing.push(entry);
    for (const hit of hits) matched.set(`${hit.name}\u0000${hit.word}\u0000${hit.source}`, hit);
  }
  const all = [...matched.values()].sort((a, b) => a.name.localeCompare(b.name));
  const failing = all.filter((r) => r.outcome === "failed");
  const pending = all.filter((r) => r.outcome === "pending");
  const details = [
    ...all.map((r) => `${icon(r)} ${link(r)}: ${r.word}`),
    ...[...ignored.values()].map((note) => `⚠️ ${note}`),
  ];
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
            `no check matching ${missing.map(describeEntry).join(", ")} has reported on ${short} yet`,
          ]
        : []),
      ...ignored.values(),
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
