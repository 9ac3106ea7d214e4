/**
 * When backports happen, and to where: after a hotfix's release (`backport.when: released`) or
 * at its merge (`merged`), to `backport.branches`; for any merged PR, to the branch named by a
 * `backport <branch>` label; and to the branches of a `/backport <branch> …` comment.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { openTracking, type Tracking } from "../tracking/tracking-comment.js";
import { setStage } from "../tracking/state.js";
import { backportTargets } from "./targets.js";
import type { WritePacer } from "./pace-writes.js";
import { openBackports, type BackportOutcome, type BackportRequest } from "./open-backports.js";

const LABEL = /^backport\s+(\S+)$/i;

/** The branch a `backport <branch>` label names, or null. */
export function labelTarget(label: string): string | null {
  return LABEL.exec(label.trim())?.[1] ?? null;
}

export function summarise(outcomes: readonly BackportOutcome[]): string {
  if (outcomes.length === 0) return "backports: nothing to do";
  return `backports: ${outcomes.map((o) => `${o.target} ${o.kind}`).join(", ")}`;
}

/** Policy targets that exist, without the PR's base; unmatched names become tracking lines. */
async function policyTargets(
  github: GitHubPort,
  pull: PullRequest,
  policy: Policy,
  tracking: Tracking,
): Promise<string[]> {
  if (policy.backport.branches.length === 0) return [];
  const { targets, unmatched } = backportTargets(
    policy.backport.branches,
    await github.listBranches(),
    pull.base.ref,
  );
  for (const pattern of unmatched) {
    await tracking.update((s) =>
      setStage(s, `backport:${pattern}`, {
        state: "skipped",
        text: `no branch matches \`${pattern}\` (policy \`backport.branches\`)`,
      }),
    );
  }
  return targets;
}

export async function backportAfterRelease(
  github: GitHubPort,
  input: Omit<BackportRequest, "targets">,
): Promise<string> {
  if (input.policy.backport.when !== "released") return "backports: not after release";
  const targets = await policyTargets(github, input.pull, input.policy, input.tracking);
  return summarise(await openBackports(github, { ...input, targets }));
}

/** A PR was merged: hotfixes with `when: merged`, and any PR with `backport <branch>` labels. */
export async function backportOnMerge(
  github: GitHubPort,
  pull: PullRequest,
  policy: Policy,
  options: { pacer?: WritePacer | undefined } = {},
): Promise<string> {
  const labelled = pull.labels
    .map(labelTarget)
    .filter((t): t is string => t !== null && t !== pull.base.ref);
  const byPolicy = policy.backport.when === "merged" && recogniseHotfix(pull, policy.hotfix).hotfix;
  if (!byPolicy && labelled.length === 0) return "backports: none asked for";
  const tracking = await openTracking(github, pull.number);
  const targets = [
    ...new Set([
      ...(byPolicy ? await policyTargets(github, pull, policy, tracking) : []),
      ...labelled,
    ]),
  ];
  return summarise(
    await openBackports(github, {
      pull,
      policy,
      tracking,
      targets,
      ...(options.pacer ? { pacer: options.pacer } : {}),
    }),
  );
}

/** Explicit targets, from a label added after the merge or a `/backport` command. */
export async function backportTo(
  github: GitHubPort,
  pull: PullRequest,
  policy: Policy,
  targets: readonly string[],
  options: { pacer?: WritePacer | undefined } = {},
): Promise<BackportOutcome[]> {
  const wanted = targets.filter((t) => t !== pull.base.ref);
  if (wanted.length === 0) return [];
  const tracking = await openTracking(github, pull.number);
  return openBackports(github, {
    pull,
    policy,
    tracking,
    targets: wanted,
    ...(options.pacer ? { pacer: options.pacer } : {}),
  });
}
