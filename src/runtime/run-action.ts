/**
 * Runs the app once for the event that started a GitHub Actions workflow, with the workflow's
 * token: what @probot/adapter-github-actions does, on Probot 14 (that adapter, 4.0.3, creates
 * its own Probot 13). No server, no webhook secret, no private key: the event comes from
 * GITHUB_EVENT_PATH and every request is made with the token.
 */
import { readFileSync } from "node:fs";
import { Probot, type ApplicationFunction, type ProbotOctokit } from "probot";
import type { AppConfig } from "../events/delivery.js";
import { toAppEvent } from "./action-event.js";

type Env = Record<string, string | undefined>;
type ReceivedEvent = Parameters<Probot["receive"]>[0];

export interface ActionRunOptions {
  /** Tests pass an Octokit with retries off. */
  Octokit?: typeof ProbotOctokit;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
}

/** Returns the process exit code: 0 done, 1 failed (the workflow run shows it red). */
export async function runAction(
  env: Env,
  createApp: (config: AppConfig) => ApplicationFunction,
  options: ActionRunOptions = {},
): Promise<number> {
  const token = env.INPUT_TOKEN || env.GITHUB_TOKEN;
  const missing = ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"].filter((name) => !env[name]);
  if (!token || missing.length > 0) {
    console.error(
      `hotfix-bot: ${!token ? "no token: pass `token` to the action (or GITHUB_TOKEN); " : ""}` +
        `${missing.length ? `not running in GitHub Actions (${missing.join(", ")} unset)` : ""}`,
    );
    return 1;
  }
  const appId = Number(env.HOTFIX_APP_ID);
  const probot = new Probot({
    githubToken: token,
    // Set by the runner: https://api.github.com, or https://<host>/api/v3 on GitHub Enterprise.
    baseUrl: env.GITHUB_API_URL || "https://api.github.com",
    logLevel: options.logLevel ?? (env.LOG_LEVEL as ActionRunOptions["logLevel"]) ?? "info",
    ...(options.Octokit && { Octokit: options.Octokit }),
  });
  // With GITHUB_TOKEN the bot writes as GitHub Actions, like CI: its own runs are known by name.
  await probot.load(
    createApp({
      appId: Number.isInteger(appId) && appId > 0 ? appId : null,
      answerWithinMs: Infinity,
    }),
  );
  const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH as string, "utf8"));
  const event = toAppEvent(env.GITHUB_EVENT_NAME as string, payload);
  try {
    await probot.receive({
      id: `${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
      ...event,
    } as ReceivedEvent);
    return 0;
  } catch (error) {
    probot.log.error({ err: error }, `hotfix-bot: ${event.name} failed`);
    return 1;
  }
}
