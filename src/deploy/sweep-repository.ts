/**
 * The sweep of one repository: every hotfix hotfix-bot deployed recently whose monitoring
 * window is not closed yet is re-judged from GitHub — so a window closes (clean or failed) even
 * when no event arrives after its end, and an `auto` promotion missed while the app was down
 * still happens. Run by a scheduler (HTTP route or CLI), and on `issues` events, which can
 * concern any open window.
 *
 * How it finds the hotfixes: the latest 100 deployments of the staging and of the production
 * environment (2 requests), those with our payload created in the last 7 days plus the window,
 * grouped by PR and tag; for each, its tracking comment (1 request) says whether its window is
 * already closed; only the others are re-judged (see advanceHotfix for their cost).
 */
import type { GitHubPort } from "../github/port.js";
import type { DeployPolicy, Policy } from "../policy/schema.js";
import { openTracking } from "../tracking/tracking-comment.js";
import { advanceHotfix } from "./advance-hotfix.js";
import { asHotfixDeployment, type HotfixDeployment } from "./payload.js";
import { STAGE_IDS } from "./stage-text.js";

const HORIZON_DAYS = 7;

export interface SweepEnvironment {
  repoUrl: string;
  ownAppId: number | null;
  now: Date;
}

export interface SweepResult {
  /** One line per hotfix looked at: `#12 v1.4.3: window closed clean at …`. */
  decisions: string[];
  errors: string[];
}

export async function sweepRepository(
  github: GitHubPort,
  policy: Policy & { deploy: DeployPolicy },
  env: SweepEnvironment,
): Promise<SweepResult> {
  const { deploy } = policy;
  const since = env.now.getTime() - (deploy.monitor.minutes + HORIZON_DAYS * 24 * 60) * 60_000;
  const recent: HotfixDeployment[] = [];
  for (const environment of [deploy.environments.staging, deploy.environments.production]) {
    for (const d of await github.listDeployments({ environment, limit: 100 })) {
      const ours = asHotfixDeployment(d);
      if (ours && ours.hotfix.stage !== "rollback" && Date.parse(ours.createdAt) >= since)
        recent.push(ours);
    }
  }
  const hotfixes = new Map<string, HotfixDeployment>();
  for (const d of recent) hotfixes.set(`${d.hotfix.pr} ${d.hotfix.tag}`, d);

  const result: SweepResult = { decisions: [], errors: [] };
  for (const { hotfix } of hotfixes.values()) {
    const label = `#${hotfix.pr} ${hotfix.tag}`;
    try {
      const tracking = await openTracking(github, hotfix.pr);
      const monitor = tracking.state.stages[STAGE_IDS.monitor];
      if (monitor && (monitor.state === "done" || monitor.state === "failed")) continue;
      const decision = await advanceHotfix(
        { github, policy, deploy, tracking, ...env },
        {
          pr: hotfix.pr,
          tag: hotfix.tag,
          version: hotfix.version,
          releasedBy: tracking.state.facts.releasedBy ?? hotfix.requested_by,
        },
        { createStaging: false, promote: deploy.promote === "auto" },
      );
      result.decisions.push(`${label}: ${decision}`);
    } catch (error) {
      // One hotfix GitHub will not answer for must not stop the others; the scheduler retries.
      result.errors.push(`${label}: ${(error as Error).message}`);
    }
  }
  return result;
}
