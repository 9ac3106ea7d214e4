/**
 * The notification decision, pure: which lifecycle events a record shows, and which (event,
 * route) pairs are due — none once the stored block names them, whatever their outcome.
 */
import { describe, expect, it } from "@jest/globals";
import { dueNotifications } from "../../src/notify/deliver.js";
import { lifecycleEvents } from "../../src/notify/events.js";
import { signBody } from "../../src/notify/send.js";
import { integrationsFromEnv } from "../../src/integrations/environment.js";
import type { NotifyRoute } from "../../src/policy/notify-schema.js";
import { emptyStored } from "../../src/record/schema.js";
import { hotfixRecord } from "../helpers/hotfix-record.js";

const released = hotfixRecord({
  merged: { sha: "abc" },
  tag: { name: "v1.4.3", version: "1.4.3", commitSha: "abc" },
  release: { url: "https://github.com/acme/shop/releases/tag/v1.4.3", draft: false },
  stored: {
    ...emptyStored(),
    release: { by: "rita", at: "2026-11-27T12:00:00Z", headSha: "def", tag: "v1.4.3" },
  },
});
const slack: NotifyRoute = { kind: "slack", receiver: "chat" };
const pd: NotifyRoute = { kind: "pagerduty", receiver: "pd" };

describe("lifecycleEvents", () => {
  it("nothing before the release; a draft release is not released", () => {
    expect(lifecycleEvents(hotfixRecord())).toEqual([]);
    expect(lifecycleEvents({ ...released, release: { url: "u", draft: true } })).toEqual([]);
  });

  it("a published release, keyed by its tag", () => {
    expect(lifecycleEvents(released)).toEqual([
      expect.objectContaining({
        event: "released",
        key: "released:v1.4.3",
        at: "2026-11-27T12:00:00Z",
      }),
    ]);
  });

  it("a closed window, a rollback, a queued release and a schedule override", () => {
    const keys = lifecycleEvents({
      ...released,
      stored: {
        ...released.stored,
        window: { state: "failed", at: "t1", what: "metric signal `e` failed", link: null },
        rollback: { by: "hotfix-bot", at: "t2", previousTag: "v1.4.2" },
        override: {
          by: "olga",
          at: "t0",
          reason: "outage",
          rule: "@olga",
          via: "named",
          closed: "frozen",
        },
      },
    }).map((e) => e.key);
    expect(keys).toEqual([
      "freeze-override:t0",
      "released:v1.4.3",
      "window-failed:v1.4.3",
      "rollback:v1.4.3",
    ]);
  });
});

describe("lifecycleEvents of the deployments", () => {
  const status = (id: number, state: "success" | "failure" | "error", at: string) => ({
    id,
    state,
    description: state === "success" ? "" : "pods crash-looping",
    url: `https://deploy.acme.example/runs/${id}`,
    createdAt: at,
  });
  const deployment = (id: number, environment: string, statuses: ReturnType<typeof status>[]) => ({
    id,
    ref: "v1.4.3",
    sha: "abc",
    environment,
    createdAt: "2026-11-27T12:01:00Z",
    hotfix: {
      pr: 2,
      version: "1.4.3",
      tag: "v1.4.3",
      stage: environment as "staging" | "production",
      requested_by: "rita",
    },
    statuses,
  });
  const withDeploy = (staging: unknown, production: unknown) => ({
    ...released,
    deploy: {
      kind: "on" as const,
      environments: { staging: "staging", production: "production" },
      promote: "auto" as const,
      requiredContexts: [],
      monitorMinutes: 60,
      watching: "",
      staging: staging as ReturnType<typeof deployment>,
      production: production as ReturnType<typeof deployment> | null,
      window: null,
      rollback: null,
      revertPull: null,
    },
  });

  it("a stage live, or failed before it was ever live, keyed by its deployment", () => {
    const events = lifecycleEvents(
      withDeploy(
        deployment(41, "staging", [status(1, "success", "2026-11-27T12:02:00Z")]),
        deployment(42, "production", [status(2, "error", "2026-11-27T12:05:00Z")]),
      ),
    );
    expect(events.map((e) => [e.event, e.key])).toEqual([
      ["released", "released:v1.4.3"],
      ["staging-deployed", "staging-deployed:41"],
      ["production-failed", "production-failed:42"],
    ]);
    expect(events[2]?.text).toBe(
      "The production deployment of hotfix `v1.4.3` (#2) failed: error — pods crash-looping.",
    );
  });

  it("a failure after the stage was live is the window's business, not a failed deployment", () => {
    const events = lifecycleEvents(
      withDeploy(
        deployment(41, "staging", [status(1, "failure", "2026-11-27T12:02:00Z")]),
        deployment(42, "production", [
          status(3, "failure", "2026-11-27T12:09:00Z"),
          status(2, "success", "2026-11-27T12:05:00Z"),
        ]),
      ),
    );
    expect(events.map((e) => e.key)).toEqual([
      "released:v1.4.3",
      "staging-failed:41",
      "production-deployed:42",
    ]);
  });
});

describe("dueNotifications", () => {
  it("chat routes default to what people act on; PagerDuty to releases and deployments", () => {
    expect(dueNotifications(released, [slack, pd]).map((d) => d.key)).toEqual([
      "released:v1.4.3 slack:chat",
      "released:v1.4.3 pagerduty:pd",
    ]);
    expect(dueNotifications(released, [{ ...slack, events: ["window-failed"] }])).toEqual([]);
  });

  it("nothing is due once the stored block names it — sent, or given up on", () => {
    const stored = (outcome: string) => ({
      ...released,
      stored: {
        ...released.stored,
        notified: { "released:v1.4.3 slack:chat": { at: "t", outcome } },
      },
    });
    expect(dueNotifications(stored("sent"), [slack])).toEqual([]);
    expect(dueNotifications(stored("HTTP 500 after 3 attempts"), [slack])).toEqual([]);
    expect(dueNotifications(stored("sent"), [slack, pd]).map((d) => d.key)).toEqual([
      "released:v1.4.3 pagerduty:pd",
    ]);
  });
});

describe("secrets and endpoints come from the environment by key", () => {
  it("reads HOTFIX_PROMETHEUS_<KEY>_URL / _TOKEN and HOTFIX_NOTIFY_<KEY>_*, - written _", () => {
    const i = integrationsFromEnv({
      HOTFIX_PROMETHEUS_EU_WEST_URL: "http://prom:9090",
      HOTFIX_PROMETHEUS_EU_WEST_TOKEN: "t0k",
      HOTFIX_NOTIFY_ON_CALL_URL: "https://hooks.slack.com/x",
      HOTFIX_NOTIFY_ON_CALL_SECRET: "s",
    });
    expect(i.prometheus("eu-west")).toEqual({ url: "http://prom:9090", token: "t0k" });
    expect(i.prometheus("us")).toEqual({
      missing: "HOTFIX_PROMETHEUS_US_URL is not set in the app's environment",
    });
    expect(i.receiver("on-call")).toEqual({ url: "https://hooks.slack.com/x", secret: "s" });
    expect(i.pagerDutyUrl).toBe("https://events.pagerduty.com/v2/change/enqueue");
    expect(i.retryDelaysMs).toEqual([1000, 4000]);
  });

  it("signs like GitHub: sha256= and the hex HMAC-SHA256 of the body", () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(signBody("Jefe", "what do ya want for nothing?")).toBe(
      "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});
