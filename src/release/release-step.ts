/**
 * The release as one step of the hotfix's writer, for `/release-hotfix` and for a queued release
 * the sweep runs: the final check afresh, the plan, and — unless it is a dry run, a refusal or a
 * queued intent — merge, tag and release (`releaseStep`); then, after the step, the reply or
 * reaction, the deploy and the backports (`finishRelease`).
 */
import { attachReleaseEvidence } from "../evidence/at-release.js";
import { GitHubError } from "../github/errors.js";
import { countRelease } from "../observability/metrics.js";
import type { HotfixStep } from "../record/step.js";
import type { CarryContext } from "../backport/carry.js";
import { carryBackports, summarise } from "../backport/carry.js";
import { completeBackportPull } from "../backport/backport-target.js";
import { startDeploy } from "../deploy/start-deploy.js";
import type { PullRequest } from "../github/model.js";
import { gatherReleaseFacts } from "./gather.js";
import { planRelease, type ReleasePlan, type ScheduleRequest } from "./plan.js";
import { lineLockKey } from "../line/line-key.js";
import { planText } from "./plan-text.js";
import { executeRelease, type Execution } from "./execute.js";

export type ReleaseContext = CarryContext & { policyFiles: readonly string[] };

export type StepResult =
  | { kind: "refused"; reason: string; reply: string }
  | { kind: "planned"; reply: string }
  | { kind: "queued"; already: boolean }
  | { kind: "done"; execution: Execution; backports: string[] };

/** The final check afresh, the plan, and the release unless refused, planned or queued. */
export async function releaseStep(
  step: HotfixStep,
  ctx: ReleaseContext,
  asked: {
    pullNumber: number;
    commentId: number;
    actor: string;
    dryRun: boolean;
    request: ScheduleRequest;
    /** The sweep retrying a queued release: while still closed, it leaves everything as it is. */
    retry?: boolean;
  },
): Promise<StepResult> {
  const { github, policy } = ctx;
  // The final check, the version, the merge and the tag as the line's one release at a time
  // (inside this hotfix's lock, never the other way round): two hotfixes of one line released
  // at the same moment are merged and tagged one after the other, each with its own version.
  const decided = asked.dryRun
    ? await judgeAndRelease(step, ctx, asked)
    : await ctx.locks.hold(lineLockKey(github.repo, step.pull.base.ref, policy), () =>
        judgeAndRelease(step, ctx, asked),
      );
  if (decided.kind !== "executed") return decided;
  const { plan, execution } = decided;
  if (execution.kind !== "released") return { kind: "done", execution, backports: [] };
  await attachEvidenceQuietly(step, {
    tag: execution.tag,
    version: execution.version,
    mergeSha: execution.mergeSha,
    requirements: plan.requirements,
    policyFiles: ctx.policyFiles,
  });
  // A release that happened another way ends the wait of a queued one.
  if (step.record.stored.scheduled?.state === "queued") {
    const at = step.now().toISOString();
    step.store((s) =>
      s.scheduled ? { ...s, scheduled: { ...s.scheduled, state: "ran", endedAt: at } } : s,
    );
  }
  // The backports this release owes: shown at once, done one step each after this one. PRs a
  // run opened before are completed here (labels, assignee, reviewers), whatever else it did.
  const at = step.now().toISOString();
  const owed =
    policy.backport.when === "released" ? plan.backports : { targets: [], unmatched: [] };
  const todo: string[] = [];
  for (const target of owed.targets) {
    const line = step.record.backports.find((l) => l.target === target);
    if (line?.pull) await completeBackportPull(step, line.pull.number);
    else if (!["already-present", "conflict-comment", "opened"].includes(line?.note?.kind ?? ""))
      todo.push(target);
  }
  step.store((s) => {
    const backports = { ...s.backports };
    for (const pattern of owed.unmatched) backports[pattern] = { kind: "no-branch", at };
    for (const target of todo) if (!backports[target]) backports[target] = { kind: "queued", at };
    return { ...s, backports };
  });
  return { kind: "done", execution, backports: todo };
}

type Asked = Parameters<typeof releaseStep>[2];

/**
 * The release's evidence (src/evidence/at-release.ts). GitHub refusing it does not hold the
 * deploy and the backports back: the release command repeated attaches it.
 */
async function attachEvidenceQuietly(
  step: HotfixStep,
  input: Parameters<typeof attachReleaseEvidence>[1],
): Promise<void> {
  try {
    await attachReleaseEvidence(step, input);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
  }
}

/** The final check afresh and the plan; unless refused, planned or queued, the release itself. */
async function judgeAndRelease(
  step: HotfixStep,
  ctx: ReleaseContext,
  asked: Asked,
): Promise<
  | Exclude<StepResult, { kind: "done" }>
  | { kind: "executed"; plan: Extract<ReleasePlan, { kind: "release" }>; execution: Execution }
> {
  const { github, policy } = ctx;
  const facts = await gatherReleaseFacts(github, step.pull, step.record, ctx, {
    override: Boolean(asked.request.override),
  });
  const plan = planRelease(facts, asked.actor, asked.request);
  if (plan.kind === "refuse") return { kind: "refused", reason: plan.reason, reply: plan.reply };
  if (plan.kind === "queue") {
    if (asked.dryRun) {
      return {
        kind: "planned",
        reply: `**Dry run — nothing was changed.** The release schedule is closed (${plan.closed}): \`${policy.release.command}\` would queue the release of ${plan.headSha.slice(0, 7)}, run when it opens${plan.opens ? ` (${plan.opens})` : ""} after the final check is made again.`,
      };
    }
    const current = step.record.stored.scheduled;
    const already = current?.state === "queued" && current.headSha === plan.headSha;
    if (asked.retry) return { kind: "queued", already: true };
    if (!already) {
      const at = step.now().toISOString();
      step.store((s) => ({
        ...s,
        scheduled: {
          state: "queued",
          by: asked.actor,
          at,
          headSha: plan.headSha,
          commentId: asked.commentId,
          command: policy.release.command,
          opens: plan.opens,
        },
      }));
    }
    await github.react(asked.commentId, "eyes");
    return { kind: "queued", already };
  }
  if (asked.dryRun) {
    const commits =
      plan.publish.kind === "publish" ? await github.listPullCommits(asked.pullNumber) : [];
    return {
      kind: "planned",
      reply: planText(plan, { pull: step.pull, policy, actor: asked.actor, commits }),
    };
  }
  await github.react(asked.commentId, "eyes");
  const execution = await executeRelease(step, plan, {
    actor: asked.actor,
    commentId: asked.commentId,
    headSha: plan.merge.kind === "merge" ? plan.merge.headSha : step.pull.head.sha,
  });
  return { kind: "executed", plan, execution };
}

/** After the step: the reply or reaction, then the deploy and the backports of a release. */
export async function finishRelease(
  ctx: ReleaseContext,
  asked: { pullNumber: number; commentId: number; actor: string },
  ended: { value: StepResult; trackingUrl: string | null; pull: PullRequest },
): Promise<string> {
  const { github } = ctx;
  const result = ended.value;
  switch (result.kind) {
    case "refused":
      await github.createComment(asked.pullNumber, result.reply);
      countRelease("refused");
      return `refused: ${result.reason}`;
    case "planned":
      await github.createComment(asked.pullNumber, result.reply);
      countRelease("planned");
      return "dry run: plan posted";
    case "queued":
      countRelease("queued");
      return result.already
        ? "already queued for when the schedule opens"
        : "queued for when the schedule opens";
  }
  const { execution } = result;
  if (execution.kind === "failed") {
    await github.react(asked.commentId, "confused");
    const progress = ended.trackingUrl;
    await github.createComment(
      asked.pullNumber,
      `@${asked.actor} the release stopped at **${execution.step}**: ${execution.reason}${progress ? `\n\nProgress so far: ${progress}` : ""}`,
    );
    countRelease("failed");
    return `failed at ${execution.step}: ${execution.reason}`;
  }
  if (execution.kind === "queued") {
    await github.createComment(
      asked.pullNumber,
      `@${asked.actor} ${execution.already ? "the PR is already in" : "added the PR to"} GitHub's merge queue of \`${ended.pull.base.ref}\` (position ${execution.position}); the release continues — tag, release, deploy, backports — when the queue merges it.${ended.trackingUrl ? `\n\nProgress: ${ended.trackingUrl}` : ""}`,
    );
    countRelease("queued");
    return `${execution.already ? "already in" : "added to"} the merge queue (position ${execution.position})`;
  }
  await github.react(asked.commentId, "rocket");
  countRelease("released");

  const deployed = await startDeploy(ctx, asked.pullNumber);
  const backports =
    result.backports.length > 0
      ? summarise(
          await carryBackports(ctx, ended.pull, result.backports, {
            release: { tag: execution.tag, url: execution.releaseUrl },
          }),
        )
      : "backports: nothing to do";
  return `released ${execution.tag} on ${execution.mergeSha.slice(0, 7)}; deploy: ${deployed}; ${backports}`;
}
