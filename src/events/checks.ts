import type { Probot } from "probot";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { gatePull } from "../gate/gate-pull.js";
import { GATE_CHECK_NAME, POLICY_FILE_CHECK_NAME } from "../gate/check-names.js";
import { checkPolicyFile } from "../gate/policy-file-check.js";
import type { PolicyLoad } from "../policy/load.js";
import { onCommitSignal } from "../deploy/on-commit-signal.js";
import { handleDelivery, type AppConfig, type Delivery } from "./delivery.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";

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
  load: Exclude<PolicyLoad, { state: "absent" }>,
  config: AppConfig,
  options: { force?: boolean } = {},
): Promise<string> {
  if (pulls.length === 0) return "no open PR has this head";
  const decisions = [];
  for (const pull of pulls)
    decisions.push(await gatePull(github, pull, load, { ownAppId: config.appId, ...options }));
  return decisions.join("; ");
}

export function onChecks(app: Probot, config: AppConfig & { locks: HotfixLocks }): void {
  const isOurs = (appId: number | null | undefined) =>
    config.appId !== null && appId === config.appId;

  /** The gate of the PRs with this head, then the monitoring signal a failure may be. */
  const judgeCommit = async (
    delivery: Delivery,
    sha: string,
    listed: ReadonlyArray<{ number: number }>,
    signal: { name: string; outcome: string | null } | null,
  ) => {
    const { github, policy } = delivery;
    if (policy.state === "absent") return "no policy: nothing to do";
    const gate = await gateAll(github, await pullsWithHead(github, sha, listed), policy, config);
    if (!signal || policy.state !== "valid") return gate;
    const deploy = await onCommitSignal(delivery.lifecycle(policy.policy), { sha, ...signal });
    return deploy ? `${gate}; ${deploy}` : gate;
  };

  app.on("check_run.completed", (context) => {
    const run = context.payload.check_run;
    return handleDelivery(context, config, {
      skip: () => (isOurs(run.app?.id) ? "skipped: our own check run" : null),
      run: (delivery) =>
        judgeCommit(delivery, run.head_sha, run.pull_requests, {
          name: run.name,
          outcome: run.conclusion,
        }),
    });
  });

  // A finished CI run reaches the app as each check run's `completed` and then its suite's: the
  // runs were judged one by one, so the suite adds nothing — unless it has no run at all (a
  // workflow that failed to start), which only the suite reports.
  app.on("check_suite.completed", (context) => {
    const suite = context.payload.check_suite;
    return handleDelivery(context, config, {
      skip: () => {
        if (isOurs(suite.app?.id)) return "skipped: our own check suite";
        if ((suite.latest_check_runs_count ?? 0) > 0)
          return "skipped: its check runs were each judged when they completed";
        return null;
      },
      run: (delivery) => judgeCommit(delivery, suite.head_sha, suite.pull_requests, null),
    });
  });

  app.on("status", (context) => {
    const { sha, context: name, state } = context.payload;
    return handleDelivery(context, config, {
      run: (delivery) => judgeCommit(delivery, sha, [], { name, outcome: state }),
    });
  });

  // "Re-run" on our own check: evaluate afresh and write a new run even if nothing changed.
  app.on("check_run.rerequested", (context) => {
    const run = context.payload.check_run;
    return handleDelivery(context, config, {
      skip: () => (isOurs(run.app?.id) ? null : "skipped: not our check run"),
      run: async ({ github, policy, setPull }) => {
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
        if (policy.state === "absent") return "no policy: nothing to do";
        if (pulls.length === 1) setPull((pulls[0] as PullRequest).number);
        return gateAll(github, pulls, policy, config, { force: true });
      },
    });
  });
}
