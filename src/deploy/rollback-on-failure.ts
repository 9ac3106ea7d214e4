/**
 * `deploy.monitor.on_failure: rollback`: a failed window starts the same rollback
 * `/rollback-hotfix` does (src/deploy/rollback.ts), in the same step, attributed to the signal
 * that failed it — in the rollback deployment's payload and in a notice on the PR.
 */
import type { HotfixStep } from "../record/step.js";
import { rollbackHotfix } from "./rollback.js";

/** The actor a signal's rollback is recorded as (its payload's `requested_by`). */
export const SIGNAL_ACTOR = "hotfix-bot";

export async function rollbackOnFailure(step: HotfixStep, signal: string): Promise<string> {
  if (step.policy.deploy?.monitor.on_failure !== "rollback") return "";
  const outcome = await rollbackHotfix(step, SIGNAL_ACTOR);
  const production = step.policy.deploy.environments.production;
  if (outcome.kind === "refused") {
    await step.notify(
      `auto-rollback-refused:${step.record.tag?.name ?? ""}`,
      `⚠️ \`deploy.monitor.on_failure: rollback\` could not roll back: ${outcome.reason}`,
    );
    return `; automatic rollback refused: ${outcome.reason}`;
  }
  await step.notify(
    `auto-rollback:${step.record.tag?.name ?? ""}`,
    `↩️ rolling \`${production}\` back to \`${outcome.previousTag}\` automatically (\`deploy.monitor.on_failure: rollback\`) because ${signal}.${outcome.revert ? ` ${outcome.revert}.` : ""}`,
  );
  return `; rolling back to ${outcome.previousTag} (on_failure: rollback)`;
}
