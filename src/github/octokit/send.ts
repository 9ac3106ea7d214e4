/**
 * Every Octokit call of the adapter goes through `send`: it turns Octokit's RequestError into a
 * GitHubError, and waits out GitHub's secondary rate limit (403/429 with `retry-after`), which
 * Probot's throttling plugin only logs.
 */
import { GitHubError } from "../errors.js";

export interface SendOptions {
  /** How to wait; tests pass a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait we accept for one retry before failing with the limit's message. */
  maxWaitSeconds?: number;
  retries?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export function retryAfterSeconds(error: OctokitLikeError): number | undefined {
  const status = error.status;
  if (status !== 403 && status !== 429) return undefined;
  const headers = error.response?.headers ?? {};
  const retryAfter = headers["retry-after"];
  if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) return Number(retryAfter);
  if (/secondary rate limit/i.test(error.message ?? "")) return 60;
  if (headers["x-ratelimit-remaining"] === "0" || headers["x-ratelimit-remaining"] === 0) {
    const reset = Number(headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset)) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  }
  return undefined;
}

export async function send<T>(
  route: string,
  call: () => Promise<T>,
  options: SendOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const maxWait = options.maxWaitSeconds ?? 60;
  let retriesLeft = options.retries ?? 3;
  for (;;) {
    try {
      return await call();
    } catch (raw) {
      const error = raw as OctokitLikeError;
      if (typeof error?.status !== "number") throw raw;
      const wait = retryAfterSeconds(error);
      if (wait !== undefined && wait <= maxWait && retriesLeft > 0) {
        retriesLeft--;
        await sleep(wait * 1000);
        continue;
      }
      throw new GitHubError(describe(error), error.status, route, wait);
    }
  }
}

function describe(error: OctokitLikeError): string {
  const data = error.response?.data as { message?: string; errors?: unknown[] } | undefined;
  const details = Array.isArray(data?.errors)
    ? data.errors
        .map((e) =>
          typeof e === "string" ? e : ((e as { message?: string }).message ?? JSON.stringify(e)),
        )
        .join("; ")
    : "";
  let message = data?.message ?? error.message ?? "request failed";
  // GitHub's 502/503 answers are an HTML page ("Unicorn!"), not JSON: no use in a message.
  if (/<!doctype html|<html/i.test(message)) message = "GitHub's error page (no details)";
  return details ? `${message} (${details})` : message;
}
