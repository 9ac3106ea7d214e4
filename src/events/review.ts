import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
import { handleDelivery, learnt, type WiredConfig } from "./delivery.js";

export function onReview(app: Probot, config: WiredConfig): void {
  app.on(
    [
      "pull_request_review.submitted",
      "pull_request_review.edited",
      "pull_request_review.dismissed",
    ],
    (context) => {
      const pull = toPullRequest(context.payload.pull_request as unknown as RawPull);
      return handleDelivery(context, config, {
        learn: learnt(pull),
        skip: () => (pull.state !== "open" ? "skipped: PR not open" : null),
        run: async ({ github, policy, setPull }) => {
          setPull(pull.number);
          if (policy.state === "absent") return "no policy: nothing to do";
          return gatePull(github, pull, policy, {
            ownAppId: config.appId,
            locks: config.locks,
            now: config.now,
          });
        },
      });
    },
  );
}
