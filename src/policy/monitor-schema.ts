/**
 * The policy keys of metric signals (`deploy.monitor.signals.prometheus`) and of what a failed
 * window does (`deploy.monitor.on_failure`). Part of the one policy schema (`schema.ts`); kept in
 * its own file because its values have their own small grammar (thresholds, durations).
 */
import { z } from "zod";
import { parseDuration, parseThreshold } from "./signal-values.js";

/** A key the operator defines in the app's environment; never a URL or a secret. */
export const envKey = (what: string) =>
  z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_-]{0,39}$/,
      `${what} is a key the operator defines in the app's environment (lowercase letters, digits, - and _), not a URL or a secret`,
    );

const prometheusSignal = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "a signal name is letters, digits, . _ -")
    .describe("Shown in the tracking comment and in notifications, e.g. `error-rate`."),
  server: envKey("server")
    .default("default")
    .describe(
      "The Prometheus server, by a key the operator defines: its URL comes from `HOTFIX_PROMETHEUS_<KEY>_URL` and an optional bearer token from `HOTFIX_PROMETHEUS_<KEY>_TOKEN` in the app's environment, never from this file.",
    ),
  query: z
    .string()
    .trim()
    .min(1, "a query cannot be empty")
    .max(4000)
    .describe(
      'A PromQL instant query returning one number (a scalar or a single series), e.g. `sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))`. An empty result or an error is inconclusive, never a success; NaN (no traffic) is not a violation.',
    ),
  fail_if: z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseThreshold(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
    })
    .describe("A measurement violates when its value compares so, e.g. `> 0.05`, `< 0.99`."),
  every: z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseDuration(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
    })
    .default("1m")
    .describe(
      "Least time between two measurements (`30s`, `1m`, `5m`); measurements are taken by the sweep, so schedule it at least this often.",
    ),
  failures: z
    .number()
    .int("failures must be a whole number")
    .min(1)
    .max(20)
    .default(2)
    .describe("The window fails after this many consecutive violating measurements."),
  inconclusive: z
    .enum(["ignore", "fail"])
    .default("ignore")
    .describe(
      "An inconclusive measurement (empty result, error, timeout, several series): `ignore` skips over it — it is neither a violation nor a pass, and a window whose signal was last measured inconclusive (or never) closes **inconclusive**, never clean; `fail` counts it as a violation.",
    ),
});

export const prometheusSignals = z
  .array(prometheusSignal)
  .max(10, "at most 10 metric signals")
  .superRefine((signals, ctx) => {
    const seen = new Set<string>();
    signals.forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `two signals are named ${s.name}`,
        });
      seen.add(s.name);
    });
  })
  .default([])
  .describe(
    "Prometheus queries measured during the window (by the sweep); `failures` consecutive violating measurements fail the hotfix.",
  );

export const onFailure = z
  .enum(["notify", "rollback"])
  .default("notify")
  .describe(
    "What a failed window does: `notify` tells the releaser (and the `notify:` routes); `rollback` also starts the same rollback `/rollback-hotfix` does, attributed to the signal that failed it.",
  );

export type PrometheusSignal = z.output<typeof prometheusSignal>;
