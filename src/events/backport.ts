import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { backportOnMerge, backportTo, labelTarget } from "../backport/triggers.js";
import { summarise } from "../backport/carry.js";
import { handleDelivery, learnt, type WiredConfig } from "./delivery.js";

/** Backports triggered by a merge, or by a `backport <branch>` label on a merged PR. */
export function onBackportEvents(app: Probot, config: WiredConfig): void {
  app.on("pull_request.closed", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    return handleDelivery(context, config, {
      learn: learnt(pull),
      skip: () => (pull.merged ? null : "skipped: closed without merge"),
      run: async ({ policy, setPull, lifecycle }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        return backportOnMerge(lifecycle(policy.policy), pull);
      },
    });
  });

  app.on("pull_request.labeled", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    const target = labelTarget(context.payload.label?.name ?? "");
    return handleDelivery(context, config, {
      learn: learnt(pull),
      skip: () => {
        if (!target) return "skipped: not a backport label";
        if (!pull.merged)
          return "skipped: backport label on an unmerged PR (it is carried out at merge)";
        return null;
      },
      run: async ({ policy, setPull, lifecycle }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        return summarise(await backportTo(lifecycle(policy.policy), pull, [target as string]));
      },
    });
  });
}
