/**
 * What the tracking comment's hidden block stores for metric signals and notifications: the
 * last measurements of each Prometheus signal (so the window's verdict is derived again after a
 * restart, by any replica, from GitHub alone) and the notifications already sent (so each is
 * sent once per hotfix stage). Part of `storedSchema`.
 */
import { z } from "zod";

const time = z.string().describe("ISO 8601 time");

export const measurementSchema = z.object({
  at: time,
  /** The value read; null when there was none (inconclusive). NaN is stored as null + no-traffic. */
  value: z.number().nullable(),
  state: z.enum(["ok", "violating", "inconclusive", "no-traffic"]),
  /** Why, in words (e.g. "Prometheus answered 500", "empty result"). */
  reason: z.string(),
});

/** Signal name → its latest measurements, oldest first (a few: enough for `failures`). */
export const metricsSchema = z.record(z.string(), z.array(measurementSchema));

export const notifiedSchema = z.object({
  at: time,
  /** `sent`, or why it could not be delivered after its retries. */
  outcome: z.string(),
});

/** `<event key> <route kind>:<receiver>` → what came of sending it. */
export const notifiedMapSchema = z.record(z.string(), notifiedSchema);

export type Measurement = z.output<typeof measurementSchema>;
export type StoredMetrics = z.output<typeof metricsSchema>;
export type Notified = z.output<typeof notifiedSchema>;
