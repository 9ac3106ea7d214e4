/**
 * The endpoints and secrets of Prometheus servers and notification receivers, read from the
 * app's environment by the keys the policy names — the policy only names keys, so someone with
 * write access to a repository cannot point hotfix-bot at a server or read a secret.
 *
 *   HOTFIX_PROMETHEUS_<KEY>_URL, HOTFIX_PROMETHEUS_<KEY>_TOKEN (optional bearer token)
 *   HOTFIX_NOTIFY_<KEY>_URL, HOTFIX_NOTIFY_<KEY>_SECRET, HOTFIX_NOTIFY_<KEY>_ROUTING_KEY
 *   HOTFIX_PAGERDUTY_EVENTS_URL (default PagerDuty's change-event endpoint)
 *
 * `<KEY>` is the policy's key in upper case with `-` written `_` (`payments-oncall` →
 * `PAYMENTS_ONCALL`).
 */
export const PAGERDUTY_CHANGE_URL = "https://events.pagerduty.com/v2/change/enqueue";

export interface Integrations {
  prometheus(key: string): { url: string; token?: string } | { missing: string };
  receiver(key: string): { url?: string; secret?: string; routingKey?: string };
  pagerDutyUrl: string;
  /** Delays between delivery attempts (ms); tests make them short. */
  retryDelaysMs: readonly number[];
  /** How long one attempt (a query, a delivery) may take. */
  timeoutMs: number;
}

type Env = Record<string, string | undefined>;

export const envName = (prefix: string, key: string, suffix: string) =>
  `${prefix}_${key.toUpperCase().replace(/-/g, "_")}_${suffix}`;

export function integrationsFromEnv(env: Env): Integrations {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const delays = get("HOTFIX_NOTIFY_RETRY_DELAYS_MS");
  const timeout = Number(get("HOTFIX_INTEGRATION_TIMEOUT_MS") ?? 5000);
  return {
    prometheus(key) {
      const name = envName("HOTFIX_PROMETHEUS", key, "URL");
      const url = get(name);
      if (!url) return { missing: `${name} is not set in the app's environment` };
      const token = get(envName("HOTFIX_PROMETHEUS", key, "TOKEN"));
      return token ? { url, token } : { url };
    },
    receiver(key) {
      const url = get(envName("HOTFIX_NOTIFY", key, "URL"));
      const secret = get(envName("HOTFIX_NOTIFY", key, "SECRET"));
      const routingKey = get(envName("HOTFIX_NOTIFY", key, "ROUTING_KEY"));
      return {
        ...(url ? { url } : {}),
        ...(secret ? { secret } : {}),
        ...(routingKey ? { routingKey } : {}),
      };
    },
    pagerDutyUrl: get("HOTFIX_PAGERDUTY_EVENTS_URL") ?? PAGERDUTY_CHANGE_URL,
    retryDelaysMs: delays
      ? delays.split(",").map((d) => Math.max(0, Math.min(60_000, Number(d) || 0)))
      : [1000, 4000],
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 30_000) : 5000,
  };
}

/** The step context's integrations, or the app's environment's. */
export function integrationsOf(ctx: { integrations?: Integrations | undefined }): Integrations {
  return ctx.integrations ?? integrationsFromEnv(process.env);
}
