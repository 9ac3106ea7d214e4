/**
 * Conditional requests: GitHub answers a GET whose `If-None-Match` names the ETag of its last
 * answer with `304 Not Modified` and no body, and does not count that against the
 * installation's rate limit (palantir/policy-bot keeps such a cache for the same reason). The
 * policy, team memberships, reviews, statuses and PRs a busy repository's events make the app
 * read again and again mostly have not changed since the last read.
 *
 * Every GET through an Octokit with this hook is sent with the ETag of the answer cached for
 * the same installation, URL (query included) and `Accept` header; a 304 is answered from the
 * cache. Nothing is ever served without asking GitHub: a cached answer is only trusted when
 * GitHub says, for that exact URL and token scope, that it has not changed. Writes are never
 * cached. The cache is bounded (least recently used answers go first) and lives in the process.
 */
import { LRUCache } from "lru-cache";
import type { Octokit } from "./types.js";

export interface CachedAnswer {
  etag: string;
  status: number;
  url: string;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

export type HttpCache = LRUCache<string, CachedAnswer>;

/** policy-bot's figure; a GitHub answer here is a few KB, so it holds thousands of them. */
export const DEFAULT_HTTP_CACHE_BYTES = 50 * 1024 * 1024;

export function createHttpCache(maxBytes = DEFAULT_HTTP_CACHE_BYTES): HttpCache {
  return new LRUCache<string, CachedAnswer>({
    maxSize: maxBytes,
    sizeCalculation: (answer, key) => key.length + answer.etag.length + sizeOf(answer.data) + 256,
  });
}

function sizeOf(data: unknown): number {
  if (data === undefined || data === null) return 0;
  return typeof data === "string" ? data.length : (JSON.stringify(data) ?? "").length;
}

interface Answer {
  status: number;
  url: string;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

/**
 * Installs the conditional requests on `octokit`. `scope` keeps tokens of different scopes
 * apart (the installation id: an ETag is valid for one token scope only). `onNotModified` is
 * told of every 304, for the delivery's count of what GitHub counted.
 */
export function conditionalRequests(
  octokit: Octokit,
  cache: HttpCache,
  scope: string,
  onNotModified: () => void = () => {},
): void {
  octokit.hook.wrap("request", async (request, options) => {
    if ((options.method ?? "GET").toUpperCase() !== "GET") return request(options);
    const parsed = octokit.request.endpoint.parse(options);
    const key = `${scope}\n${String(parsed.headers.accept ?? "")}\n${parsed.url}`;
    const cached = cache.get(key);
    // In place: Octokit's hooks are each bound to the request's one options object, so a copy
    // passed on would not reach the hooks inside this one (Probot's plugins add several).
    if (cached) options.headers = { ...options.headers, "if-none-match": cached.etag };
    try {
      const response = await request(options);
      const etag = response.headers.etag;
      if (typeof etag === "string" && response.status === 200) {
        // A copy: callers (Octokit's paginate among them) may change the answer they get.
        cache.set(key, { ...answerOf(response), etag });
      } else if (cached) {
        cache.delete(key);
      }
      return response;
    } catch (error) {
      if (cached && (error as { status?: number }).status === 304) {
        onNotModified();
        return answerOf(cached) as Awaited<ReturnType<typeof request>>;
      }
      throw error;
    }
  });
}

function answerOf(response: Answer): Answer {
  return {
    status: response.status,
    url: response.url,
    headers: { ...response.headers },
    data: structuredClone(response.data),
  };
}
