/**
 * The sweep of one repository, for a scheduler (HTTP route or CLI) and for `issues` events:
 *
 * - every hotfix hotfix-bot deployed recently whose monitoring window is not closed yet is
 *   re-judged from GitHub, as a step of its one writer — so a window closes (clean or failed)
 *   even when no event arrives after its end, and an `auto` promotion missed while the app was
 *   down still happens;
 * - temporary branches (`hotfix-bot/tmp/…`) older than an hour are deleted: a backport or revert
 *   that crashed mid-way may leave one, and no run keeps one that long.
 *
 * How it finds the hotfixes: the latest 100 deployments of the staging and of the production
 * environment (2 requests), those with our payload created in the last 7 days plus the window,
 * grouped by PR and tag; for each, its comments (1 request) say whether its window is already
 * closed; only the others are re-judged. Temporary branches cost 1 request, plus 2 per branch.
 */
import { readComments } from "../record/comment.js";
import { asHotfixDeployment, type HotfixDeployment } from "../record/deployment-payload.js";
import { TEMP_BRANCH_PREFIX } from "../record/names.js";
import { stepHotfix, type StepContext } from "../record/step.js";
import { readStoredBlock } from "../record/stored-block.js";
import { advanceHotfix } from "./advance.js";
import { measureSignals } from "../monitor/measure-signals.js";
import { integrationsOf } from "../integrations/environment.js";

const HORIZON_DAYS = 7;
/** No run keeps a temporary branch this long; older ones were left by a crash. */
export const TEMP_BRANCH_MAX_AGE_MS = 60 * 60_000;

export interface SweepResult {
  /** One line per hotfix looked at, and per temporary branch deleted. */
  decisions: string[];
  errors: string[];
}

export async function sweepRepository(
  ctx: StepContext,
  options: { cleanTemporaryBranches: boolean },
): Promise<SweepResult> {
  const result: SweepResult = { decisions: [], errors: [] };
  const now = ctx.now();
  if (options.cleanTemporaryBranches) {
    try {
      result.decisions.push(...(await deleteOldTemporaryBranches(ctx, now)));
    } catch (error) {
      result.errors.push(`temporary branches: ${(error as Error).message}`);
    }
  }
  const deploy = ctx.policy.deploy;
  if (!deploy) return result;
  const since = now.getTime() - (deploy.monitor.minutes + HORIZON_DAYS * 24 * 60) * 60_000;
  const recent: HotfixDeployment[] = [];
  for (const environment of [deploy.environments.staging, deploy.environments.production]) {
    for (const d of await ctx.github.listDeployments({ environment, limit: 100 })) {
      const ours = asHotfixDeployment(d);
      if (ours && ours.hotfix.stage !== "rollback" && Date.parse(ours.createdAt) >= since)
        recent.push(ours);
    }
  }
  const hotfixes = new Map<string, HotfixDeployment>();
  for (const d of recent) hotfixes.set(`${d.hotfix.pr} ${d.hotfix.tag}`, d);

  for (const { hotfix } of hotfixes.values()) {
    const label = `#${hotfix.pr} ${hotfix.tag}`;
    try {
      // A closed window stays closed: one read says so, without taking the hotfix's lock.
      const { tracking } = readComments(await ctx.github.listComments(hotfix.pr));
      if (tracking && readStoredBlock(tracking.body).window) continue;
      const decision = await stepHotfix(
        ctx,
        hotfix.pr,
        async (step) => {
          // Metric signals are measured here, by the scheduler's sweep: no event is needed.
          await measureSignals(step, integrationsOf(ctx));
          return advanceHotfix(step, { createStaging: false, promote: deploy.promote === "auto" });
        },
        { hints: { tag: hotfix.tag } },
      );
      result.decisions.push(`${label}: ${decision}`);
    } catch (error) {
      // One hotfix GitHub will not answer for must not stop the others; the scheduler retries.
      result.errors.push(`${label}: ${(error as Error).message}`);
    }
  }
  return result;
}

async function deleteOldTemporaryBranches(ctx: StepContext, now: Date): Promise<string[]> {
  const { github } = ctx;
  const deleted: string[] = [];
  for (const branch of await github.listBranchesWithPrefix(TEMP_BRANCH_PREFIX)) {
    const commit = await github.getCommit(branch.sha);
    const made = commit?.committer?.date ?? commit?.author?.date;
    if (made && now.getTime() - Date.parse(made) < TEMP_BRANCH_MAX_AGE_MS) continue;
    await github.deleteBranch(branch.name);
    deleted.push(`deleted ${branch.name} (left since ${made ?? "an unknown time"})`);
  }
  return deleted;
}
