/**
 * Pure: the values of the `schedule:` section as people write them — weekdays (`mon`, `mon-thu`),
 * hours (`09:00-16:00`), IANA time zones (`Europe/Berlin`), dates (`2026-12-21`, or
 * `2026-12-21T09:00`) — read into numbers, or refused with a reason an admin can act on. Time
 * zones and their daylight-saving rules come from the platform's Intl data through luxon, never
 * from a table of our own.
 */
import { DateTime, IANAZone } from "luxon";
import { closest, distance } from "fastest-levenshtein";

/** Luxon's weekday numbers: 1 = Monday … 7 = Sunday. */
export const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const dayNumber = (name: string): number =>
  DAY_NAMES.indexOf(name as (typeof DAY_NAMES)[number]) + 1;

/** `mon`, or a range `mon-thu` (Monday first; a range never wraps past Sunday). */
export function readDays(items: readonly string[]): Read<number[]> {
  const days = new Set<number>();
  for (const raw of items) {
    const item = raw.trim().toLowerCase();
    const [from = "", to, extra] = item.split(/\s*[-–]\s*/);
    const first = dayNumber(from);
    const last = to === undefined ? first : dayNumber(to);
    if (extra !== undefined || first === 0 || last === 0) {
      return {
        ok: false,
        reason: `"${raw}" is not a weekday: write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-thu`,
      };
    }
    if (last < first) {
      return {
        ok: false,
        reason: `"${raw}" runs backwards: ranges go from Monday to Sunday, so write it as two, e.g. ${DAY_NAMES[first - 1]}-sun and mon-${DAY_NAMES[last - 1]}`,
      };
    }
    for (let d = first; d <= last; d++) days.add(d);
  }
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

export interface Hours {
  /** Minutes after local midnight: the window opens at `start` … */
  start: number;
  /** … and closes at `end` (1440 = 24:00, the end of the day). */
  end: number;
}

/** `09:00-16:00`: opens at 09:00, closes at 16:00 local time; `24:00` ends at midnight. */
export function readHours(text: string): Read<Hours> {
  const match = /^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  const form = `write the hours as start-end in 24-hour time, e.g. "09:00-16:00"`;
  if (!match) return { ok: false, reason: `"${text}" is not a span of hours: ${form}` };
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 !== 0)) {
    return { ok: false, reason: `"${text}" names a time that does not exist: ${form}` };
  }
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (end <= start) {
    return {
      ok: false,
      reason: `"${text}" ends before it starts: a window runs from start to end on one day; a window across midnight is two windows (e.g. "22:00-24:00" and "00:00-02:00" on the next day)`,
    };
  }
  return { ok: true, value: { start, end } };
}

/** `"09:00-16:00"` back from minutes, for messages. */
export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Why `zone` is not an IANA time zone the platform knows, or null when it is one. */
export function zoneProblem(zone: string): string | null {
  if (IANAZone.isValidZone(zone)) return null;
  const known =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const guess = known.length > 0 ? closest(zone, known) : undefined;
  const hint =
    guess && distance(zone.toLowerCase(), guess.toLowerCase()) <= 3
      ? `; did you mean "${guess}"?`
      : ' (an IANA name such as "Europe/Berlin", "America/New_York" or "UTC")';
  return `"${zone}" is not a time zone${hint}`;
}

/** `2026-12-21` (the start of that day) or `2026-12-21T09:00`, local time in `zone`. */
export function readMoment(text: string, zone: string): Read<DateTime> {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(text)) {
    return {
      ok: false,
      reason: `"${text}" is not a date: write YYYY-MM-DD (the start of that day), or YYYY-MM-DDTHH:MM`,
    };
  }
  const moment = DateTime.fromISO(text, { zone });
  if (!moment.isValid) return { ok: false, reason: `"${text}" is not a date that exists` };
  return { ok: true, value: moment };
}
