/**
 * Notifications of a hotfix's lifecycle through the real app and the GitHub stand-in, to real
 * local HTTP receivers: Slack (Block Kit) and Teams (Adaptive Card) payload shapes, the generic
 * webhook's HMAC-SHA256 signature verified by the receiver, PagerDuty change events, retries
 * with backoff, receivers that fail, hang, are unknown or have an invalid URL (a line in the
 * tracking comment; the lifecycle goes on), and once-only delivery across redeliveries — of
 * every webhook, twice at once — and sweeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHmac, timingSafeEqual } from "node:crypto";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import { playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import { readStoredBlock } from "../../src/record/stored-block.js";
import {
  demoPolicy,
  onlyDeployment,
  openScenario,
  redeliver,
  report,
  say,
  settled,
  stages,
  trackingBody,
  type AppScenario,
} from "../deploy/deploy-scenario.js";
import { startReceivers, type Receivers, type Received } from "../helpers/receivers.js";

const SECRET = "hmac-secret-for-audit";
const SWEEP_TOKEN = "sweep-token-notify";
const POLICY = `${demoPolicy({ minutes: 0 })}notify:
  routes:
    - { kind: slack, receiver: chat }
    - { kind: teams, receiver: qa }
    - { kind: webhook, receiver: audit }
    - { kind: pagerduty, receiver: pd }
    - { kind: slack, receiver: flaky, events: [released] }
    - { kind: webhook, receiver: down, events: [released] }
    - { kind: teams, receiver: hang, events: [released] }
    - { kind: slack, receiver: nowhere, events: [released] }
    - { kind: slack, receiver: badurl, events: [released] }
    - { kind: webhook, receiver: nosecret, events: [released] }
`;

let receivers: Receivers;
let run: AppScenario;
let pr: number;
const env: Record<string, string> = {};

beforeAll(async () => {
  receivers = await startReceivers();
  receivers.answers.set("/flaky", [500, 503, 200]);
  receivers.answers.set("/down", [500]);
  receivers.answers.set("/hang", ["hang"]);
  Object.assign(env, {
    HOTFIX_NOTIFY_CHAT_URL: `${receivers.url}/slack`,
    HOTFIX_NOTIFY_QA_URL: `${receivers.url}/teams`,
    HOTFIX_NOTIFY_AUDIT_URL: `${receivers.url}/hook`,
    HOTFIX_NOTIFY_AUDIT_SECRET: SECRET,
    HOTFIX_NOTIFY_PD_ROUTING_KEY: "R0UTING-KEY-PD",
    HOTFIX_PAGERDUTY_EVENTS_URL: `${receivers.url}/v2/change/enqueue`,
    HOTFIX_NOTIFY_FLAKY_URL: `${receivers.url}/flaky`,
    HOTFIX_NOTIFY_DOWN_URL: `${receivers.url}/down`,
    HOTFIX_NOTIFY_DOWN_SECRET: SECRET,
    HOTFIX_NOTIFY_HANG_URL: `${receivers.url}/hang`,
    HOTFIX_NOTIFY_NOSECRET_URL: `${receivers.url}/nosecret`,
    HOTFIX_NOTIFY_BADURL_URL: "hooks.slack.com/services/T000/B000/XXXX",
    HOTFIX_NOTIFY_RETRY_DELAYS_MS: "20,60",
    HOTFIX_INTEGRATION_TIMEOUT_MS: "300",
  });
  Object.assign(process.env, env);
  run = await openScenario({ policy: POLICY, sweepToken: SWEEP_TOKEN });
  pr = await playUntilApproved(run.player);
  await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
  await report(run, onlyDeployment(run, "staging"), "success");
  await report(run, onlyDeployment(run, "production"), "success");
}, 120_000);

afterAll(async () => {
  for (const name of Object.keys(env)) delete process.env[name];
  await run?.close();
  await receivers?.close();
}, 30_000);

const events = (list: Received[]) => list.map((r) => r.headers["x-hotfix-bot-event"]);

describe("a hotfix released, staged, deployed and through its window", () => {
  it("(the lifecycle went on: production deployed, the window closed clean)", () => {
    expect(stages(run, pr).Monitoring?.state).toBe("done");
  });

  it("Slack gets Block Kit messages, for the events people act on", () => {
    const slack = receivers.on("/slack");
    // The demo's backport to release/1.3 conflicts: people must finish it, so chat hears of it.
    expect(events(slack)).toEqual(["released", "backport-conflict", "window-clean"]);
    const released = slack[0]?.json as { text: string; blocks: Array<Record<string, unknown>> };
    expect(released.text).toMatch(
      /^🚑 Hotfix released: Hotfix `v1\.4\.3` of #\d+ .* was released by @/,
    );
    expect(released.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
    expect(released.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🚑 Hotfix released", emoji: true },
    });
    expect(released.blocks[1]).toMatchObject({ text: { type: "mrkdwn" } });
    expect(JSON.stringify(released.blocks[2])).toContain(`acme/shop#${pr}`);
    expect(slack[0]?.headers["content-type"]).toBe("application/json");
  });

  it("Teams gets a message with one Adaptive Card", () => {
    const teams = receivers.on("/teams");
    expect(events(teams)).toEqual(["released", "backport-conflict", "window-clean"]);
    const body = teams[0]?.json as { type: string; attachments: Array<Record<string, unknown>> };
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const card = body.attachments[0]?.content as {
      body: unknown[];
      actions: unknown[];
    };
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(card.body[0]).toMatchObject({ type: "TextBlock", text: "🚑 Hotfix released" });
    expect(card.actions[0]).toMatchObject({ type: "Action.OpenUrl" });
  });

  it("the webhook's HMAC-SHA256 signature over the raw body verifies with the receiver's secret, and a wrong secret does not", () => {
    const hook = receivers.on("/hook");
    expect(events(hook)).toEqual(["released", "backport-conflict", "window-clean"]);
    for (const got of hook) {
      const header = String(got.headers["x-hotfix-bot-signature-256"]);
      const expected = `sha256=${createHmac("sha256", SECRET).update(got.raw).digest("hex")}`;
      expect(timingSafeEqual(Buffer.from(header), Buffer.from(expected))).toBe(true);
      const forged = `sha256=${createHmac("sha256", "guess").update(got.raw).digest("hex")}`;
      expect(header).not.toBe(forged);
    }
    expect(hook[0]?.json).toMatchObject({
      event: "released",
      key: "released:v1.4.3",
      hotfix: { repository: "acme/shop", pr, tag: "v1.4.3", version: "1.4.3", base: "release/1.4" },
    });
    expect(decodeURIComponent(String(hook[0]?.headers["x-hotfix-bot-delivery"]))).toBe(
      `acme/shop#${pr} released:v1.4.3 webhook:audit`,
    );
  });

  it("PagerDuty gets a change event at release and at each deployment, with the routing key from the environment", () => {
    const pd = receivers.on("/v2/change/enqueue");
    expect(events(pd)).toEqual(["released", "staging-deployed", "production-deployed"]);
    expect(pd[0]?.json).toMatchObject({
      routing_key: "R0UTING-KEY-PD",
      payload: {
        summary: expect.stringMatching(/^🚑 Hotfix released: /),
        source: "hotfix-bot acme/shop",
      },
      links: [{ href: expect.any(String), text: `acme/shop#${pr}` }],
    });
    expect((pd[2]?.json as { payload: { timestamp: string } }).payload.timestamp).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
  });

  it("a receiver that fails twice gets the same message a third time, and it counts as sent", () => {
    const flaky = receivers.on("/flaky");
    expect(flaky).toHaveLength(3);
    expect(new Set(flaky.map((r) => r.raw)).size).toBe(1);
    // Backoff: HOTFIX_NOTIFY_RETRY_DELAYS_MS=20,60 between the attempts.
    const [a, b, c] = flaky.map((r) => r.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(20);
    expect(c - b).toBeGreaterThanOrEqual(60);
    expect(
      readStoredBlock(trackingBody(run, pr)).notified?.["released:v1.4.3 slack:flaky"]?.outcome,
    ).toBe("sent");
  });

  it("a receiver that keeps failing, one that hangs, an unknown one, an invalid URL and a webhook without its secret: bounded attempts, then one line in the tracking comment", () => {
    // An unsigned webhook is never sent: anyone who learns its URL could forge one.
    expect(receivers.on("/nosecret")).toEqual([]);
    expect(receivers.on("/down")).toHaveLength(3);
    expect(receivers.on("/hang")).toHaveLength(3);
    const line = trackingBody(run, pr)
      .split("\n")
      .find((l) => l.startsWith("- ⚠️ **Notifications** — not delivered"));
    expect(line).toContain("released:v1.4.3 webhook:down: HTTP 500 after 3 attempts");
    expect(line).toContain("released:v1.4.3 teams:hang: no answer within 300 ms after 3 attempts");
    expect(line).toContain(
      "released:v1.4.3 slack:nowhere: unknown receiver `nowhere`: HOTFIX_NOTIFY_NOWHERE_URL is not set in the app's environment",
    );
    expect(line).toContain(
      "released:v1.4.3 slack:badurl: its URL in the app's environment is not an http(s) URL",
    );
  });

  it("once only: every webhook delivered again (twice at once) and a sweep send nothing more", async () => {
    const before = receivers.received.length;
    run.standIn.webhooks.setOptions({ concurrency: 4, duplicate: true });
    for (const event of [...run.sent]) await redeliver(run, event);
    run.standIn.webhooks.setOptions({ concurrency: 1, duplicate: false });
    await fetch(`${run.app.url}/hotfix-bot/sweep`, {
      method: "POST",
      headers: { authorization: `Bearer ${SWEEP_TOKEN}` },
    });
    await settled(run);
    expect(receivers.received.slice(before)).toEqual([]);
  }, 60_000);
});
