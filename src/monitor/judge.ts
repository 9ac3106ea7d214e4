/**
 * Pure: metric signals judged from their measurements — the decision Argo Rollouts' and
 * Flagger's users wished theirs made: an empty result or an error is **inconclusive**, never a
 * success (argo-rollouts#1466, #4479); no traffic (NaN) is not a failure (flagger#883).
 *
 * - `measure` turns one Prometheus answer into a measurement;
 * - `judgeSignal` says passed / failed / inconclusive (or not measured yet) with the reason;
 * - `judgeMetrics` combines the signals with the window GitHub's signals gave.
 */
import type { PrometheusSignal } from "../policy/monitor-schema.js";
import type { Measurement, StoredMetrics } from "../record/monitor-stored.js";
import type { WindowVerdict } from "../record/schema.js";
import {
  parseDuration,
  parseThreshold,
  violates,
  type Threshold,
} from "../policy/signal-values.js";

/** What a query came to: a number, no series at all, several, or an error. */
export type QueryAnswer =
  | { kind: "value"; value: number }
  | { kind: "empty" }
  | { kind: "many"; count: number }
  | { kind: "error"; reason: string };

export function measure(answer: QueryAnswer, failIf: string, at: string): Measurement {
  const parsed = parseThreshold(failIf);
  if (!parsed.ok) return { at, value: null, state: "inconclusive", reason: parsed.reason };
  switch (answer.kind) {
    case "error":
      return { at, value: null, state: "inconclusive", reason: answer.reason };
    case "empty":
      return { at, value: null, state: "inconclusive", reason: "the query returned no data" };
    case "many":
      return {
        at,
        value: null,
        state: "inconclusive",
        reason: `the query returned ${answer.count} series, not one number: aggregate it (e.g. sum(...))`,
      };
    case "value":
      return valueMeasurement(answer.value, parsed.value, at);
  }
}

function valueMeasurement(value: number, threshold: Threshold, at: string): Measurement {
  if (Number.isNaN(value))
    return { at, value: null, state: "no-traffic", reason: "NaN: no traffic to measure" };
  return violates(value, threshold)
    ? { at, value, state: "violating", reason: `${value} ${threshold.op} ${threshold.value}` }
    : { at, value, state: "ok", reason: `${value}, not ${threshold.op} ${threshold.value}` };
}

export type SignalJudgement =
  | { verdict: "not-measured"; reason: string }
  | { verdict: "passed"; reason: string; last: Measurement }
  | { verdict: "inconclusive"; reason: string; last: Measurement }
  | { verdict: "failed"; reason: string; last: Measurement };

type SignalRule = Pick<PrometheusSignal, "failures" | "inconclusive">;

export function judgeSignal(
  measurements: readonly Measurement[],
  rule: SignalRule,
): SignalJudgement {
  const last = measurements[measurements.length - 1];
  if (!last) return { verdict: "not-measured", reason: "not measured yet" };
  const counts = (m: Measurement) =>
    m.state === "violating" || (m.state === "inconclusive" && rule.inconclusive === "fail");
  // Consecutive violations, from the latest back; with `inconclusive: ignore` an inconclusive
  // measurement is skipped over (an intermittent error must not hide a regression).
  let streak = 0;
  for (let i = measurements.length - 1; i >= 0; i--) {
    const m = measurements[i] as Measurement;
    if (counts(m)) streak++;
    else if (m.state !== "inconclusive") break;
  }
  if (streak >= rule.failures)
    return {
      verdict: "failed",
      reason: `${streak} consecutive violating measurements (limit ${rule.failures}), last: ${last.reason}`,
      last,
    };
  if (last.state === "inconclusive") return { verdict: "inconclusive", reason: last.reason, last };
  return { verdict: "passed", reason: last.reason, last };
}

/** Keeps the measurements a verdict needs: the latest `failures` (at least 3, for the comment). */
export function keepMeasurements(
  previous: readonly Measurement[],
  next: Measurement,
  failures: number,
): Measurement[] {
  return [...previous, next].slice(-Math.max(failures, 3));
}

/** Whether a signal is due: never measured, or its last measurement is `every` old. */
export function isDue(previous: readonly Measurement[], every: string, now: Date): boolean {
  const last = previous[previous.length - 1];
  if (!last) return true;
  const ms = parseDuration(every);
  return !ms.ok || now.getTime() - Date.parse(last.at) >= ms.value;
}

export type MetricsVerdict =
  | { state: "as-github" }
  | { state: "failed"; at: string; what: string }
  | { state: "inconclusive"; at: string; what: string };

/**
 * The window with its metric signals: a failed signal fails it (GitHub's own failure signal,
 * already found, stands); while it is open nothing else changes; once it would close clean,
 * a signal never measured or last measured inconclusive makes it close **inconclusive**.
 */
export function judgeMetrics(
  window: WindowVerdict | null,
  signals: readonly PrometheusSignal[],
  stored: StoredMetrics | undefined,
): MetricsVerdict {
  if (!window || window.state === "not-started" || window.state === "failed" || !signals.length)
    return { state: "as-github" };
  const judged = signals.map((s) => ({ s, j: judgeSignal(stored?.[s.name] ?? [], s) }));
  const failed = judged.find(({ j }) => j.verdict === "failed");
  if (failed && failed.j.verdict === "failed")
    return {
      state: "failed",
      at: failed.j.last.at,
      what: `metric signal \`${failed.s.name}\` failed: ${failed.j.reason}`,
    };
  if (window.state === "open") return { state: "as-github" };
  const unsure = judged.filter(
    ({ j }) => j.verdict === "inconclusive" || j.verdict === "not-measured",
  );
  if (unsure.length === 0) return { state: "as-github" };
  return {
    state: "inconclusive",
    at: window.endedAt,
    what: `no conclusive measurement of ${unsure.map(({ s, j }) => `\`${s.name}\` (${j.reason})`).join(", ")}`,
  };
}
