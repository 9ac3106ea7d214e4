import type { Probot } from "probot";
import { gatePull } from "../gate/gate-pull.js";
import { POLICY_PATH } from "../policy/schema.js";
import { handleDelivery, type WiredConfig } from "./delivery.js";

/** A push to the default branch that changes the policy re-evaluates every open PR under it. */
export function onPush(app: Probot, config: WiredConfig): void {
  app.on("push", (context) => {
    const { ref, repository, commits } = context.payload;
    return handleDelivery(context, config, {
      skip: () => {
        if (ref !== `refs/heads/${repository.default_branch}`)
          return "skipped: not the default branch";
        const touched = commits.some((c) =>
          [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(POLICY_PATH),
        );
        // GitHub lists at most 2048 commits in a push payload; a larger push is checked to be safe.
        return !touched && commits.length < 2048 ? "skipped: policy unchanged" : null;
      },
      run: async ({ github, policy }) => {
        if (policy.state === "absent") return "policy removed: nothing to do";
        const pulls = await github.listOpenPulls();
        const decisions = [];
        for (const pull of pulls)
          decisions.push(
            await gatePull(github, pull, policy, {
              ownAppId: config.appId,
              locks: config.locks,
              now: config.now,
            }),
          );
        return `policy changed, ${pulls.length} open PRs: ${decisions.join("; ") || "none"}`;
      },
    });
  });
}
