/**
 * Takes the due measurements of a hotfix's metric signals, as part of a sweep step (so under
 * the hotfix's lock), and stores them in the tracking comment's hidden block: any replica, or
 * the app after a restart, judges the window from them again. Measures only while the window
 * is undecided — open, or about to close — and never fails the step: an unreachable Prometheus
 * is an inconclusive measurement, shown as such.
 */
import type { HotfixStep } from "../record/step.js";
import { isDue, keepMeasurements, measure, type QueryAnswer } from "./judge.js";
import type { Integrations } from "../integrations/environment.js";
import { queryPrometheus } from "./prometheus.js";

export async function measureSignals(
  step: HotfixStep,
  integrations: Integrations,
): Promise<string[]> {
  const signals = step.policy.deploy?.monitor.signals.prometheus ?? [];
  const section = step.record.deploy;
  if (!signals.length || section.kind !== "on" || step.record.stored.window) return [];
  const window = section.window;
  if (!window || (window.state !== "open" && window.state !== "clean")) return [];
  const now = step.now();
  const taken: string[] = [];
  for (const signal of signals) {
    const previous = step.record.stored.metrics?.[signal.name] ?? [];
    if (!isDue(previous, signal.every, now)) continue;
    const server = integrations.prometheus(signal.server);
    const answer: QueryAnswer =
      "missing" in server
        ? {
            kind: "error",
            reason: `unknown Prometheus server \`${signal.server}\`: ${server.missing}`,
          }
        : await queryPrometheus(server, signal.query, integrations.timeoutMs);
    const m = measure(answer, signal.fail_if, now.toISOString());
    step.store((s) => ({
      ...s,
      metrics: {
        ...s.metrics,
        [signal.name]: keepMeasurements(s.metrics?.[signal.name] ?? [], m, signal.failures),
      },
    }));
    taken.push(`${signal.name}: ${m.state} (${m.reason})`);
  }
  return taken;
}
