import type { Probot } from "probot";
import { gatePull } from "../gate/gate-pull.js";
import { POLICY_PATH } from "../policy/schema.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

/** A push to the default branch that changes the policy re-evaluates every open PR under it. */
export function onPush(app: Probot, config: AppConfig): void {
  app.on("push", (context) =>
    handleDelivery(context, config, async ({ github, policy }) => {
      const { ref, repository, commits } = context.payload;
      if (ref !== `refs/heads/${repository.default_branch}`)
        return "skipped: not the default branch";
      const touched = commits.some((c) =>
        [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(POLICY_PATH),
      );
      // GitHub lists at most 2048 commits in a push payload; a larger push re-evaluates to be safe.
      if (!touched && commits.length < 2048) return "skipped: policy unchanged";
      const load = await policy();
      if (load.state === "absent") return "policy removed: nothing to do";
      const pulls = await github.listOpenPulls();
      const decisions = [];
      for (const pull of pulls)
        decisions.push(await gatePull(github, pull, load, { ownAppId: config.appId }));
      return `policy changed, ${pulls.length} open PRs: ${decisions.join("; ") || "none"}`;
    }),
  );
}
