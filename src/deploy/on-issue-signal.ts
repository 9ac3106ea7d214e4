/**
 * An issue was opened with (or given) a label. A label of `deploy.monitor.signals.labels` may
 * fail any hotfix whose monitoring window is open, so the repository's open windows are
 * re-judged; any other label costs no request beyond the policy read.
 */
import type { GitHubPort } from "../github/port.js";
import type { PolicyLoad } from "../policy/load.js";
import { sweepRepository, type SweepEnvironment } from "./sweep-repository.js";

export async function onIssueSignal(
  github: GitHubPort,
  policy: () => Promise<PolicyLoad>,
  labels: readonly string[],
  env: SweepEnvironment,
): Promise<string> {
  if (labels.length === 0) return "skipped: no label";
  const load = await policy();
  if (load.state !== "valid" || !load.policy.deploy) return "no deploy policy: nothing to do";
  const deploy = load.policy.deploy;
  const wanted = new Set(deploy.monitor.signals.labels.map((l) => l.toLowerCase()));
  const hit = labels.find((l) => wanted.has(l.toLowerCase()));
  if (!hit) return "skipped: not a monitoring label";
  const { decisions, errors } = await sweepRepository(github, { ...load.policy, deploy }, env);
  if (errors.length > 0) throw new Error(`could not judge every open window: ${errors.join("; ")}`);
  return `label ${hit}: ${decisions.join("; ") || "no open monitoring window"}`;
}
