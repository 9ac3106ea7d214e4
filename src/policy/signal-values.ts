/** Pure: the small grammar of metric signals' values — `> 0.05` and `1m`. */

export type Comparison = ">" | ">=" | "<" | "<=" | "==" | "!=";
export interface Threshold {
  op: Comparison;
  value: number;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const THRESHOLD = /^\s*(>=|<=|==|!=|>|<)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

export function parseThreshold(text: string): Parsed<Threshold> {
  const m = THRESHOLD.exec(text);
  if (!m)
    return {
      ok: false,
      reason: `"${text}" is not a threshold: write a comparison and a number, e.g. "> 0.05"`,
    };
  return { ok: true, value: { op: m[1] as Comparison, value: Number(m[2]) } };
}

export function violates(value: number, threshold: Threshold): boolean {
  switch (threshold.op) {
    case ">":
      return value > threshold.value;
    case ">=":
      return value >= threshold.value;
    case "<":
      return value < threshold.value;
    case "<=":
      return value <= threshold.value;
    case "==":
      return value === threshold.value;
    case "!=":
      return value !== threshold.value;
  }
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseDuration(text: string): Parsed<number> {
  const m = /^\s*(\d+)\s*(s|m|h)\s*$/.exec(text);
  if (!m) return { ok: false, reason: `"${text}" is not a duration: write e.g. 30s, 1m or 1h` };
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms < 1000 || ms > 24 * 3_600_000)
    return { ok: false, reason: `"${text}" must be from 1s to 24h` };
  return { ok: true, value: ms };
}
