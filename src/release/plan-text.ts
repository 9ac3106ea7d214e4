/** Pure: `--dry-run`'s reply — the release plan in words, the same plan the real run executes. */
import type { PullRequest } from "../github/model.js";
import type { CommitInfo } from "../github/port/git.js";
import type { Policy } from "../policy/schema.js";
import { renderReleaseNotes } from "./notes.js";
import type { ReleasePlan } from "./plan.js";

const short = (sha: string) => sha.slice(0, 7);

export function planText(
  plan: Extract<ReleasePlan, { kind: "release" }>,
  context: { pull: PullRequest; policy: Policy; actor: string; commits: readonly CommitInfo[] },
): string {
  const { pull, policy } = context;
  const steps: string[] = [];
  if (plan.override) {
    steps.push(
      `Release outside the release schedule (${plan.override.closed}), recorded as @${plan.override.by}'s override (${plan.override.via}): “${plan.override.reason}”.`,
    );
  }
  steps.push(
    plan.merge.kind === "done"
      ? `Use the existing merge commit ${short(plan.merge.sha)} (the PR is already merged).`
      : plan.merge.queue
        ? `Add #${pull.number} to GitHub's merge queue of \`${pull.base.ref}\`${plan.merge.queue.jump ? " at the front (`release.merge_queue: jump`)" : ""}, only if its head is still ${short(plan.merge.headSha)}; the queue merges it, and the release continues then.`
        : `Merge #${pull.number} into \`${pull.base.ref}\` (${plan.merge.method}), only if its head is still ${short(plan.merge.headSha)}.`,
  );
  steps.push(
    plan.tag.kind === "keep"
      ? `Keep the existing tag \`${plan.tag.tag}\` (already on the merge commit).`
      : `Create the annotated tag **\`${plan.tag.tag}\`** on the merge commit — ${plan.tag.why}`,
  );
  steps.push(
    plan.publish.kind === "keep"
      ? `Keep the existing GitHub Release ${plan.tag.tag}.`
      : `Publish the GitHub Release ${plan.publish.tag}${plan.publish.draft ? " as a draft" : ""}, ${plan.publish.latest ? "marked latest" : "not marked latest (a higher release exists)"}.`,
  );
  if (plan.deploy) steps.push(`Deploy \`${plan.tag.tag}\` to staging, then production.`);
  const { targets, unmatched } = plan.backports;
  steps.push(
    targets.length
      ? `Backport to ${targets.map((t) => `\`${t}\``).join(", ")} (after the release).${unmatched.length ? ` No branch matches ${unmatched.join(", ")}.` : ""}`
      : "No backports.",
  );
  const notes =
    plan.publish.kind === "publish"
      ? renderReleaseNotes({
          tag: plan.publish.tag,
          previousTag: plan.publish.previousTag,
          line: plan.publish.line,
          pull,
          approvals: plan.requirements,
          commits: context.commits,
          releasedBy: context.actor,
          command: policy.release.command,
          override: plan.override ? { ...plan.override, at: "" } : null,
        })
      : null;
  return [
    `**Dry run — nothing was changed.** \`${policy.release.command}\` would now:`,
    "",
    ...steps.map((s, i) => `${i + 1}. ${s}`),
    ...(notes
      ? ["", "<details><summary>Release notes preview</summary>", "", notes, "", "</details>"]
      : []),
  ].join("\n");
}
