/**
 * Pure: time to restore (a DORA metric) from the hotfix record — from the incident's start (the
 * linked issue's creation) to the release, to production's first success, and to the end of the
 * monitoring window — as figures for `/metrics` and words for the tracking comment.
 */
import { firstSuccess } from "./deployment-state.js";
import type { HotfixRecord } from "./schema.js";

export interface RestoreTimes {
  issue: number;
  openedAt: string;
  /** Seconds from the report to each milestone reached, null before. */
  toRelease: number | null;
  toProduction: number | null;
  toWindowClose: number | null;
}

const seconds = (from: string, to: string) =>
  Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

export function restoreTimes(record: HotfixRecord): RestoreTimes | null {
  const incident = record.stored.incident;
  if (!incident) return null;
  const released = record.tag && record.stored.release ? record.stored.release.at : null;
  const deploy = record.deploy.kind === "on" ? record.deploy : null;
  const production = deploy?.production ? firstSuccess(deploy.production.statuses) : null;
  const closed = record.stored.window?.at ?? null;
  return {
    issue: incident.issue,
    openedAt: incident.openedAt,
    toRelease: released ? seconds(incident.openedAt, released) : null,
    toProduction: production ? seconds(incident.openedAt, production.createdAt) : null,
    toWindowClose: closed ? seconds(incident.openedAt, closed) : null,
  };
}

/** `40 s`, `12 min`, `3 h 12 min`, `2 d 3 h`: precise enough to compare, short enough to read. */
export function formatDuration(total: number): string {
  const s = Math.round(total);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** The tracking comment's line, or null when there is no linked issue or nothing reached yet. */
export function restoreLine(times: RestoreTimes | null): string | null {
  if (!times || times.toRelease === null) return null;
  const parts = [`released ${formatDuration(times.toRelease)} after the report (#${times.issue})`];
  if (times.toProduction !== null)
    parts.push(`restored in production ${formatDuration(times.toProduction)} after it`);
  if (times.toWindowClose !== null)
    parts.push(`window closed ${formatDuration(times.toWindowClose)} after it`);
  return `⏱️ Time to restore: ${parts.join(" · ")}.`;
}
