import type { Probot } from "probot";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { gatePull } from "../gate/gate-pull.js";
import { GATE_CHECK_NAME } from "../gate/render.js";
import { checkPolicyFile, POLICY_FILE_CHECK_NAME } from "../gate/policy-file-check.js";
import type { PolicyLoad } from "../policy/load.js";
import { onCommitSignal } from "../deploy/on-commit-signal.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

/**
 * The open PRs whose head is `sha`. The payload's `pull_requests` list is used when present
 * (it omits PRs from forks), otherwise GitHub is asked which PRs have that head.
 */
async function pullsWithHead(
  github: GitHubPort,
  sha: string,
  listed: ReadonlyArray<{ number: number }>,
): Promise<PullRequest[]> {
  if (listed.length === 0) return github.openPullsWithHead(sha);
  const pulls = await Promise.all(listed.map((p) => github.getPull(p.number)));
  return pulls.filter(
    (p): p is PullRequest => p !== null && p.state === "open" && p.head.sha === sha,
  );
}

async function gateAll(
  github: GitHubPort,
  pulls: readonly PullRequest[],
  policy: () => Promise<PolicyLoad>,
  config: AppConfig,
  options: { force?: boolean } = {},
): Promise<string> {
  if (pulls.length === 0) return "no open PR has this head";
  const load = await policy();
  if (load.state === "absent") return "no policy: nothing to do";
  const decisions = [];
  for (const pull of pulls)
    decisions.push(await gatePull(github, pull, load, { ownAppId: config.appId, ...options }));
  return decisions.join("; ");
}

export function onChecks(app: Probot, config: AppConfig): void {
  const isOurs = (appId: number | null | undefined) =>
    config.appId !== null && appId === config.appId;

  app.on("check_run.completed", (context) =>
    handleDelivery(context, config, async ({ github, policy }) => {
      const run = context.payload.check_run;
      if (isOurs(run.app?.id)) return "skipped: our own check run";
      const gate = await gateAll(
        github,
        await pullsWithHead(github, run.head_sha, run.pull_requests),
        policy,
        config,
      );
      // A failing check on a deployed hotfix's commit may be a monitoring signal.
      const deploy = await onCommitSignal(
        github,
        policy,
        { sha: run.head_sha, name: run.name, outcome: run.conclusion },
        { repoUrl: context.payload.repository.html_url, ownAppId: config.appId, now: new Date() },
      );
      return deploy ? `${gate}; ${deploy}` : gate;
    }),
  );

  app.on("check_suite.completed", (context) =>
    handleDelivery(context, config, async ({ github, policy }) => {
      const suite = context.payload.check_suite;
      if (isOurs(suite.app?.id)) return "skipped: our own check suite";
      return gateAll(
        github,
        await pullsWithHead(github, suite.head_sha, suite.pull_requests),
        policy,
        config,
      );
    }),
  );

  app.on("status", (context) =>
    handleDelivery(context, config, async ({ github, policy }) => {
      const { sha, context: name, state, repository } = context.payload;
      const gate = await gateAll(github, await pullsWithHead(github, sha, []), policy, config);
      const deploy = await onCommitSignal(
        github,
        policy,
        { sha, name, outcome: state },
        { repoUrl: repository.html_url, ownAppId: config.appId, now: new Date() },
      );
      return deploy ? `${gate}; ${deploy}` : gate;
    }),
  );

  // "Re-run" on our own check: evaluate afresh and write a new run even if nothing changed.
  app.on("check_run.rerequested", (context) =>
    handleDelivery(context, config, async ({ github, policy, setPull }) => {
      const run = context.payload.check_run;
      if (!isOurs(run.app?.id)) return "skipped: not our check run";
      const pulls = await pullsWithHead(github, run.head_sha, run.pull_requests);
      if (run.name === POLICY_FILE_CHECK_NAME) {
        const decisions = [];
        for (const pull of pulls) {
          setPull(pull.number);
          decisions.push(
            await checkPolicyFile(github, pull, { ownAppId: config.appId, force: true }),
          );
        }
        return decisions.join("; ") || "no open PR has this head";
      }
      if (run.name !== GATE_CHECK_NAME) return `skipped: unknown check ${run.name}`;
      if (pulls.length === 1) setPull((pulls[0] as PullRequest).number);
      return gateAll(github, pulls, policy, config, { force: true });
    }),
  );
}
