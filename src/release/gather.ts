/**
 * The reads `/release-hotfix` decides from: whether the PR is a hotfix, the final check (the gate
 * evaluated afresh — never the stored check run), the version choice and the backport targets.
 * It stops reading as soon as the answer is a refusal (not a hotfix, closed, the gate unmet), and
 * skips the final check and the version for a hotfix that is already released.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import { evaluatePull } from "../gate/evaluate-pull.js";
import { unmetRequirements } from "../gate/evaluate.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { SCHEDULE_REQUIREMENT } from "../gate/requirements/schedule.js";
import type { HotfixRecord } from "../record/schema.js";
import { backportTargets } from "../backport/targets.js";
import { chooseVersion } from "./choose-version.js";
import { queueRequired } from "../rules/read-rules.js";
import type { ReleaseFacts } from "./plan.js";

export interface GatherContext {
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
  now: () => Date;
}

const NOT_NEEDED = { ok: false, reason: "not needed" } as const;
const NO_BACKPORTS = { targets: [], unmatched: [] };

export async function gatherReleaseFacts(
  github: GitHubPort,
  pull: PullRequest,
  record: HotfixRecord,
  ctx: GatherContext,
  /** `override`: an authorised override lets a closed schedule pass (see `planRelease`). */
  options: { override?: boolean } = {},
): Promise<ReleaseFacts> {
  const { policy } = ctx;
  const base = { pull, record, policy };
  const recognition = recogniseHotfix(pull, policy.hotfix);
  if (!recognition.hotfix) {
    return {
      ...base,
      verdict: null,
      choice: NOT_NEEDED,
      backports: NO_BACKPORTS,
      hotfix: {
        ok: false,
        reason: `this PR is not a hotfix, so \`${policy.release.command}\` does nothing here. A hotfix comes from a branch matching ${policy.hotfix.branches.map((b) => `\`${b}\``).join(", ")} or carries the label ${policy.hotfix.labels.map((l) => `\`${l}\``).join(", ")}.`,
      },
    };
  }
  const hotfix = { ok: true } as const;
  if (pull.state === "closed" && !pull.merged)
    return { ...base, verdict: null, choice: NOT_NEEDED, backports: NO_BACKPORTS, hotfix };

  const released = record.tag !== null && record.release !== null;
  const evaluation = released
    ? null
    : await evaluatePull(github, pull, {
        ...ctx,
        // Other open PRs can hold the release only with `block`; a warning changes nothing here.
        ongoingWork: policy.conflicts.on_overlap === "block",
      });
  const verdict = evaluation?.verdict ?? null;
  // GitHub's rules as the final check read them: a required merge queue is joined, not merged.
  const mergeQueue = queueRequired(evaluation?.rules ?? null)
    ? { jump: policy.release.merge_queue === "jump" }
    : null;
  // The schedule is passed by an override, or by a release this app already started (merged).
  const started = record.stored.release !== undefined && pull.merged;
  const blocking = verdict
    ? unmetRequirements(verdict).filter(
        (r) => r.id !== SCHEDULE_REQUIREMENT || !(options.override || started),
      )
    : [];
  if (blocking.length > 0)
    return { ...base, verdict, choice: NOT_NEEDED, backports: NO_BACKPORTS, hotfix };

  const choice = released
    ? NOT_NEEDED
    : await chooseVersion(github, {
        base: pull.base.ref,
        mergeSha: pull.merged ? pull.mergeCommitSha : null,
        policy,
        hintTag: record.stored.release?.tag,
      });
  const wanted = policy.backport.when === "released" && policy.backport.branches.length > 0;
  const backports = wanted
    ? backportTargets(policy.backport.branches, await github.listBranches(), pull.base.ref)
    : NO_BACKPORTS;
  return { ...base, verdict, choice, backports, hotfix, mergeQueue };
}
