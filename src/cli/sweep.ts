/**
 * `hotfix-bot sweep [owner/repo…]`: what a scheduler (cron, a Kubernetes CronJob, a scheduled
 * GitHub Actions workflow) runs every few minutes so monitoring windows close, clean or failed,
 * even when no event arrives after their end. It authenticates as the GitHub App (APP_ID and
 * PRIVATE_KEY or PRIVATE_KEY_PATH; GHE_HOST for GitHub Enterprise) and sweeps every repository
 * of every installation, or only those named. Exit codes: 0 done, 1 some repository could not
 * be swept (the others were), 2 bad usage or missing credentials.
 */
import { integrationsFromEnv } from "../integrations/environment.js";
import { registerStepEnds } from "../wiring/step-ends.js";
import { createProbot, type Probot } from "probot";
import { forEachInstalledRepository } from "../github/octokit/installations.js";
import type { RepoRef } from "../github/port.js";
import { sweepInstalled } from "../sweep/sweep-installed.js";
import { createLocks } from "../lock/create-locks.js";
import type { Io } from "./main.js";

export interface SweepDeps {
  env: Record<string, string | undefined>;
  /** Tests pass a Probot wired to their mocks; by default one is made from `env`. */
  probot?: () => Probot;
  now?: () => Date;
}

export async function runSweep(args: readonly string[], io: Io, deps: SweepDeps): Promise<number> {
  const repos: RepoRef[] = [];
  for (const arg of args) {
    const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(arg);
    if (!match) {
      io.err(`hotfix-bot: sweep takes repositories as owner/repo, got "${arg}"`);
      return 2;
    }
    repos.push({ owner: match[1] as string, repo: match[2] as string });
  }
  const appId = Number(deps.env.APP_ID);
  if (
    !Number.isInteger(appId) ||
    appId <= 0 ||
    !(deps.env.PRIVATE_KEY || deps.env.PRIVATE_KEY_PATH)
  ) {
    io.err(
      "hotfix-bot: sweep authenticates as the GitHub App: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), and GHE_HOST for GitHub Enterprise Server.",
    );
    return 2;
  }
  // A window the sweep closes is appended to the release's evidence and notified.
  registerStepEnds();
  const probot = deps.probot ? deps.probot() : createProbot({ env: deps.env });
  // With REDIS_URL the sweep takes the same hotfix locks as the app's replicas.
  const locks = createLocks({ REDIS_URL: deps.env.REDIS_URL ?? "" });
  let report;
  try {
    report = await sweepInstalled(
      (visit) => forEachInstalledRepository(probot, repos.length > 0 ? repos : null, visit),
      {
        ownAppId: appId,
        now: (deps.now ?? (() => new Date()))(),
        locks,
        integrations: integrationsFromEnv(deps.env),
      },
    );
  } finally {
    await locks.close();
  }
  for (const { repo, decisions } of report.swept) {
    if (decisions.length === 0) io.out(`${repo}: no hotfix with an open window`);
    for (const decision of decisions) io.out(`${repo} ${decision}`);
  }
  for (const error of report.errors) io.err(`hotfix-bot: ${error}`);
  io.out(
    `swept ${report.repositories} repositories, ${report.swept.length} with a deploy policy; ${report.errors.length} errors.`,
  );
  return report.errors.length > 0 ? 1 : 0;
}
