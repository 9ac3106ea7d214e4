/**
 * With `conflicts.on_overlap: block` a hotfix waits for the other open PRs to its base that
 * change its files, so what those PRs do — a push, a new PR, a close, a merge, a retarget — can
 * hold or free it. Such an event re-evaluates the open hotfixes to that base: one request for the
 * list (the one each gate reads anyway, answered 304 when unchanged) and each hotfix's gate.
 * With `warn` nothing is held, and a hotfix's warning is brought up to date at its own next
 * evaluation instead: ordinary PRs' events stay free.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { PolicyLoad } from "../policy/load.js";
import { recogniseHotfix } from "./recognise.js";
import { gatePull, type GateOptions } from "./gate-pull.js";

export async function gateHotfixesBeside(
  github: GitHubPort,
  changed: Pick<PullRequest, "number">,
  bases: readonly string[],
  load: Extract<PolicyLoad, { state: "valid" }>,
  options: Pick<GateOptions, "ownAppId" | "now" | "locks">,
): Promise<string | null> {
  const { policy } = load;
  if (policy.conflicts.on_overlap !== "block") return null;
  const decisions: string[] = [];
  for (const base of new Set(bases)) {
    const { pulls } = await github.listOpenPullsTo(base);
    for (const pull of pulls) {
      if (pull.number === changed.number || !recogniseHotfix(pull, policy.hotfix).hotfix) continue;
      decisions.push(await gatePull(github, pull, load, options));
    }
  }
  return decisions.length
    ? `hotfixes beside it: ${decisions.join("; ")}`
    : "no other open hotfix beside it";
}
