import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

export function onReview(app: Probot, config: AppConfig): void {
  app.on(
    [
      "pull_request_review.submitted",
      "pull_request_review.edited",
      "pull_request_review.dismissed",
    ],
    (context) =>
      handleDelivery(context, config, async ({ github, policy, setPull }) => {
        const pull = toPullRequest(context.payload.pull_request as unknown as RawPull);
        setPull(pull.number);
        if (pull.state !== "open") return "skipped: PR not open";
        const load = await policy();
        if (load.state === "absent") return "no policy: nothing to do";
        return gatePull(github, pull, load, { ownAppId: config.appId });
      }),
  );
}
