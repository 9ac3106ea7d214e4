/**
 * The app's settings, from the environment only (secrets are never read from a file in the
 * repository, the policy or the image). Probot itself reads APP_ID, PRIVATE_KEY(_PATH),
 * WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, PORT/HOST and LOG_*; this reads what hotfix-bot adds
 * and refuses settings that would silently weaken it.
 */
import type { AppConfig } from "./events/delivery.js";

/** Probot's fallback when WEBHOOK_SECRET is unset: public, so anyone could sign a delivery. */
const PROBOT_DEFAULT_SECRET = "development";
/** GitHub gives up after 10 s; a budget this close to it leaves nothing for the network. */
const MAX_ANSWER_WITHIN_MS = 9_000;

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env): AppConfig {
  const appId = Number(env.APP_ID);
  const config: AppConfig = { appId: Number.isInteger(appId) && appId > 0 ? appId : null };

  // Without a secret Probot verifies signatures against its public default, which is no check.
  const secret = env.WEBHOOK_SECRET ?? "";
  if (secret === "" || secret === PROBOT_DEFAULT_SECRET) {
    throw new ConfigError(
      `WEBHOOK_SECRET is ${secret === "" ? "not set" : `Probot's public default "${PROBOT_DEFAULT_SECRET}"`}: ` +
        "anyone could send deliveries the app would accept. Set it to the webhook secret of the " +
        "GitHub App's settings (e.g. `openssl rand -hex 32`, stored in both places).",
    );
  }

  const budget = env.HOTFIX_ANSWER_WITHIN_MS;
  if (budget !== undefined && budget !== "") {
    const ms = Number(budget);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_ANSWER_WITHIN_MS) {
      throw new ConfigError(
        `HOTFIX_ANSWER_WITHIN_MS must be a whole number of milliseconds from 0 to ${MAX_ANSWER_WITHIN_MS} (GitHub gives up after 10 s), got "${budget}"`,
      );
    }
    config.answerWithinMs = ms;
  }

  const cacheMb = env.HOTFIX_HTTP_CACHE_MB;
  if (cacheMb !== undefined && cacheMb !== "") {
    const mb = Number(cacheMb);
    if (!Number.isFinite(mb) || mb < 0 || mb > 4096) {
      throw new ConfigError(
        `HOTFIX_HTTP_CACHE_MB must be a number of megabytes from 0 (no cache) to 4096, got "${cacheMb}"`,
      );
    }
    config.httpCacheBytes = Math.round(mb * 1024 * 1024);
  }

  if (env.METRICS_TOKEN) config.metricsToken = env.METRICS_TOKEN;
  if (env.REDIS_URL?.trim()) config.redisUrl = env.REDIS_URL.trim();
  if (env.SWEEP_TOKEN) config.sweepToken = env.SWEEP_TOKEN;
  return config;
}
