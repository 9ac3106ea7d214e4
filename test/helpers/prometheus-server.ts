/**
 * A real Prometheus for the tests of metric signals (started by sandbox/prometheus.ts): a fake
 * would agree with whatever the code believes about empty results, NaN and errors, which is
 * what those tests are there to check.
 *
 * Where prometheus is missing the tests are skipped with one notice — unless
 * HOTFIX_TEST_REQUIRE_SERVICES is set (CI installs Debian's prometheus): then they fail.
 */
import { describe, it } from "@jest/globals";
import { prometheusPath } from "../../sandbox/prometheus.js";

export {
  prometheusPath,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from "../../sandbox/prometheus.js";

let warned = false;

/** `describe`, when prometheus can run here; see the header for when it cannot. */
export function describeWithPrometheus(name: string, fn: () => void): void {
  if (prometheusPath()) {
    describe(name, fn);
    return;
  }
  if (process.env.HOTFIX_TEST_REQUIRE_SERVICES) {
    describe(name, () => {
      it("needs prometheus", () => {
        throw new Error(
          "prometheus is required here (HOTFIX_TEST_REQUIRE_SERVICES is set) but was not found; install Debian's prometheus",
        );
      });
    });
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(`Skipping "${name}": prometheus is missing (install Debian's prometheus).`);
  }
  describe.skip(name, fn);
}
