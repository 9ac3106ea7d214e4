/**
 * One POST to a receiver, with bounded retries: a network error, a timeout, 429 or a 5xx is
 * tried again after each of `delaysMs` (default 1 s, 4 s: three attempts); any other 4xx is not
 * (the URL or the payload is wrong, repeating will not help). Never throws: it says how it ended.
 *
 * The generic webhook is signed like GitHub's own deliveries: `X-Hotfix-Bot-Signature-256:
 * sha256=<hex HMAC-SHA256 of the raw body, keyed with the receiver's secret>`.
 */
import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "x-hotfix-bot-signature-256";
export const DELIVERY_HEADER = "x-hotfix-bot-delivery";
export const EVENT_HEADER = "x-hotfix-bot-event";

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export type SendOutcome =
  { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

export async function postJson(
  url: string,
  body: Record<string, unknown>,
  options: {
    headers?: Record<string, string>;
    secret?: string;
    delaysMs: readonly number[];
    timeoutMs: number;
  },
): Promise<SendOutcome> {
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== "https:" && target.protocol !== "http:") throw new Error("scheme");
  } catch {
    return {
      ok: false,
      attempts: 0,
      reason: "its URL in the app's environment is not an http(s) URL",
    };
  }
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "hotfix-bot",
    ...options.headers,
    ...(options.secret ? { [SIGNATURE_HEADER]: signBody(options.secret, raw) } : {}),
  };
  let reason = "";
  const attempts = options.delaysMs.length + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(target, {
        method: "POST",
        headers,
        body: raw,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt };
      reason = `HTTP ${response.status}`;
      if (response.status !== 429 && response.status < 500)
        return { ok: false, attempts: attempt, reason };
    } catch (error) {
      const e = error as Error;
      reason =
        e.name === "TimeoutError"
          ? `no answer within ${options.timeoutMs} ms`
          : `unreachable (${(e as { cause?: { code?: string } }).cause?.code ?? e.message})`;
    }
    const delay = options.delaysMs[attempt - 1];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { ok: false, attempts, reason: `${reason} after ${attempts} attempts` };
}
