import type { PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import { matchesAny } from "../policy/patterns.js";

export type Recognition =
  { hotfix: false } | { hotfix: true; byBranch: boolean; byLabel: boolean; reason: string };

/** A PR is a hotfix when its head branch matches `hotfix.branches` or it carries a hotfix label. */
export function recogniseHotfix(
  pull: { head: Pick<PullRequest["head"], "ref">; labels: readonly string[] },
  hotfix: Policy["hotfix"],
): Recognition {
  const byBranch = matchesAny(pull.head.ref, hotfix.branches);
  const label = pull.labels.find((l) =>
    hotfix.labels.some((h) => h.toLowerCase() === l.toLowerCase()),
  );
  if (!byBranch && !label) return { hotfix: false };
  const reason = byBranch
    ? `head branch \`${pull.head.ref}\` matches ${hotfix.branches.join(", ")}`
    : `label \`${label}\``;
  return { hotfix: true, byBranch, byLabel: label !== undefined, reason };
}

/** The label the bot adds to a PR recognised by its branch only, so people see it is a hotfix. */
export function labelToAdd(recognition: Recognition, hotfix: Policy["hotfix"]): string | null {
  return recognition.hotfix && !recognition.byLabel ? (hotfix.labels[0] ?? null) : null;
}
