/**
 * Pure: the tracking comment's lines for metric signals (each query's last value and verdict,
 * with the time) and for notifications that could not be delivered. Rendered from the stored
 * block only, so the same record always gives the same text.
 */
import type { HotfixRecord } from "./schema.js";
import type { Measurement } from "./monitor-stored.js";

const ICON: Record<Measurement["state"], string> = {
  ok: "🟢",
  violating: "🔴",
  inconclusive: "⚠️",
  "no-traffic": "⚪",
};
const WORD: Record<Measurement["state"], string> = {
  ok: "ok",
  violating: "violating",
  inconclusive: "inconclusive",
  "no-traffic": "no traffic",
};

const second = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

export function monitorExtraLines(record: HotfixRecord): string[] {
  const lines: string[] = [];
  for (const [name, measurements] of Object.entries(record.stored.metrics ?? {})) {
    const last = measurements[measurements.length - 1];
    if (!last) continue;
    const violating = measurements.filter((m) => m.state === "violating").length;
    lines.push(
      `  - ${ICON[last.state]} metric \`${name}\`: ${last.value ?? "no value"} — ${WORD[last.state]} (${last.reason}) at ${second(last.at)}; ${violating} of the last ${measurements.length} measurements violating`,
    );
  }
  const failed = Object.entries(record.stored.notified ?? {}).filter(
    ([, n]) => n.outcome !== "sent",
  );
  if (failed.length) {
    lines.push(
      `- ⚠️ **Notifications** — not delivered (the lifecycle went on): ${failed
        .map(([key, n]) => `${key}: ${n.outcome}`)
        .join("; ")}`,
    );
  }
  return lines;
}
