/**
 * Pure: the body each kind of receiver expects for one lifecycle event.
 * - Slack incoming webhook: Block Kit (`text` is the fallback for notifications);
 * - Microsoft Teams workflow webhook ("When a Teams webhook request is received"): a message
 *   with one Adaptive Card attachment;
 * - generic webhook: hotfix-bot's own JSON (signed; see send.ts);
 * - PagerDuty Events API v2 change event (`/v2/change/enqueue`).
 */
import type { HotfixRecord } from "../record/schema.js";
import type { NotifyRoute } from "../policy/notify-schema.js";
import type { LifecycleEvent } from "./events.js";

export interface Delivery {
  /** Unique per (hotfix, event stage, route): receivers can drop a repeat by it. */
  id: string;
  repository: string;
  event: LifecycleEvent;
}

const TITLE: Record<LifecycleEvent["event"], string> = {
  released: "🚑 Hotfix released",
  "backport-conflict": "⚠️ Backport conflict",
  "staging-deployed": "🚀 Hotfix on staging",
  "staging-failed": "❌ Staging deployment failed",
  "production-deployed": "🚀 Hotfix on production",
  "production-failed": "❌ Production deployment failed",
  "window-failed": "❌ Hotfix failed in production",
  "window-clean": "✅ Monitoring window closed clean",
  "window-inconclusive": "⚠️ Monitoring window inconclusive",
  rollback: "↩️ Rollback",
  queued: "⏸️ Hotfix release queued",
  "freeze-override": "🔓 Release schedule overridden",
};

export function webhookBody(record: HotfixRecord, d: Delivery): Record<string, unknown> {
  return {
    id: d.id,
    event: d.event.event,
    key: d.event.key,
    text: d.event.text,
    link: d.event.link,
    at: d.event.at,
    hotfix: {
      repository: d.repository,
      pr: record.pr,
      url: record.url,
      title: record.title,
      base: record.base,
      tag: record.tag?.name ?? null,
      version: record.tag?.version ?? null,
    },
  };
}

export function slackBody(record: HotfixRecord, d: Delivery): Record<string, unknown> {
  const title = TITLE[d.event.event];
  const link = d.event.link ?? record.url;
  return {
    text: `${title}: ${d.event.text}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title, emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: d.event.text } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `<${record.url}|${d.repository}#${record.pr}> · <${link}|details>`,
          },
        ],
      },
    ],
  };
}

export function teamsBody(record: HotfixRecord, d: Delivery): Record<string, unknown> {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            {
              type: "TextBlock",
              size: "Medium",
              weight: "Bolder",
              text: TITLE[d.event.event],
              wrap: true,
            },
            { type: "TextBlock", text: d.event.text, wrap: true },
            { type: "TextBlock", text: `${d.repository}#${record.pr}`, isSubtle: true, wrap: true },
          ],
          actions: [
            { type: "Action.OpenUrl", title: "Open the hotfix", url: d.event.link ?? record.url },
          ],
        },
      },
    ],
  };
}

export function pagerDutyBody(
  record: HotfixRecord,
  d: Delivery,
  routingKey: string,
): Record<string, unknown> {
  return {
    routing_key: routingKey,
    payload: {
      summary: `${TITLE[d.event.event]}: ${d.event.text}`.slice(0, 1024),
      ...(d.event.at ? { timestamp: d.event.at } : {}),
      source: `hotfix-bot ${d.repository}`,
      custom_details: webhookBody(record, d),
    },
    links: [{ href: d.event.link ?? record.url, text: `${d.repository}#${record.pr}` }],
  };
}

export function bodyFor(
  route: NotifyRoute,
  record: HotfixRecord,
  d: Delivery,
  routingKey: string,
): Record<string, unknown> {
  switch (route.kind) {
    case "slack":
      return slackBody(record, d);
    case "teams":
      return teamsBody(record, d);
    case "webhook":
      return webhookBody(record, d);
    case "pagerduty":
      return pagerDutyBody(record, d, routingKey);
  }
}
