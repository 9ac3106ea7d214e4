/**
 * A check run or commit status failed on some commit. If it is one of the monitoring signals
 * (`deploy.monitor.signals.checks`) and a hotfix is on production from that commit, that
 * hotfix's window is re-judged. Everything else returns before any request: a passing check
 * costs nothing, a failing one at most the policy read the gate usually made already.
 */
import type { GitHubPort } from "../github/port.js";
import type { PolicyLoad } from "../policy/load.js";
import { matchesAny } from "../policy/patterns.js";
import { openTracking } from "../tracking/tracking-comment.js";
import { advanceHotfix } from "./advance-hotfix.js";
import { asHotfixDeployment, type HotfixDeployment } from "./payload.js";

const FAILED = new Set(["failure", "timed_out", "startup_failure", "error"]);

export interface CommitSignal {
  sha: string;
  /** Check-run name or status context. */
  name: string;
  /** Conclusion of a check run, or state of a status. */
  outcome: string | null;
}

export async function onCommitSignal(
  github: GitHubPort,
  policy: () => Promise<PolicyLoad>,
  signal: CommitSignal,
  env: { repoUrl: string; ownAppId: number | null; now: Date },
): Promise<string | null> {
  if (!FAILED.has(signal.outcome ?? "")) return null;
  const load = await policy();
  const deploy = load.state === "valid" ? load.policy.deploy : undefined;
  if (load.state !== "valid" || !deploy) return null;
  if (!matchesAny(signal.name, deploy.monitor.signals.checks)) return null;
  const onProduction = (
    await github.listDeployments({ sha: signal.sha, environment: deploy.environments.production })
  )
    .map(asHotfixDeployment)
    .filter((d): d is HotfixDeployment => d !== null && d.hotfix.stage === "production");
  if (onProduction.length === 0)
    return `deploy: ${signal.name} failed, but no hotfix is on production from this commit`;
  const decisions = [];
  for (const { hotfix } of onProduction) {
    const tracking = await openTracking(github, hotfix.pr);
    const decision = await advanceHotfix(
      { github, policy: load.policy, deploy, tracking, ...env },
      {
        pr: hotfix.pr,
        tag: hotfix.tag,
        version: hotfix.version,
        releasedBy: tracking.state.facts.releasedBy ?? hotfix.requested_by,
      },
      { createStaging: false, promote: false },
    );
    decisions.push(`deploy #${hotfix.pr} ${hotfix.tag}: ${decision}`);
  }
  return decisions.join("; ");
}
