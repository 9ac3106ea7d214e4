/**
 * CI finishing: check runs, check suites and commit statuses — the bulk of what a busy
 * repository sends. Decided from the payload first: a check that is neither a required check
 * nor a monitoring signal cannot change any hotfix's verdict and costs nothing; of the PRs a
 * check run names, one whose head branch is not a hotfix branch is a hotfix only by label, and
 * what the latest payloads said about its labels (`knownLabels`) decides before any read. Only
 * then are PRs read — conditionally, so an unchanged one costs no quota.
 */
import type { Probot } from "probot";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { gatePull } from "../gate/gate-pull.js";
import { GATE_CHECK_NAME, POLICY_FILE_CHECK_NAME } from "../gate/check-names.js";
import { checkPolicyFile } from "../gate/policy-file-check.js";
import { isRequiredName } from "../gate/requirements/checks.js";
import { recogniseHotfix } from "../gate/recognise.js";
import type { PolicyLoad } from "../policy/load.js";
import { policySchema, type Policy } from "../policy/schema.js";
import { matchesAny } from "../policy/patterns.js";
import { mayBeSignal, onCommitSignal } from "../deploy/on-commit-signal.js";
import { handleDelivery, type Delivery, type WiredConfig } from "./delivery.js";
import { rulesRequireCheck } from "../rules/read-rules.js";

/**
 * A check the policy does not name may still be required by GitHub's rules of a hotfix's base:
 * the bases of the listed PRs recognised as hotfixes without a read (head branch, remembered
 * labels) have their rules read — conditional requests, mostly answered 304.
 */
async function requiredByRules(
  delivery: Delivery,
  listed: readonly Listed[],
  name: string,
  policy: Policy,
): Promise<boolean> {
  if (policy.release.merge_method === "none") return false;
  const bases = new Set<string>();
  for (const entry of listed) {
    if (!entry.base) continue;
    const byBranch = matchesAny(entry.head.ref, policy.hotfix.branches);
    const known = byBranch
      ? null
      : await delivery.config.knownLabels.get(delivery.pullKey(entry.number));
    if (
      byBranch ||
      (known && recogniseHotfix({ head: entry.head, labels: known.labels }, policy.hotfix).hotfix)
    )
      bases.add(entry.base.ref);
  }
  return bases.size > 0 && rulesRequireCheck(delivery.github, bases, name);
}

/** A PR as a check run's payload names it. */
interface Listed {
  number: number;
  head: { ref: string; sha: string };
  base?: { ref: string };
}

/** Recognition while the policy is broken: the defaults, so hotfix PRs still see the error. */
const DEFAULT_RECOGNITION = policySchema.parse({}).hotfix;

/**
 * The open hotfix PRs whose head is `sha`. The PRs the payload lists (it omits PRs from forks)
 * are judged by their head branch, then by their remembered labels, and only then read; with
 * none listed, GitHub is asked which PRs have that head.
 */
async function hotfixPullsWithHead(
  delivery: Delivery,
  sha: string,
  listed: readonly Listed[],
  hotfix: Policy["hotfix"],
): Promise<PullRequest[]> {
  const { github, config } = delivery;
  const recognised = (p: PullRequest) =>
    p.state === "open" && p.head.sha === sha && recogniseHotfix(p, hotfix).hotfix;
  if (listed.length === 0) return (await github.openPullsWithHead(sha)).filter(recognised);
  const found: PullRequest[] = [];
  for (const entry of listed) {
    if (entry.head.sha !== sha) continue;
    const key = delivery.pullKey(entry.number);
    if (!matchesAny(entry.head.ref, hotfix.branches)) {
      const known = await config.knownLabels.get(key);
      if (known && !recogniseHotfix({ head: entry.head, labels: known.labels }, hotfix).hotfix)
        continue;
    }
    const pull = await github.getPull(entry.number);
    if (!pull) continue;
    if (pull.updatedAt)
      await config.knownLabels.learn(key, { labels: pull.labels, at: pull.updatedAt });
    if (recognised(pull)) found.push(pull);
  }
  return found;
}

async function gateAll(
  github: GitHubPort,
  pulls: readonly PullRequest[],
  load: Exclude<PolicyLoad, { state: "absent" }>,
  config: WiredConfig,
  options: { force?: boolean } = {},
): Promise<string> {
  if (pulls.length === 0) return "no open hotfix PR has this head";
  const decisions = [];
  for (const pull of pulls)
    decisions.push(
      await gatePull(github, pull, load, {
        ownAppId: config.appId,
        locks: config.locks,
        now: config.now,
        ...options,
      }),
    );
  return decisions.join("; ");
}

export function onChecks(app: Probot, config: WiredConfig): void {
  const isOurs = (appId: number | null | undefined) =>
    config.appId !== null && appId === config.appId;

  /** The gate of the hotfix PRs with this head, then the monitoring signal a failure may be. */
  const judgeCommit = async (
    delivery: Delivery,
    sha: string,
    listed: readonly Listed[],
    check: { name: string; outcome: string | null } | null,
  ) => {
    const { github, policy } = delivery;
    if (policy.state === "absent") return "no policy: nothing to do";
    if (policy.state === "invalid") {
      const pulls = await hotfixPullsWithHead(delivery, sha, listed, DEFAULT_RECOGNITION);
      return gateAll(github, pulls, policy, config);
    }
    const lifecycle = delivery.lifecycle(policy.policy);
    const signal = check && mayBeSignal(lifecycle, { sha, ...check });
    const required =
      !check ||
      isRequiredName(check.name, policy.policy) ||
      (await requiredByRules(delivery, listed, check.name, policy.policy));
    if (!required && !signal)
      return `skipped: \`${check?.name}\` is neither a required check nor a monitoring signal`;
    const gate = required
      ? await gateAll(
          github,
          await hotfixPullsWithHead(delivery, sha, listed, policy.policy.hotfix),
          policy,
          config,
        )
      : "not a required check";
    if (!check || !signal) return gate;
    const deploy = await onCommitSignal(lifecycle, { sha, ...check });
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
      run: async (delivery) => {
        const { github, policy, setPull } = delivery;
        if (run.name === POLICY_FILE_CHECK_NAME) {
          const pulls = await github.openPullsWithHead(run.head_sha);
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
        const hotfix = policy.state === "valid" ? policy.policy.hotfix : DEFAULT_RECOGNITION;
        const pulls = await hotfixPullsWithHead(delivery, run.head_sha, run.pull_requests, hotfix);
        if (pulls.length === 1) setPull((pulls[0] as PullRequest).number);
        return gateAll(github, pulls, policy, config, { force: true });
      },
    });
  });
}
