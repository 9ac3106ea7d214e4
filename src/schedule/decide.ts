/**
 * Pure: may a hotfix to `base` be released at `now` under the policy's `schedule:` section, and if
 * not, why and when it may next be. Inputs are plain data — the section, the base branch, the
 * moment, the open freeze issues — so every rule is table-tested without GitHub or a clock.
 *
 * - Windows are wall-clock hours on weekdays in an IANA time zone, read through luxon and the
 *   platform's Intl data, so daylight-saving changes move them with the local clock. A base
 *   matched by windows with `branches` follows those only; others follow the windows without
 *   `branches`; a base no window applies to may be released at any time.
 * - Date freezes run from `from` (inclusive) to `until` (exclusive), in `schedule.timezone`.
 * - An open issue with a freeze label freezes its lines until it is closed (no known end).
 * The next opening skips freezes and closed hours alike: a window opening during a freeze is
 * not an opening.
 */
import { DateTime } from "luxon";
import { matchesAny } from "../policy/patterns.js";
import type { DateFreeze, ReleaseWindow, SchedulePolicy } from "../policy/schema.js";
import {
  formatMinutes,
  readDays,
  readHours,
  readMoment,
  type Hours,
} from "../policy/schedule-values.js";
import { freezeScope, freezes, type FreezeIssue } from "./freeze-issue.js";

export type ScheduleDecision =
  | { open: true; reason: string }
  | {
      open: false;
      /** What holds it now: a freeze (by date or issue) or the hours. */
      cause: "freeze" | "window";
      reason: string;
      /** When it may next be released (ISO, UTC), or null while an open issue freezes it. */
      opensAt: string | null;
      /** The same moment for people, e.g. "Mon 09:00 Europe/Berlin"; null with `opensAt`. */
      opensText: string | null;
    };

export interface ScheduleInput {
  base: string;
  now: Date;
  /** Open issues carrying a label of `schedule.freeze_labels`. */
  freezeIssues: readonly FreezeIssue[];
}

/** Whether the section asks for anything at all (the defaults: release any time). */
export function hasSchedule(schedule: SchedulePolicy): boolean {
  return (
    schedule.windows.length > 0 || schedule.freezes.length > 0 || schedule.freeze_labels.length > 0
  );
}

/** Whether the decision can change with time alone, with no event: windows and dated freezes. */
export function changesWithTime(schedule: SchedulePolicy): boolean {
  return schedule.windows.length > 0 || schedule.freezes.length > 0;
}

interface Window {
  days: number[];
  hours: Hours;
  zone: string;
}

interface Freeze {
  from: number;
  until: number;
  text: string;
  reason: string;
}

/** Enough for any chain of freezes and a week of windows; a policy cannot make it loop. */
const MAX_STEPS = 200;

export function decideSchedule(schedule: SchedulePolicy, input: ScheduleInput): ScheduleDecision {
  const { base } = input;
  const now = input.now.getTime();
  const windows = windowsFor(schedule, base);
  const dated = schedule.freezes
    .filter((f) => !f.branches || matchesAny(base, f.branches))
    .map((f) => readFreeze(f, schedule.timezone))
    .filter((f): f is Freeze => f !== null);
  const issues = input.freezeIssues
    .map((issue) => ({ issue, scope: freezeScope(issue) }))
    .filter(({ scope }) => freezes(scope, base));

  const activeAt = (t: number) => dated.filter((f) => f.from <= t && t < f.until);
  const frozenNow = activeAt(now);
  const crossed: Freeze[] = [];
  let t = now;
  for (let step = 0; step < MAX_STEPS; step++) {
    const active = activeAt(t);
    if (active.length > 0) {
      crossed.push(...active.filter((f) => !crossed.includes(f)));
      t = Math.max(...active.map((f) => f.until));
      continue;
    }
    if (windows.length > 0 && !windows.some((w) => inside(w, t))) {
      t = Math.min(...windows.map((w) => nextStart(w, t)));
      continue;
    }
    break;
  }

  if (issues.length === 0 && t === now) {
    return {
      open: true,
      reason:
        windows.length > 0
          ? `inside the release window (${describeWindows(windows)})`
          : `no freeze${schedule.windows.length > 0 ? `, and no release window applies to \`${base}\`` : ""}: hotfixes may be released at any time`,
    };
  }

  // Said in the zone of the window that opens (the schedule's zone when no window applies).
  const zone = windows.find((w) => inside(w, t))?.zone ?? schedule.timezone;
  const opensAt = issues.length > 0 ? null : new Date(t).toISOString();
  const opensText = opensAt === null ? null : whenText(t, zone, now);
  const parts: string[] = [
    ...frozenNow.map((f) => `frozen until ${f.text}: ${f.reason}`),
    ...issues.map(
      ({ issue, scope }) =>
        `frozen by #${issue.number} (${issue.title}) until the issue is closed${
          scope.kind === "unreadable"
            ? ` — its line \`${scope.line}\` could not be read (${scope.problem}), so it freezes every line; fix it to \`branch: <name>\``
            : ""
        }`,
    ),
  ];
  if (parts.length > 0) {
    // Said when another freeze or the hours keep it closed past the end of today's freezes.
    if (opensText && t !== Math.max(...frozenNow.map((f) => f.until)))
      parts.push(`releases resume ${opensText}`);
    return { open: false, cause: "freeze", reason: parts.join("; "), opensAt, opensText };
  }
  const after = crossed.length
    ? `, after ${crossed.map((f) => `the freeze until ${f.text} (${f.reason})`).join(" and ")}`
    : "";
  return {
    open: false,
    cause: "window",
    reason: `release window opens ${opensText}${after} (release windows for \`${base}\`: ${describeWindows(windows)})`,
    opensAt,
    opensText,
  };
}

/** The windows that govern `base`: its own (by `branches`), else the unscoped ones. */
function windowsFor(schedule: SchedulePolicy, base: string): Window[] {
  const own = schedule.windows.filter((w) => w.branches && matchesAny(base, w.branches));
  const chosen = own.length > 0 ? own : schedule.windows.filter((w) => !w.branches);
  return chosen.flatMap((w) => {
    const read = readWindow(w, schedule.timezone);
    return read ? [read] : [];
  });
}

function readWindow(w: ReleaseWindow, zone: string): Window | null {
  const days = readDays(w.days);
  const hours = readHours(w.hours);
  return days.ok && hours.ok
    ? { days: days.value, hours: hours.value, zone: w.timezone ?? zone }
    : null;
}

function readFreeze(f: DateFreeze, zone: string): Freeze | null {
  const from = readMoment(f.from, zone);
  const until = readMoment(f.until, zone);
  if (!from.ok || !until.ok) return null;
  const text = f.until.includes("T") ? `${f.until.replace("T", " ")} ${zone}` : f.until;
  return { from: from.value.toMillis(), until: until.value.toMillis(), text, reason: f.reason };
}

function inside(w: Window, t: number): boolean {
  const local = DateTime.fromMillis(t, { zone: w.zone });
  const minute = local.hour * 60 + local.minute;
  return w.days.includes(local.weekday) && w.hours.start <= minute && minute < w.hours.end;
}

/** The first opening of `w` after `t` (within the next eight local days: every week has one). */
function nextStart(w: Window, t: number): number {
  const today = DateTime.fromMillis(t, { zone: w.zone }).startOf("day");
  for (let offset = 0; offset <= 8; offset++) {
    const day = today.plus({ days: offset });
    if (!w.days.includes(day.weekday)) continue;
    const start = DateTime.fromObject(
      {
        year: day.year,
        month: day.month,
        day: day.day,
        hour: Math.floor(w.hours.start / 60),
        minute: w.hours.start % 60,
      },
      { zone: w.zone },
    ).toMillis();
    if (start > t) return start;
  }
  // Unreachable with at least one weekday; a day later keeps the caller's loop moving.
  return t + 24 * 60 * 60_000;
}

const DAY_TITLES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "Mon–Thu 09:00–16:00 Europe/Berlin; Fri 09:00–12:00 Europe/Berlin". */
function describeWindows(windows: readonly Window[]): string {
  return windows
    .map(
      (w) =>
        `${describeDays(w.days)} ${formatMinutes(w.hours.start)}–${formatMinutes(w.hours.end)} ${w.zone}`,
    )
    .join("; ");
}

function describeDays(days: readonly number[]): string {
  const runs: Array<[number, number]> = [];
  for (const d of days) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs
    .map(([a, b]) =>
      a === b
        ? (DAY_TITLES[a - 1] as string)
        : `${DAY_TITLES[a - 1]}${b === a + 1 ? ", " : "–"}${DAY_TITLES[b - 1]}`,
    )
    .join(", ");
}

/** "Mon 09:00 Europe/Berlin" within the coming week, with the date further away. */
function whenText(t: number, zone: string, now: number): string {
  const local = DateTime.fromMillis(t, { zone });
  const soon = t - now < 6 * 24 * 60 * 60_000;
  return `${local.toFormat(soon ? "ccc HH:mm" : "ccc yyyy-MM-dd HH:mm", { locale: "en" })} ${zone}`;
}
