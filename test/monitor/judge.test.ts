/**
 * The metric signals' decision, table-tested: measurements in → passed / failed / inconclusive
 * with the reason. Fail-closed first: an empty result or an error is never a success.
 */
import { describe, expect, it } from "@jest/globals";
import {
  isDue,
  judgeMetrics,
  judgeSignal,
  keepMeasurements,
  measure,
} from "../../src/monitor/judge.js";
import { parseDuration, parseThreshold } from "../../src/policy/signal-values.js";
import type { Measurement } from "../../src/record/monitor-stored.js";
import type { PrometheusSignal } from "../../src/policy/monitor-schema.js";
import type { WindowVerdict } from "../../src/record/schema.js";

const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, s)).toISOString();
const ok = (s: number): Measurement => measure({ kind: "value", value: 0.01 }, "> 0.05", at(s));
const bad = (s: number): Measurement => measure({ kind: "value", value: 0.2 }, "> 0.05", at(s));
const empty = (s: number): Measurement => measure({ kind: "empty" }, "> 0.05", at(s));
const error = (s: number): Measurement =>
  measure({ kind: "error", reason: "Prometheus answered 500" }, "> 0.05", at(s));
const nan = (s: number): Measurement => measure({ kind: "value", value: NaN }, "> 0.05", at(s));

describe("measure", () => {
  it.each([
    [{ kind: "value", value: 0.2 }, "> 0.05", "violating"],
    [{ kind: "value", value: 0.05 }, "> 0.05", "ok"],
    [{ kind: "value", value: 0.05 }, ">= 0.05", "violating"],
    [{ kind: "value", value: 0.9 }, "< 0.99", "violating"],
    [{ kind: "value", value: 0.995 }, "< 0.99", "ok"],
    [{ kind: "value", value: 1 }, "<= 1", "violating"],
    [{ kind: "value", value: 2 }, "== 2", "violating"],
    [{ kind: "value", value: 2 }, "!= 2", "ok"],
    [{ kind: "value", value: NaN }, "> 0.05", "no-traffic"],
    [{ kind: "empty" }, "> 0.05", "inconclusive"],
    [{ kind: "many", count: 3 }, "> 0.05", "inconclusive"],
    [{ kind: "error", reason: "timeout" }, "> 0.05", "inconclusive"],
    [{ kind: "value", value: 1 }, "about 1", "inconclusive"],
  ] as const)("%j against %s is %s", (answer, failIf, state) => {
    expect(measure(answer, failIf, at(0)).state).toBe(state);
  });

  it("says why in words", () => {
    expect(bad(0).reason).toBe("0.2 > 0.05");
    expect(empty(0).reason).toBe("the query returned no data");
    expect(error(0).reason).toBe("Prometheus answered 500");
    expect(measure({ kind: "many", count: 2 }, "> 1", at(0)).reason).toMatch(/2 series.*sum/);
  });
});

describe("judgeSignal", () => {
  const rule = { failures: 2, inconclusive: "ignore" as const };
  it.each<[string, Measurement[], string]>([
    ["nothing measured", [], "not-measured"],
    ["one ok", [ok(0)], "passed"],
    ["one violation of two allowed", [bad(0)], "passed"],
    ["two consecutive violations", [bad(0), bad(1)], "failed"],
    ["violations broken by an ok", [bad(0), ok(1), bad(2)], "passed"],
    ["an empty result", [empty(0)], "inconclusive"],
    ["an error", [error(0)], "inconclusive"],
    ["only errors", [error(0), error(1), error(2)], "inconclusive"],
    ["ok, then an error", [ok(0), error(1)], "inconclusive"],
    ["no traffic", [nan(0), nan(1)], "passed"],
    ["no traffic breaks a streak", [bad(0), nan(1), bad(2)], "passed"],
    [
      "violation, error, violation: the error is skipped over",
      [bad(0), error(1), bad(2)],
      "failed",
    ],
    ["violation, then an error", [bad(0), error(1)], "inconclusive"],
  ])("%s → %s", (_, measurements, verdict) => {
    expect(judgeSignal(measurements, rule).verdict).toBe(verdict);
  });

  it("with inconclusive: fail, errors count as violations", () => {
    const fail = { failures: 2, inconclusive: "fail" as const };
    expect(judgeSignal([error(0), error(1)], fail).verdict).toBe("failed");
    expect(judgeSignal([bad(0), empty(1)], fail).verdict).toBe("failed");
    expect(judgeSignal([ok(0), empty(1)], fail).verdict).toBe("inconclusive");
  });

  it("failures: 1 fails at the first violation; failures: 3 needs three", () => {
    expect(judgeSignal([bad(0)], { failures: 1, inconclusive: "ignore" }).verdict).toBe("failed");
    expect(judgeSignal([bad(0), bad(1)], { failures: 3, inconclusive: "ignore" }).verdict).toBe(
      "passed",
    );
    const failed = judgeSignal([bad(0), bad(1), bad(2)], { failures: 3, inconclusive: "ignore" });
    expect(failed).toMatchObject({ verdict: "failed", last: { at: at(2) } });
    expect(failed.reason).toBe("3 consecutive violating measurements (limit 3), last: 0.2 > 0.05");
  });
});

describe("judgeMetrics: the window with its metric signals", () => {
  const signal = (name: string, extra: Partial<PrometheusSignal> = {}): PrometheusSignal => ({
    name,
    server: "default",
    query: "q",
    fail_if: "> 0.05",
    every: "1m",
    failures: 2,
    inconclusive: "ignore",
    ...extra,
  });
  const open: WindowVerdict = { state: "open", opensAt: at(0), closesAt: at(59) };
  const clean: WindowVerdict = {
    state: "clean",
    opensAt: at(0),
    closesAt: at(59),
    endedAt: at(59),
    reason: "no failure signal in 1 minutes",
  };

  it("a failed signal fails an open window, at its last measurement", () => {
    expect(judgeMetrics(open, [signal("errors")], { errors: [bad(1), bad(2)] })).toEqual({
      state: "failed",
      at: at(2),
      what: "metric signal `errors` failed: 2 consecutive violating measurements (limit 2), last: 0.2 > 0.05",
    });
  });

  it("an open window with passing or unsure signals stays as GitHub's signals say", () => {
    expect(judgeMetrics(open, [signal("errors")], { errors: [error(1)] }).state).toBe("as-github");
    expect(judgeMetrics(open, [signal("errors")], {}).state).toBe("as-github");
  });

  it("a window that would close clean closes clean only when every signal passed", () => {
    expect(judgeMetrics(clean, [signal("errors")], { errors: [ok(1), ok(2)] }).state).toBe(
      "as-github",
    );
    expect(judgeMetrics(clean, [signal("errors")], { errors: [nan(1)] }).state).toBe("as-github");
  });

  it.each<[string, Measurement[] | undefined]>([
    ["never measured", undefined],
    ["only empty results", [empty(1), empty(2)]],
    ["last measurement an error", [ok(1), error(2)]],
  ])(
    "a window that would close clean, with a signal %s, closes inconclusive — never clean",
    (_, ms) => {
      const verdict = judgeMetrics(clean, [signal("errors"), signal("latency")], {
        latency: [ok(1)],
        ...(ms ? { errors: ms } : {}),
      });
      expect(verdict).toMatchObject({ state: "inconclusive", at: at(59) });
      expect((verdict as { what: string }).what).toMatch(/^no conclusive measurement of `errors`/);
    },
  );

  it("GitHub's own failure signal stands; no metric signals change nothing", () => {
    const failed: WindowVerdict = {
      state: "failed",
      opensAt: at(0),
      closesAt: at(59),
      signal: { at: at(3), what: "x", link: null },
    };
    expect(judgeMetrics(failed, [signal("errors")], {}).state).toBe("as-github");
    expect(judgeMetrics(clean, [], {}).state).toBe("as-github");
    expect(judgeMetrics(null, [signal("errors")], {}).state).toBe("as-github");
  });
});

describe("measurements kept, and when the next is due", () => {
  it("keeps the latest max(failures, 3)", () => {
    const many = [ok(0), ok(1), ok(2), ok(3)];
    expect(keepMeasurements(many, bad(4), 2).map((m) => m.at)).toEqual([at(2), at(3), at(4)]);
    expect(keepMeasurements(many, bad(4), 5)).toHaveLength(5);
  });
  it("is due when never measured, or `every` after the last", () => {
    expect(isDue([], "1m", new Date(at(0)))).toBe(true);
    expect(isDue([ok(0)], "30s", new Date(at(29)))).toBe(false);
    expect(isDue([ok(0)], "30s", new Date(at(30)))).toBe(true);
  });
  it("reads thresholds and durations, refusing what they are not", () => {
    expect(parseThreshold(">0.05")).toEqual({ ok: true, value: { op: ">", value: 0.05 } });
    expect(parseThreshold("above 5").ok).toBe(false);
    expect(parseDuration("2m")).toEqual({ ok: true, value: 120_000 });
    expect(parseDuration("1 minute").ok).toBe(false);
    expect(parseDuration("0s").ok).toBe(false);
  });
});
