/**
 * The policy keys of metric signals and notifications: defaults, and bad input reported as a
 * policy error with its line and key — never a URL or a secret in the policy.
 */
import { describe, expect, it } from "@jest/globals";
import { parseLayer, validateLayers, type PolicyProblem } from "../../src/policy/parse.js";

const FILE = "acme/api:.github/hotfix.yml";

function check(text: string) {
  const layer = parseLayer(text, FILE);
  if (!layer.ok) return { problems: layer.problems, policy: null };
  const result = validateLayers([layer.value]);
  return result.ok
    ? { problems: [] as PolicyProblem[], policy: result.value }
    : { problems: result.problems, policy: null };
}

const signal = (extra: string) => `deploy:
  monitor:
    signals:
      prometheus:
        - name: error-rate
          query: sum(rate(errors[5m]))
${extra}`;

describe("deploy.monitor.signals.prometheus and on_failure", () => {
  it("fills the defaults: server default, every 1m, failures 2, inconclusive ignore, on_failure notify", () => {
    const { policy } = check(signal('          fail_if: "> 0.05"\n'));
    expect(policy?.deploy?.monitor.signals.prometheus).toEqual([
      {
        name: "error-rate",
        server: "default",
        query: "sum(rate(errors[5m]))",
        fail_if: "> 0.05",
        every: "1m",
        failures: 2,
        inconclusive: "ignore",
      },
    ]);
    expect(policy?.deploy?.monitor.on_failure).toBe("notify");
    expect(check("deploy: {}\n").policy?.deploy?.monitor.signals.prometheus).toEqual([]);
  });

  it.each([
    [
      '          fail_if: "above 5"\n',
      "deploy.monitor.signals.prometheus[0].fail_if",
      7,
      /not a threshold/,
    ],
    [
      '          fail_if: "> 1"\n          every: 1 minute\n',
      "deploy.monitor.signals.prometheus[0].every",
      8,
      /not a duration/,
    ],
    [
      '          fail_if: "> 1"\n          failures: 0\n',
      "deploy.monitor.signals.prometheus[0].failures",
      8,
      /./,
    ],
    [
      '          fail_if: "> 1"\n          inconclusive: pass\n',
      "deploy.monitor.signals.prometheus[0].inconclusive",
      8,
      /./,
    ],
    [
      '          fail_if: "> 1"\n          server: https://prometheus.acme.example\n',
      "deploy.monitor.signals.prometheus[0].server",
      8,
      /key the operator defines in the app's environment.*not a URL or a secret/,
    ],
    [
      '          fail_if: "> 1"\n          url: http://x\n',
      "deploy.monitor.signals.prometheus[0].url",
      8,
      /./,
    ],
  ])("refuses %j at its key and line", (extra, path, line, message) => {
    const { problems } = check(signal(extra));
    expect(problems).toEqual([
      expect.objectContaining({ path, line, message: expect.stringMatching(message) }),
    ]);
  });

  it("a signal without fail_if is an error at the signal", () => {
    const { problems } = check(signal(""));
    expect(problems[0]).toMatchObject({ path: "deploy.monitor.signals.prometheus[0].fail_if" });
  });
});

describe("notify.routes", () => {
  it("takes a kind, a receiver key and optional events", () => {
    const { policy } = check(
      "notify:\n  routes:\n    - { kind: slack, receiver: oncall }\n    - { kind: pagerduty, receiver: payments-pd, events: [released] }\n",
    );
    expect(policy?.notify.routes).toEqual([
      { kind: "slack", receiver: "oncall" },
      { kind: "pagerduty", receiver: "payments-pd", events: ["released"] },
    ]);
    expect(check("").policy?.notify).toEqual({ routes: [] });
  });

  it.each([
    [
      '    - { kind: slack, receiver: "https://hooks.slack.com/services/T0/B0/X" }\n',
      "notify.routes[0].receiver",
      /not a URL or a secret/,
    ],
    ["    - { kind: email, receiver: ops }\n", "notify.routes[0].kind", /./],
    [
      "    - { kind: slack, receiver: ops, events: [deployed] }\n",
      "notify.routes[0].events[0]",
      /./,
    ],
    ["    - { kind: webhook, receiver: ops, secret: abc }\n", "notify.routes[0].secret", /./],
  ])("refuses %j at its key and line", (route, path, message) => {
    const { problems } = check(`notify:\n  routes:\n${route}`);
    expect(problems).toEqual([
      expect.objectContaining({ path, line: 3, message: expect.stringMatching(message) }),
    ]);
  });
});
