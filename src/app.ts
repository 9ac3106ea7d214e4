import type { ApplicationFunction } from "probot";
import type { AppConfig } from "./events/delivery.js";
import { onPullRequest } from "./events/pull-request.js";
import { onReview } from "./events/review.js";
import { onChecks } from "./events/checks.js";
import { onPush } from "./events/push.js";
import { onComment } from "./events/comment.js";

export type { AppConfig } from "./events/delivery.js";

/** Wires the handlers; decides nothing. */
export function createApp(config: AppConfig): ApplicationFunction {
  return (app) => {
    onPullRequest(app, config);
    onReview(app, config);
    onChecks(app, config);
    onPush(app, config);
    onComment(app, config);
  };
}
