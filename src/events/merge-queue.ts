import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { continueAfterQueueMerge, reportDequeued } from "../release/after-merge-queue.js";
import { queueRequired } from "../rules/read-rules.js";
import { handleDelivery, learnt, type WiredConfig } from "./delivery.js";

/** GitHub's merge queue merged or removed a hotfix hotfix-bot added to it. */
export function onMergeQueueEvents(app: Probot, config: WiredConfig): void {
  app.on("pull_request.closed", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    return handleDelivery(context, config, {
      learn: learnt(pull),
      skip: () => (pull.merged ? null : "skipped: closed without merge"),
      run: async ({ github, policy, setPull, lifecycle }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        if (!recogniseHotfix(pull, policy.policy.hotfix).hotfix) return "not a hotfix";
        // Only a base with a required merge queue can have a release waiting for this merge
        // (two conditional reads, the gate's, mostly answered 304).
        if (!queueRequired(await github.readBranchRules(pull.base.ref)))
          return "no merge queue on the base";
        return continueAfterQueueMerge(lifecycle(policy.policy), pull.number);
      },
    });
  });

  app.on("pull_request.dequeued", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    const reason = (context.payload as { reason?: string }).reason ?? null;
    return handleDelivery(context, config, {
      learn: learnt(pull),
      run: async ({ policy, setPull, lifecycle }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        if (!recogniseHotfix(pull, policy.policy.hotfix).hotfix) return "not a hotfix";
        return reportDequeued(lifecycle(policy.policy), pull.number, reason);
      },
    });
  });
}
