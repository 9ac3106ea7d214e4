import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
import { handleDelivery, type AppConfig } from "./delivery.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";

export function onReview(app: Probot, config: AppConfig & { locks: HotfixLocks }): void {
  app.on(
    [
      "pull_request_review.submitted",
      "pull_request_review.edited",
      "pull_request_review.dismissed",
    ],
    (context) => {
      const pull = toPullRequest(context.payload.pull_request as unknown as RawPull);
      return handleDelivery(context, config, {
        skip: () => (pull.state !== "open" ? "skipped: PR not open" : null),
        run: async ({ github, policy, setPull }) => {
          setPull(pull.number);
          if (policy.state === "absent") return "no policy: nothing to do";
          return gatePull(github, pull, policy, { ownAppId: config.appId });
        },
      });
    },
  );
}
