import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { backportOnMerge, backportTo, labelTarget, summarise } from "../backport/triggers.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

/** Backports triggered by a merge, or by a `backport <branch>` label on a merged PR. */
export function onBackportEvents(app: Probot, config: AppConfig): void {
  app.on("pull_request.closed", (context) =>
    handleDelivery(context, config, async ({ github, policy, setPull }) => {
      const pull = toPullRequest(context.payload.pull_request as RawPull);
      setPull(pull.number);
      if (!pull.merged) return "skipped: closed without merge";
      const load = await policy();
      if (load.state !== "valid") return `skipped: policy ${load.state}`;
      return backportOnMerge(github, pull, load.policy, { pacer: config.backportPacer });
    }),
  );

  app.on("pull_request.labeled", (context) =>
    handleDelivery(context, config, async ({ github, policy, setPull }) => {
      const pull = toPullRequest(context.payload.pull_request as RawPull);
      const target = labelTarget(context.payload.label?.name ?? "");
      if (!target) return "skipped: not a backport label";
      setPull(pull.number);
      if (!pull.merged)
        return "skipped: backport label on an unmerged PR (it is carried out at merge)";
      const load = await policy();
      if (load.state !== "valid") return `skipped: policy ${load.state}`;
      return summarise(
        await backportTo(github, pull, load.policy, [target], { pacer: config.backportPacer }),
      );
    }),
  );
}
