/**
 * The scheduled sweep: every repository the app can reach (or those named) whose policy has a
 * `deploy:` section is swept (sweepRepository). A repository without a valid policy is skipped
 * — the app fails closed there, as in webhooks. One repository failing does not stop the rest;
 * it is reported, and the caller exits non-zero so the scheduler shows it.
 */
import type { RepositoryVisitor } from "../github/octokit/installations.js";
import { loadPolicy } from "../policy/load.js";
import { sweepRepository } from "./sweep-repository.js";

export interface SweepReport {
  repositories: number;
  /** Repositories with a deploy policy, and what the sweep decided there. */
  swept: Array<{ repo: string; decisions: string[] }>;
  errors: string[];
}

export async function sweepInstalled(
  forEachRepository: (visit: RepositoryVisitor) => Promise<void>,
  options: { ownAppId: number | null; now: Date },
): Promise<SweepReport> {
  const report: SweepReport = { repositories: 0, swept: [], errors: [] };
  await forEachRepository(async ({ github, repo, htmlUrl }) => {
    report.repositories++;
    const name = `${repo.owner}/${repo.repo}`;
    try {
      const load = await loadPolicy(github);
      if (load.state !== "valid" || !load.policy.deploy) return;
      const { decisions, errors } = await sweepRepository(
        github,
        { ...load.policy, deploy: load.policy.deploy },
        { repoUrl: htmlUrl, ownAppId: options.ownAppId, now: options.now },
      );
      report.swept.push({ repo: name, decisions });
      report.errors.push(...errors.map((e) => `${name} ${e}`));
    } catch (error) {
      report.errors.push(`${name}: ${(error as Error).message}`);
    }
  });
  return report;
}
