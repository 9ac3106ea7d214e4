/**
 * Pure: what GitHub's own rules on the base branch will do to hotfix-bot's merge, foreseen from
 * facts already read — so the gate shows it before anyone types the command, instead of GitHub
 * refusing the merge afterwards. Each finding says what GitHub requires, whether the PR meets it
 * now, and what to do when not. Rules that could not be read are findings of their own: the
 * answer is never guessed (an unreadable rule is not "no rule").
 */
import type { CheckRun, CommitStatus, PullRequest, Review } from "../github/model.js";
import type { BranchRule, BranchRules, Bypass } from "../github/port/rules.js";

export type FindingState = "met" | "warning" | "waiting" | "failed";

export interface Finding {
  /** Stable id: `rules:reviews`, `rules:checks`, …, `rules:unreadable:rulesets`. */
  id: string;
  title: string;
  state: FindingState;
  /** What GitHub requires and where the PR stands. */
  reason: string;
  /** What to do while it is not met. */
  fix?: string;
  details?: string[];
}

export type MergeMethod = "squash" | "merge" | "rebase";

export interface ForeseeFacts {
  rules: BranchRules;
  pull: Pick<PullRequest, "head" | "author">;
  reviews: readonly Review[];
  checkRuns: readonly CheckRun[];
  statuses: readonly CommitStatus[];
  /** How hotfix-bot will merge (`release.merge_method`). */
  method: MergeMethod;
  /** Whether a check name is already required by the policy (`checks.required`). */
  policyRequires: (name: string) => boolean;
  /** Whether hotfix-bot releases through a required merge queue (it can enqueue). */
  mergeQueue?: boolean;
  /** `release.unreadable_rules`: hold the gate (`wait`, the default) or only warn. */
  unreadable?: "wait" | "warn";
}

const BYPASSING: ReadonlySet<Bypass> = new Set(["always", "pull_requests_only", "exempt"]);
const PASSING = new Set(["success", "neutral", "skipped"]);
const code = (s: string) => `\`${s}\``;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function foreseeRules(facts: ForeseeFacts): Finding[] {
  const branch = code(facts.rules.branch);
  const findings: Finding[] = facts.rules.unreadable.map((u) => ({
    id: `rules:unreadable:${u.what === "rulesets" ? "rulesets" : "protection"}`,
    title: `GitHub ${u.what}`,
    state: facts.unreadable === "warn" ? "warning" : "waiting",
    reason: `hotfix-bot could not read the ${u.what} of ${branch} (GitHub answered ${u.status}: ${u.message}), so it cannot tell whether GitHub will refuse its merge; it does not assume there are none${facts.unreadable === "warn" ? " (`release.unreadable_rules: warn`: the release will try the merge)" : ""}.`,
    fix: `Grant hotfix-bot the **${u.permission}** permission (the App's settings → Permissions; the installation must accept it), or merge the PR yourself and set \`release.merge_method: none\`.`,
  }));
  for (const rule of facts.rules.rules) {
    const finding = judge(rule, facts, branch);
    if (finding) findings.push(finding);
  }
  return findings;
}

function judge(rule: BranchRule, facts: ForeseeFacts, branch: string): Finding | null {
  const where = `${rule.source} on ${branch}`;
  const bypassed = BYPASSING.has(rule.bypass);
  const bypassFix =
    rule.rulesetId !== null
      ? `add hotfix-bot as a bypass actor of ${rule.source}`
      : "exempt hotfix-bot from the branch protection";
  const unknownBypass =
    rule.bypass === "unknown"
      ? " (hotfix-bot could not tell whether it may bypass it, so it assumes it may not)"
      : "";
  switch (rule.kind) {
    case "reviews": {
      if (rule.count <= 0) return null;
      const title = "GitHub: approving reviews";
      const have = approvals(facts, rule.dismissStale);
      const needs = `${where} requires ${plural(rule.count, "approving review")}${rule.dismissStale ? " on the head commit" : ""}`;
      if (have.length >= rule.count)
        return met(`rules:reviews`, title, `${needs}: the PR has ${have.length}.`);
      if (bypassed)
        return met(
          `rules:reviews`,
          title,
          `${needs}; hotfix-bot may bypass it, so its merge is let through.`,
        );
      return {
        id: "rules:reviews",
        title,
        state: "waiting",
        reason: `${needs} (GitHub counts each reviewer with write access once, whatever the policy's groups say): the PR has ${have.length}${unknownBypass}.`,
        fix: `Get ${plural(rule.count - have.length, "more approving review")} from people with write access, or ${bypassFix}.`,
        ...(have.length ? { details: [`Approved by ${have.map((l) => `@${l}`).join(", ")}`] } : {}),
      };
    }
    case "checks": {
      const title = "GitHub: required checks";
      const extra = rule.checks.filter((c) => !facts.policyRequires(c.context));
      if (extra.length === 0) return null;
      if (bypassed)
        return met(
          "rules:checks",
          title,
          `${where} requires ${names(extra)}; hotfix-bot may bypass it.`,
        );
      const outcomes = extra.map((c) => ({ check: c.context, outcome: checkOutcome(c, facts) }));
      const failedOnes = outcomes.filter((o) => o.outcome === "failed");
      const pending = outcomes.filter((o) => o.outcome !== "passed");
      const reason = `${where} requires ${names(extra)}, which the policy does not list`;
      if (pending.length === 0) return met("rules:checks", title, `${reason}: all passed.`);
      return {
        id: "rules:checks",
        title,
        state: failedOnes.length > 0 ? "failed" : "waiting",
        reason: `${reason}: ${pending.map((o) => `${code(o.check)} ${o.outcome === "failed" ? "failed" : o.outcome === "missing" ? "has not reported" : "is still running"}`).join(", ")}${unknownBypass}.`,
        fix: `Make ${pending.length === 1 ? "it" : "them"} pass on the head commit (add ${pending.length === 1 ? "it" : "them"} to \`checks.required\` so the gate follows ${pending.length === 1 ? "it" : "them"} too), or ${bypassFix}.`,
      };
    }
    case "signatures": {
      const title = "GitHub: signed commits";
      if (bypassed)
        return met(
          "rules:signatures",
          title,
          `${where} requires signed commits; hotfix-bot may bypass it.`,
        );
      if (facts.method === "squash")
        return met(
          "rules:signatures",
          title,
          `${where} requires signed commits: the squash commit GitHub creates when hotfix-bot merges is signed by GitHub.`,
        );
      if (facts.method === "rebase")
        return {
          id: "rules:signatures",
          title,
          state: "failed",
          reason: `${where} requires signed commits, and GitHub does not sign the commits a rebase merge creates${unknownBypass}.`,
          fix: `Set \`release.merge_method: squash\` in the policy, or ${bypassFix}.`,
        };
      return {
        id: "rules:signatures",
        title,
        state: "warning",
        reason: `${where} requires signed commits: with \`release.merge_method: merge\` the PR's own commits land on ${branch}, and GitHub refuses the merge unless each carries a verified signature.`,
        fix: "Set `release.merge_method: squash` to have GitHub sign the one commit it creates.",
      };
    }
    case "linear-history": {
      const title = "GitHub: linear history";
      if (facts.method !== "merge" || bypassed)
        return met(
          "rules:linear-history",
          title,
          `${where} requires a linear history: ${bypassed ? "hotfix-bot may bypass it" : `a ${facts.method} merge keeps it linear`}.`,
        );
      return {
        id: "rules:linear-history",
        title,
        state: "failed",
        reason: `${where} requires a linear history, and \`release.merge_method: merge\` would create a merge commit GitHub refuses${unknownBypass}.`,
        fix: `Set \`release.merge_method: squash\` (or \`rebase\`) in the policy, or ${bypassFix}.`,
      };
    }
    case "merge-queue": {
      const title = "GitHub: merge queue";
      if (bypassed)
        return met(
          "rules:merge-queue",
          title,
          `${where} requires a merge queue; hotfix-bot may bypass it and merges directly.`,
        );
      if (facts.mergeQueue)
        return met(
          "rules:merge-queue",
          title,
          `${where} requires a merge queue: \`/release-hotfix\` adds the PR to the queue and the release continues when the queue merges it.`,
        );
      return {
        id: "rules:merge-queue",
        title,
        state: "failed",
        reason: `${where} requires a merge queue: GitHub refuses hotfix-bot's merge ("Changes must be made through the merge queue")${unknownBypass}.`,
        fix: `${capitalise(bypassFix)}, or merge the PR through the queue yourself and set \`release.merge_method: none\`.`,
      };
    }
  }
}

function met(id: string, title: string, reason: string): Finding {
  return { id, title, state: "met", reason };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function names(checks: readonly { context: string }[]): string {
  return checks.map((c) => code(c.context)).join(", ");
}

/**
 * The approvals GitHub counts: each reviewer's latest deciding review (approve, request changes,
 * dismissed), an approval only — on the head commit when stale ones are dismissed — and never
 * the author's own.
 */
export function approvals(
  facts: Pick<ForeseeFacts, "reviews" | "pull">,
  dismissStale: boolean,
): string[] {
  const latest = new Map<string, Review>();
  for (const review of facts.reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    const login = review.reviewer.login.toLowerCase();
    if (login === facts.pull.author.login.toLowerCase()) continue;
    latest.set(login, review);
  }
  return [...latest.values()]
    .filter((r) => r.state === "APPROVED")
    .filter((r) => !dismissStale || r.commitId === facts.pull.head.sha)
    .map((r) => r.reviewer.login);
}

function checkOutcome(
  check: { context: string; appId: number | null },
  facts: Pick<ForeseeFacts, "checkRuns" | "statuses">,
): "passed" | "pending" | "failed" | "missing" {
  const runs = facts.checkRuns.filter(
    (r) => r.name === check.context && (check.appId === null || r.appId === check.appId),
  );
  const statuses =
    check.appId === null ? facts.statuses.filter((s) => s.context === check.context) : [];
  const outcomes = [
    ...runs.map((r) =>
      r.status !== "completed" ? "pending" : PASSING.has(r.conclusion ?? "") ? "passed" : "failed",
    ),
    ...statuses.map((s) =>
      s.state === "success" ? "passed" : s.state === "pending" ? "pending" : "failed",
    ),
  ];
  if (outcomes.length === 0) return "missing";
  if (outcomes.includes("passed")) return "passed";
  return outcomes.includes("pending") ? "pending" : "failed";
}
