/**
 * Sends a hotfix's due notifications, inside a step of its one writer (under the hotfix's lock,
 * so across redeliveries and replicas one writer at a time looks at what was sent):
 * decide (the events the record shows, minus those the stored block says were handled) → send →
 * record each outcome in the stored block, written with the tracking comment at the step's end.
 *
 * **At least once.** If the app dies after a receiver accepted a message and before the
 * tracking comment was written, the next step sends it again (with the same delivery id, which
 * receivers may use to drop the repeat). The other order — record, then send — would lose the
 * message for good on such a crash, and a lost "hotfix failed in production" is worse than a
 * repeated one. A receiver that still fails after its retries is recorded too (as why), and
 * named in the tracking comment: it is not tried at every later step.
 */
import type { HotfixRecord } from "../record/schema.js";
import type { Notified } from "../record/monitor-stored.js";
import type { Policy } from "../policy/schema.js";
import { DEFAULT_EVENTS, type NotifyRoute } from "../policy/notify-schema.js";
import type { Integrations } from "../integrations/environment.js";
import { envName } from "../integrations/environment.js";
import { lifecycleEvents } from "./events.js";
import { bodyFor } from "./payloads.js";
import { DELIVERY_HEADER, EVENT_HEADER, postJson } from "./send.js";

export const routeName = (route: NotifyRoute) => `${route.kind}:${route.receiver}`;

/** Pure: what is due — each (event, route) the record shows and the stored block does not. */
export function dueNotifications(
  record: HotfixRecord,
  routes: readonly NotifyRoute[],
): Array<{ key: string; route: NotifyRoute; event: ReturnType<typeof lifecycleEvents>[number] }> {
  if (!routes.length) return [];
  const done = record.stored.notified ?? {};
  const due = [];
  for (const event of lifecycleEvents(record)) {
    for (const route of routes) {
      const wanted =
        route.events ?? DEFAULT_EVENTS[route.kind === "pagerduty" ? "pagerduty" : "chat"];
      if (!wanted.includes(event.event)) continue;
      const key = `${event.key} ${routeName(route)}`;
      if (done[key] === undefined) due.push({ key, route, event });
    }
  }
  return due;
}

export async function sendDueNotifications(
  record: HotfixRecord,
  policy: Policy,
  integrations: Integrations,
  repository: string,
  now: () => Date,
): Promise<Record<string, Notified>> {
  const sent: Record<string, Notified> = {};
  for (const { key, route, event } of dueNotifications(record, policy.notify.routes)) {
    const receiver = integrations.receiver(route.receiver);
    const missing = missingSetting(route, receiver);
    let outcome: string;
    if (missing) outcome = missing;
    else {
      const url = route.kind === "pagerduty" ? integrations.pagerDutyUrl : (receiver.url as string);
      const id = `${repository}#${record.pr} ${key}`;
      const result = await postJson(
        url,
        bodyFor(route, record, { id, repository, event }, receiver.routingKey ?? ""),
        {
          headers: { [DELIVERY_HEADER]: encodeURIComponent(id), [EVENT_HEADER]: event.event },
          ...(route.kind === "webhook" && receiver.secret ? { secret: receiver.secret } : {}),
          delaysMs: integrations.retryDelaysMs,
          timeoutMs: integrations.timeoutMs,
        },
      );
      outcome = result.ok ? "sent" : result.reason;
    }
    sent[key] = { at: now().toISOString(), outcome };
  }
  return sent;
}

function missingSetting(
  route: NotifyRoute,
  receiver: ReturnType<Integrations["receiver"]>,
): string | null {
  const need = (suffix: string) =>
    `unknown receiver \`${route.receiver}\`: ${envName("HOTFIX_NOTIFY", route.receiver, suffix)} is not set in the app's environment`;
  if (route.kind === "pagerduty") return receiver.routingKey ? null : need("ROUTING_KEY");
  if (!receiver.url) return need("URL");
  // An unsigned webhook could be forged by anyone who learns its URL: refuse to send one.
  if (route.kind === "webhook" && !receiver.secret) return need("SECRET");
  return null;
}
