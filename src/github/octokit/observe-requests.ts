/**
 * Reports every GitHub request an Octokit makes — its route template, the HTTP status and the
 * rate limit GitHub says is left — to an observer (the metrics). An Octokit hook, so nothing
 * in the adapter has to remember to report.
 */
import type { Octokit } from "./types.js";

export interface ObservedRequest {
  method: string;
  /** "GET /repos/{owner}/{repo}/pulls/{pull_number}": the same for every repository. */
  route: string;
  /** HTTP status, or "network" when no answer came. */
  status: number | "network";
  rateLimit?: { remaining: number; resource: string };
}

type Headers = Record<string, string | number | undefined>;

interface EndpointOptions {
  method?: string;
  url?: string;
}

const SHA = /^[0-9a-f]{40}$/i;

/**
 * A route label from the request's URL. Octokit passes the template ("/repos/{owner}/{repo}")
 * for ordinary calls, but the full URL GitHub gave for a next page: that one is turned back
 * into a template, so the metric does not get one series per repository and page.
 */
export function routeOf(method: string, url: string): string {
  let path = url;
  if (/^https?:\/\//i.test(path)) {
    path = new URL(path).pathname.replace(/^\/api\/v3(?=\/)/, "");
    const segments = path.split("/");
    if (segments[1] === "repos" && segments.length > 3) {
      segments[2] = "{owner}";
      segments[3] = "{repo}";
    }
    path = segments.map((s) => (/^\d+$/.test(s) ? "{id}" : SHA.test(s) ? "{sha}" : s)).join("/");
  }
  return `${method.toUpperCase()} ${path.split("?")[0]}`;
}

function rateLimitOf(headers: Headers | undefined): ObservedRequest["rateLimit"] {
  const remaining = Number(headers?.["x-ratelimit-remaining"]);
  if (headers?.["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining))
    return undefined;
  return { remaining, resource: String(headers["x-ratelimit-resource"] ?? "core") };
}

export function observeRequests(octokit: Octokit, observe: (request: ObservedRequest) => void) {
  octokit.hook.wrap("request", async (request, options) => {
    const { method = "GET", url = "" } = options as EndpointOptions;
    const route = routeOf(method, url);
    try {
      const response = await request(options);
      const rateLimit = rateLimitOf(response.headers as Headers);
      observe({ method, route, status: response.status, ...(rateLimit && { rateLimit }) });
      return response;
    } catch (error) {
      const failed = error as { status?: number; response?: { headers?: Headers } };
      const rateLimit = rateLimitOf(failed.response?.headers);
      observe({
        method,
        route,
        status: typeof failed.status === "number" ? failed.status : "network",
        ...(rateLimit && { rateLimit }),
      });
      throw error;
    }
  });
}
