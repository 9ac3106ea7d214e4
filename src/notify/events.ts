/**
 * Pure: the lifecycle events a hotfix record shows have happened, each with a key that names
 * its stage (the tag, the deployment, the backport target), so the same happening always has
 * the same key — what makes "once per hotfix stage" checkable against the stored block.
 */
import type { HotfixRecord } from "../record/schema.js";
import type { NotifyEvent } from "../policy/notify-schema.js";
import { firstSuccess, latestReported, progressOf } from "../record/deployment-state.js";
import { CONFLICT_LABEL } from "../backport/backport-target.js";

export interface LifecycleEvent {
  event: NotifyEvent;
  /** Unique per hotfix stage, e.g. `released:v1.4.3`, `staging-failed:41`. */
  key: string;
  /** One line a person can act on. */
  text: string;
  link: string | null;
  at: string | null;
}

export function lifecycleEvents(record: HotfixRecord): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  const tag = record.tag?.name ?? null;
  const name = tag ? `\`${tag}\`` : `#${record.pr}`;
  const add = (e: LifecycleEvent) => events.push(e);
  const { stored } = record;

  if (stored.scheduled?.state === "queued")
    add({
      event: "queued",
      key: `queued:${stored.scheduled.at}`,
      text: `Hotfix #${record.pr} "${record.title}" is queued by @${stored.scheduled.by}: it is released when the schedule opens${stored.scheduled.opens ? ` (${stored.scheduled.opens})` : ""}.`,
      link: record.url,
      at: stored.scheduled.at,
    });
  if (stored.override)
    add({
      event: "freeze-override",
      key: `freeze-override:${stored.override.at}`,
      text: `@${stored.override.by} released hotfix #${record.pr} outside the schedule (${stored.override.closed}). Reason: ${stored.override.reason}`,
      link: record.url,
      at: stored.override.at,
    });
  if (tag && record.release && !record.release.draft)
    add({
      event: "released",
      key: `released:${tag}`,
      text: `Hotfix ${name} of #${record.pr} "${record.title}" was released${stored.release?.by ? ` by @${stored.release.by}` : ""}.`,
      link: record.release.url,
      at: stored.release?.at ?? null,
    });
  for (const line of record.backports) {
    const conflicted =
      line.note?.kind === "conflict-comment" || line.pull?.labels.includes(CONFLICT_LABEL);
    if (!conflicted) continue;
    add({
      event: "backport-conflict",
      key: `backport-conflict:${line.target}`,
      text: `The backport of #${record.pr} to \`${line.target}\` has conflicts: it needs a person to finish it.`,
      link:
        line.pull?.url ?? (line.note?.kind === "conflict-comment" ? line.note.link : record.url),
      at: line.note?.at ?? null,
    });
  }
  const deploy = record.deploy;
  if (deploy.kind === "on") {
    for (const stage of ["staging", "production"] as const) {
      const d = deploy[stage];
      if (!d) continue;
      const live = firstSuccess(d.statuses);
      const latest = latestReported(d.statuses);
      if (live)
        add({
          event: `${stage}-deployed`,
          key: `${stage}-deployed:${d.id}`,
          text: `Hotfix ${name} of #${record.pr} is live on \`${d.environment}\`.`,
          link: live.url ?? record.url,
          at: live.createdAt,
        });
      else if (progressOf(latest) === "failed")
        add({
          event: `${stage}-failed`,
          key: `${stage}-failed:${d.id}`,
          text: `The ${stage} deployment of hotfix ${name} (#${record.pr}) failed: ${latest?.state}${latest?.description ? ` — ${latest.description}` : ""}.`,
          link: latest?.url ?? record.url,
          at: latest?.createdAt ?? null,
        });
    }
  }
  const window = stored.window;
  if (tag && window && window.state !== "rolled-back")
    add({
      event: `window-${window.state}`,
      key: `window-${window.state}:${tag}`,
      text:
        window.state === "clean"
          ? `The monitoring window of hotfix ${name} closed clean: ${window.what}.`
          : window.state === "failed"
            ? `Hotfix ${name} (#${record.pr}) FAILED in production: ${window.what}.`
            : `The monitoring window of hotfix ${name} closed inconclusive (neither passed nor failed): ${window.what}.`,
      link: window.link ?? record.url,
      at: window.at,
    });
  if (tag && stored.rollback)
    add({
      event: "rollback",
      key: `rollback:${tag}`,
      text: `Production is being rolled back from ${name} to \`${stored.rollback.previousTag}\` (asked by @${stored.rollback.by}).`,
      link: record.url,
      at: stored.rollback.at,
    });
  return events;
}
