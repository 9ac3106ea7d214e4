/**
 * The `notify:` section: which lifecycle events go to which receivers. Receivers are named by
 * keys the operator defines in the app's environment (their URLs, secrets and routing keys
 * live there, never in this file, which anyone with write access can change).
 */
import { z } from "zod";
import { envKey } from "./monitor-schema.js";

export const NOTIFY_EVENTS = [
  "released",
  "backport-conflict",
  "staging-deployed",
  "staging-failed",
  "production-deployed",
  "production-failed",
  "window-failed",
  "window-clean",
  "window-inconclusive",
  "rollback",
  "queued",
  "freeze-override",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** What a route gets when it lists no events: what people act on (chat), or changes (PagerDuty). */
export const DEFAULT_EVENTS: Record<"chat" | "pagerduty", NotifyEvent[]> = {
  chat: NOTIFY_EVENTS.filter((e) => e !== "staging-deployed" && e !== "production-deployed"),
  pagerduty: ["released", "staging-deployed", "production-deployed", "rollback"],
};

const route = z.strictObject({
  kind: z
    .enum(["slack", "teams", "webhook", "pagerduty"])
    .describe(
      "`slack`: an incoming webhook (Block Kit message); `teams`: a Microsoft Teams workflow webhook (Adaptive Card); `webhook`: JSON signed with HMAC-SHA256 (`X-Hotfix-Bot-Signature-256`); `pagerduty`: an Events API v2 `change` event.",
    ),
  receiver: envKey("receiver").describe(
    "The receiver, by a key the operator defines: `HOTFIX_NOTIFY_<KEY>_URL` (slack, teams, webhook), `HOTFIX_NOTIFY_<KEY>_SECRET` (webhook, required), `HOTFIX_NOTIFY_<KEY>_ROUTING_KEY` (pagerduty) in the app's environment.",
  ),
  events: z
    .array(z.enum(NOTIFY_EVENTS))
    .min(1, "list at least one event, or leave `events` out for the default")
    .optional()
    .describe(
      "The lifecycle events sent. Default for slack, teams and webhook: every event but `staging-deployed` and `production-deployed`; for pagerduty: `released`, `staging-deployed`, `production-deployed`, `rollback`.",
    ),
});

export const notifySection = z
  .strictObject({
    routes: z
      .array(route)
      .max(10, "at most 10 notification routes")
      .default([])
      .describe(
        "Where lifecycle events go. Each event of a hotfix is sent once per receiver, even across redeliveries and replicas; a receiver that fails is retried (3 attempts with backoff), then named in the tracking comment — the lifecycle never fails for it.",
      ),
  })
  .describe(
    "Notifications of lifecycle events to chat (Slack, Microsoft Teams), a signed JSON webhook and PagerDuty change events.",
  );

export type NotifyRoute = z.output<typeof route>;
