/**
 * The release schedule's part of the sweep (and of a freeze issue's events): for every open
 * hotfix PR of a repository whose policy has a `schedule:`,
 *
 * - a release queued while the schedule was closed is run when it has opened (`run-queued.ts`);
 * - the gate is evaluated again when the schedule can change with time alone (windows, dated
 *   freezes), so the `Hotfix policy` check turns green when a window opens and waits when it
 *   closes, with no event — writing only when what it shows changed.
 *
 * Cost: the open PRs (1 request), then per open hotfix PR its comments (1 request, to find a
 * queued release) and, with windows or dated freezes, the gate's reads. All GETs, sent
 * conditionally: an unchanged answer costs no quota.
 */
import { gatePull } from "../gate/gate-pull.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { readComments } from "../record/comment.js";
import { readStoredBlock } from "../record/stored-block.js";
import { changesWithTime, hasSchedule } from "../schedule/decide.js";
import type { ReleaseContext } from "./release-step.js";
import { runQueuedRelease } from "./run-queued.js";

export interface ScheduleSweep {
  decisions: string[];
  errors: string[];
}

export async function sweepSchedule(
  ctx: ReleaseContext,
  /** `alwaysGate`: evaluate every hotfix's gate (a freeze issue changed), not only by the clock. */
  options: { alwaysGate: boolean },
): Promise<ScheduleSweep> {
  const result: ScheduleSweep = { decisions: [], errors: [] };
  const { github, policy } = ctx;
  if (!hasSchedule(policy.schedule)) return result;
  const regate = options.alwaysGate || changesWithTime(policy.schedule);
  const load = { state: "valid" as const, policy, files: [...ctx.policyFiles] };
  const pulls = (await github.listOpenPulls()).filter(
    (pull) => recogniseHotfix(pull, policy.hotfix).hotfix,
  );
  for (const pull of pulls) {
    const label = `#${pull.number}`;
    try {
      const { tracking } = readComments(await github.listComments(pull.number));
      if (tracking && readStoredBlock(tracking.body).scheduled?.state === "queued") {
        const ran = await runQueuedRelease(ctx, pull.number);
        result.decisions.push(`${label} ${ran}`);
        if (ran.startsWith("queued release: released")) continue;
      }
      if (regate) {
        const now = ctx.now;
        result.decisions.push(await gatePull(github, pull, load, { ownAppId: ctx.ownAppId, now }));
      }
    } catch (error) {
      // One PR GitHub will not answer for must not stop the others; the scheduler retries.
      result.errors.push(`${label}: ${(error as Error).message}`);
    }
  }
  return result;
}
