/**
 * The real app against the GitHub stand-in, for tests that need more than the lifecycle harness
 * (test/scenarios/harness.ts): a policy of their own, the sweep route's token, the App's
 * credentials (to reconnect webhooks, or to run `hotfix-bot sweep` as the App), and readers for
 * what the app left on the PR — the tracking comment's stages with their text, the notices, the
 * replies — and for the requests it sent. Everything happens through people (`RepoHandle`),
 * signed webhooks and the stand-in's REST answers; nothing here reaches into the app.
 */
import { pino } from "pino";
import { Probot } from "probot";
import { unpaced } from "../../src/backport/pace-writes.js";
import {
  newAppCredentials,
  settle,
  startAppInProcess,
  UnthrottledOctokit,
  type AppCredentials,
  type AppHost,
} from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, POLICY, seedDemo, type Demo } from "../../sandbox/demo-repo.js";
import type { Player } from "../../sandbox/lifecycle.js";
import type { WebhookEvent } from "../../sandbox/stand-in/hub.js";
import type { Comment, Deployment } from "../../sandbox/stand-in/model.js";
import type { RecordedRequest, StandIn } from "../../sandbox/stand-in/server.js";
import { startStandIn } from "../../sandbox/stand-in/server.js";

export interface AppScenario {
  standIn: StandIn;
  app: AppHost;
  demo: Demo;
  player: Player;
  credentials: AppCredentials;
  /** Every webhook the stand-in sent, in order: a test can deliver one again. */
  sent: WebhookEvent[];
  close(): Promise<void>;
}

export async function openScenario(
  options: {
    policy?: string;
    sweepToken?: string;
    /** The app's clock (`AppConfig.now`): a test moves time instead of waiting for it. */
    now?: () => Date;
  } = {},
): Promise<AppScenario> {
  const standIn = await startStandIn();
  try {
    const demo = await seedDemo(standIn, options.policy ? { policy: options.policy } : {});
    const credentials = newAppCredentials(OWNER);
    const app = await startAppInProcess(standIn, credentials, {
      config: {
        backportPacer: unpaced,
        ...(options.sweepToken ? { sweepToken: options.sweepToken } : {}),
        ...(options.now ? { now: options.now } : {}),
      },
    });
    const sent: WebhookEvent[] = [];
    standIn.hub.onWebhook((event) => sent.push(event));
    return {
      standIn,
      app,
      demo,
      credentials,
      sent,
      player: { standIn, app, demo, settleTimeoutMs: 60_000 },
      async close() {
        await app.close();
        await standIn.close();
      },
    };
  } catch (error) {
    await standIn.close();
    throw error;
  }
}

/** Waits until no webhook is pending and the app has finished its work. */
export const settled = (run: AppScenario) => settle(run.standIn, run.app, 60_000);

// ——— Policies: the demo's, with another `deploy:` section ———

export interface DeployVariant {
  promote?: "auto" | "manual";
  minutes?: number;
  requiredContexts?: string[];
  revertPr?: boolean;
}

export function deploySection(variant: DeployVariant = {}): string {
  const contexts = JSON.stringify(variant.requiredContexts ?? []);
  return [
    "deploy:",
    "  environments: { staging: staging, production: production }",
    `  promote: ${variant.promote ?? "auto"}`,
    `  required_contexts: ${contexts}`,
    "  monitor:",
    `    minutes: ${variant.minutes ?? 60}`,
    '    signals: { checks: ["smoke-test*"], labels: ["regression"] }',
    `  rollback: { revert_pr: ${variant.revertPr ?? false} }`,
    "",
  ].join("\n");
}

/** The demo's policy with `deploy:` replaced (null: no `deploy:` section at all). */
export function demoPolicy(deploy: DeployVariant | null): string {
  const at = POLICY.indexOf("\ndeploy:\n");
  if (at < 0) throw new Error("the demo policy has no deploy: section any more");
  return `${POLICY.slice(0, at + 1)}${deploy ? deploySection(deploy) : ""}`;
}

/** An admin pushes a new `.github/hotfix.yml` to main; the app sees the push. */
export async function pushPolicy(run: AppScenario, policy: string): Promise<void> {
  await run.demo.repo.push(
    "main",
    { ".github/hotfix.yml": policy },
    "Change the hotfix policy",
    PEOPLE.releaser,
  );
  await settled(run);
}

// ——— What people do, then wait for the app ———

export async function say(
  run: AppScenario,
  who: string,
  pr: number,
  body: string,
): Promise<Comment> {
  const made = run.demo.repo.comment(who, pr, body);
  await settled(run);
  return made;
}

/** The deployer reports on a deployment (what a deploy workflow posts back). */
export async function report(
  run: AppScenario,
  deployment: Deployment,
  state: "in_progress" | "success" | "failure" | "error",
  description?: string,
): Promise<void> {
  run.demo.repo.reportDeployment(PEOPLE.deployer, deployment.id, state, {
    logUrl: `https://deploy.acme.example/runs/${deployment.id}`,
    ...(description ? { description } : {}),
  });
  await settled(run);
}

// ——— What the app left on GitHub ———

export const botLogin = (run: AppScenario) => run.standIn.hub.botLogin();

/** The app's comments on an issue or PR, oldest first. */
export function botComments(run: AppScenario, number: number): Comment[] {
  return [...run.demo.repo.state.comments.values()]
    .filter((c) => c.issue === number && c.user === botLogin(run))
    .sort((a, b) => a.id - b.id);
}

const TRACKING = "<!-- hotfix-bot:tracking -->";
const NOTICE = /<!-- hotfix-bot:notice ([^\s>]+) -->/;

export function trackingComments(run: AppScenario, pr: number): Comment[] {
  return botComments(run, pr).filter((c) => c.body.startsWith(TRACKING));
}

export function trackingBody(run: AppScenario, pr: number): string {
  const found = trackingComments(run, pr);
  if (found.length !== 1) throw new Error(`${found.length} tracking comments on #${pr}`);
  return (found[0] as Comment).body;
}

const ICONS: Record<string, string> = {
  "⬜": "pending",
  "⏳": "running",
  "✅": "done",
  "❌": "failed",
  "➖": "skipped",
};

export interface ShownStage {
  state: string;
  text: string;
}

/** The tracking comment's lines by title: `Merged`, `Deploy to staging`, `Monitoring` … */
export function stages(run: AppScenario, pr: number): Record<string, ShownStage> {
  const shown: Record<string, ShownStage> = {};
  for (const match of trackingBody(run, pr).matchAll(
    /^- \[[ x]\] (\S+) \*\*(.+?)\*\* — (.*)$/gmu,
  )) {
    const [, icon = "", title = "", text = ""] = match;
    shown[title] = { state: ICONS[icon] ?? icon, text };
  }
  return shown;
}

/** The keys of the notices the app posted on the PR, in order. */
export function notices(run: AppScenario, pr: number): string[] {
  return botComments(run, pr).flatMap((c) => {
    const key = NOTICE.exec(c.body)?.[1];
    return key ? [key] : [];
  });
}

/** The app's replies: neither the tracking comment nor a notice. */
export function replies(run: AppScenario, pr: number): string[] {
  return botComments(run, pr)
    .filter((c) => !c.body.startsWith(TRACKING) && !NOTICE.test(c.body))
    .map((c) => c.body);
}

/** The app's reactions to a comment. */
export function reactionsTo(run: AppScenario, comment: Comment): string[] {
  const now = run.demo.repo.state.comments.get(comment.id);
  return (now?.reactions ?? []).filter((r) => r.user === botLogin(run)).map((r) => r.content);
}

export function deployments(run: AppScenario, environment?: string): Deployment[] {
  return run.demo.repo.state.deployments
    .filter((d) => environment === undefined || d.environment === environment)
    .sort((a, b) => a.id - b.id);
}

/** The one deployment of an environment (fails the test if there are several or none). */
export function onlyDeployment(run: AppScenario, environment: string): Deployment {
  const found = deployments(run, environment);
  if (found.length !== 1)
    throw new Error(`${found.length} deployments to ${environment}, expected exactly one`);
  return found[0] as Deployment;
}

/** A mark in the request log: `writesSince(run, mark)` lists what the app wrote after it. */
export const mark = (run: AppScenario) => run.standIn.requests.length;

/** The app's writes after `from` (not reads, not the token exchange). */
export function writesSince(run: AppScenario, from: number): RecordedRequest[] {
  return run.standIn.requests
    .slice(from)
    .filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"));
}

/** The writes as `METHOD route`, for readable expectations. */
export const routesOf = (requests: readonly RecordedRequest[]) =>
  requests.map((r) => `${r.method} ${r.route ?? r.path}`);

/** The webhooks sent after `from` (an index into `run.sent`) matching `event` and `action`. */
export function sentSince(
  run: AppScenario,
  from: number,
  event: string,
  action?: string,
): WebhookEvent[] {
  return run.sent
    .slice(from)
    .filter((e) => e.name === event && (action === undefined || e.payload.action === action));
}

/**
 * Runs `act` while GitHub delivers no `event` webhooks to the app (as when its webhook URL was
 * down): what happens meanwhile reaches the app only through later events, or the sweep.
 */
export async function withoutDeliveries(
  run: AppScenario,
  event: string,
  act: () => Promise<unknown> | unknown,
): Promise<void> {
  const target = {
    url: run.app.webhookUrl,
    secret: run.credentials.webhookSecret,
    appId: run.credentials.appId,
  };
  run.standIn.connectReplicas([target], { route: (d) => (d.event === event ? [] : [0]) });
  try {
    await act();
    await settled(run);
  } finally {
    run.standIn.connectApp(target);
  }
}

/** A Probot authenticated as the App on the stand-in, as `hotfix-bot sweep` makes one. */
export function probotFor(run: AppScenario): Probot {
  return new Probot({
    appId: run.credentials.appId,
    privateKey: run.credentials.privateKey,
    baseUrl: run.standIn.enterpriseUrl,
    Octokit: UnthrottledOctokit,
    log: pino({ level: "silent" }),
  });
}

/** GitHub delivers a webhook again (a redelivery: the same payload, once more). */
export async function redeliver(run: AppScenario, event: WebhookEvent): Promise<void> {
  run.standIn.webhooks.send({ name: event.name, payload: structuredClone(event.payload) });
  await settled(run);
}
