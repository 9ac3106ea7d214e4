import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { regateLine } from "../gate/regate-line.js";
import { checkPolicyFile } from "../gate/policy-file-check.js";
import { handleDelivery, learnt, type WiredConfig } from "./delivery.js";

const GATE_ACTIONS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.labeled",
  "pull_request.unlabeled",
  "pull_request.edited",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
] as const;

/** Actions after which the PR's files may have changed. */
const FILE_ACTIONS = new Set(["opened", "reopened", "synchronize"]);

export function onPullRequest(app: Probot, config: WiredConfig): void {
  app.on([...GATE_ACTIONS], (context) => {
    const { action } = context.payload;
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    const defaultBranch = context.payload.repository.default_branch;
    return handleDelivery(context, config, {
      learn: learnt(pull),
      skip: () => {
        if (pull.state !== "open") return "skipped: PR not open";
        if (action === "edited" && !("changes" in context.payload && context.payload.changes?.base))
          return "skipped: edit did not change the base branch";
        return null;
      },
      run: async ({ github, policy, setPull }) => {
        setPull(pull.number);
        const decisions: string[] = [];
        // Also without a policy: a PR adding the first one is validated before it is merged. Only
        // a PR into the default branch can change the policy (it is read from there only).
        if (FILE_ACTIONS.has(action) && pull.base.ref === defaultBranch)
          decisions.push(await checkPolicyFile(github, pull, { ownAppId: config.appId }));
        if (policy.state === "absent") return [...decisions, "no policy: nothing to do"].join("; ");
        decisions.push(
          await gatePull(github, pull, policy, {
            ownAppId: config.appId,
            locks: config.locks,
            now: config.now,
            label: action === "opened" || action === "reopened" || action === "ready_for_review",
          }),
        );
        return decisions.join("; ");
      },
    });
  });

  // A hotfix merged by hand holds its line until it is released: with `one_per_line`, the other
  // hotfixes of the line now wait for it.
  app.on("pull_request.closed", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    return handleDelivery(context, config, {
      learn: learnt(pull),
      skip: () => (pull.merged ? null : "skipped: closed without merge"),
      run: async ({ github, policy, setPull }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        if (policy.policy.concurrency !== "one_per_line")
          return "skipped: lines released in parallel";
        if (!recogniseHotfix(pull, policy.policy.hotfix).hotfix) return "skipped: not a hotfix";
        return regateLine(
          github,
          policy,
          { ownAppId: config.appId, locks: config.locks, now: config.now },
          pull.base.ref,
          pull.number,
        );
      },
    });
  });
}
