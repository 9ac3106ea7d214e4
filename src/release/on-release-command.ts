/**
 * `/release-hotfix`: authorise the commenter, then — as steps of the hotfix's one writer — the
 * final check, merge, tag and release; then the deploy to staging; then one step per backport
 * target — the final check, version, merge and tag also holding the release line's lock, so the
 * releases of one line take turns. Production comes before the other branches: backports are paced and take longer, and
 * deployment events wait for at most one backport step, never for the whole run. `--dry-run`
 * shows the same plan and changes nothing.
 */
import { authorise } from "../access/authorise.js";
import { countRelease } from "../observability/metrics.js";
import { runHotfixStep } from "../record/step.js";
import { lineLockKey } from "../line/line-key.js";
import type { CarryContext } from "../backport/carry.js";
import { carryBackports, summarise } from "../backport/carry.js";
import { completeBackportPull } from "../backport/backport-target.js";
import { startDeploy } from "../deploy/start-deploy.js";
import { gatherReleaseFacts } from "./gather.js";
import { planRelease } from "./plan.js";
import { planText } from "./plan-text.js";
import { executeRelease, type Execution } from "./execute.js";

export interface ReleaseCommand {
  pullNumber: number;
  commentId: number;
  actor: string;
  dryRun: boolean;
}

export type ReleaseContext = CarryContext & { policyFiles: readonly string[] };

type StepResult =
  | { kind: "refused"; reason: string; reply: string }
  | { kind: "planned"; reply: string }
  | { kind: "done"; execution: Execution; backports: string[] };

export async function onReleaseCommand(
  ctx: ReleaseContext,
  command: ReleaseCommand,
): Promise<string> {
  const { github, policy } = ctx;
  const auth = await authorise(github, command.actor, policy.release.allowed, "release");
  if (!auth.ok) {
    await github.react(command.commentId, "confused");
    await github.createComment(command.pullNumber, auth.reason);
    countRelease("refused");
    return `refused: @${command.actor} not allowed to release`;
  }

  const ended = await runHotfixStep<StepResult>(ctx, command.pullNumber, async (step) => {
    if (command.dryRun) {
      const facts = await gatherReleaseFacts(github, step.pull, step.record, ctx);
      const plan = planRelease(facts, command.actor);
      if (plan.kind === "refuse")
        return { kind: "refused", reason: plan.reason, reply: plan.reply };
      const commits =
        plan.publish.kind === "publish" ? await github.listPullCommits(command.pullNumber) : [];
      return {
        kind: "planned",
        reply: planText(plan, { pull: step.pull, policy, actor: command.actor, commits }),
      };
    }
    // The final check, the version, the merge and the tag as the line's one release at a time
    // (inside this hotfix's lock, never the other way round): two hotfixes of one line released
    // at the same moment are merged and tagged one after the other, each with its own version.
    const released = await ctx.locks.hold(
      lineLockKey(github.repo, step.pull.base.ref, policy),
      async () => {
        const facts = await gatherReleaseFacts(github, step.pull, step.record, ctx);
        const plan = planRelease(facts, command.actor);
        if (plan.kind === "refuse") return plan;
        await github.react(command.commentId, "eyes");
        const execution = await executeRelease(step, plan, {
          actor: command.actor,
          commentId: command.commentId,
          headSha: plan.merge.kind === "merge" ? plan.merge.headSha : step.pull.head.sha,
        });
        return { kind: "executed" as const, plan, execution };
      },
    );
    if (released.kind === "refuse")
      return { kind: "refused", reason: released.reason, reply: released.reply };
    const { plan, execution } = released;
    if (execution.kind !== "released") return { kind: "done", execution, backports: [] };
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
  });

  const result = ended.value;
  switch (result.kind) {
    case "refused":
      await github.createComment(command.pullNumber, result.reply);
      countRelease("refused");
      return `refused: ${result.reason}`;
    case "planned":
      await github.createComment(command.pullNumber, result.reply);
      countRelease("planned");
      return "dry run: plan posted";
  }
  const { execution } = result;
  if (execution.kind === "failed") {
    await github.react(command.commentId, "confused");
    const progress = ended.trackingUrl;
    await github.createComment(
      command.pullNumber,
      `@${command.actor} the release stopped at **${execution.step}**: ${execution.reason}${progress ? `\n\nProgress so far: ${progress}` : ""}`,
    );
    countRelease("failed");
    return `failed at ${execution.step}: ${execution.reason}`;
  }
  await github.react(command.commentId, "rocket");
  countRelease("released");

  const deployed = await startDeploy(ctx, command.pullNumber);
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
