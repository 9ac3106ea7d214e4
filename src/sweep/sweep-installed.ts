/**
 * The scheduled sweep: every repository the app can reach (or those named) with a valid policy is
 * swept: its temporary branches left by crashes and, with a `deploy:` section, its open
 * monitoring windows (`sweepRepository`); with a `schedule:` section, its queued releases and the
 * gates the clock alone can change (`sweepSchedule`). With `concurrency: one_per_line`, a hotfix
 * moved along here (a window closed, a queued release run) re-evaluates the other hotfixes of
 * its line. A repository without a valid policy is skipped — the app
 * fails closed there, as in webhooks. One repository failing does not stop the rest; it is
 * reported, and the caller exits non-zero so the scheduler shows it.
 */
import type { RepositoryVisitor } from "../github/octokit/installations.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";
import { loadPolicy } from "../policy/load.js";
import { sweepRepository } from "../deploy/sweep-repository.js";
import { sweepSchedule } from "../release/sweep-schedule.js";
import { lineWatcher } from "../gate/regate-line.js";
import type { Integrations } from "../integrations/environment.js";

export interface SweepReport {
  repositories: number;
  /** Repositories with a valid policy, and what the sweep decided there. */
  swept: Array<{ repo: string; decisions: string[] }>;
  errors: string[];
}

export async function sweepInstalled(
  forEachRepository: (visit: RepositoryVisitor) => Promise<void>,
  options: {
    ownAppId: number | null;
    now: Date;
    locks: HotfixLocks;
    /** Prometheus servers and receivers (default: the process's environment). */
    integrations?: Integrations;
  },
): Promise<SweepReport> {
  const report: SweepReport = { repositories: 0, swept: [], errors: [] };
  await forEachRepository(async ({ github, repo }) => {
    report.repositories++;
    const name = `${repo.owner}/${repo.repo}`;
    try {
      const load = await loadPolicy(github);
      if (load.state !== "valid") return;
      const now = () => options.now;
      const afterStep = lineWatcher(github, load, {
        ownAppId: options.ownAppId,
        now,
        locks: options.locks,
      });
      const ctx = {
        github,
        policy: load.policy,
        policyFiles: load.files,
        locks: options.locks,
        ownAppId: options.ownAppId,
        now,
        ...(afterStep ? { afterStep } : {}),
        ...(options.integrations ? { integrations: options.integrations } : {}),
      };
      const deploy = await sweepRepository(ctx, { cleanTemporaryBranches: true });
      const schedule = await sweepSchedule(ctx, { alwaysGate: false });
      report.swept.push({ repo: name, decisions: [...deploy.decisions, ...schedule.decisions] });
      report.errors.push(...[...deploy.errors, ...schedule.errors].map((e) => `${name} ${e}`));
    } catch (error) {
      report.errors.push(`${name}: ${(error as Error).message}`);
    }
  });
  return report;
}
