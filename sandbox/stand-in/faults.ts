/**
 * Fault injection on any endpoint, N times: an error status (500, 502 — GitHub's is an HTML
 * page —, or any other), GitHub's secondary rate limit (403 with `retry-after`), latency, or a
 * dropped connection — before the route ran (nothing happened) or after it ran (it happened,
 * the answer is lost: the nastiest case for a client that must not do things twice).
 *
 *   standIn.fault({ method: "POST", route: "/repos/{owner}/{repo}/releases", kind: { status: 502 } });
 *   standIn.fault({ match: (r) => r.method !== "GET", after: 3, kind: { drop: "after" } });
 */
import type { InterceptedRequest, Interceptor } from "./server.js";
import type { Reply } from "./router.js";

export type FaultKind =
  | { status: number; message?: string }
  | { secondaryRateLimit: true; retryAfterSeconds: number }
  | { latencyMs: number }
  | { drop: "before" | "after" };

export interface FaultSpec {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only this route template (`/repos/{owner}/{repo}/releases`) or paths matching this pattern. */
  route?: string | RegExp;
  /** Only requests this says yes to. */
  match?: (request: InterceptedRequest) => boolean;
  /** How many times it fires (default 1). */
  times?: number;
  /** Let this many matching requests through first. */
  after?: number;
  kind: FaultKind;
}

export interface Fault {
  readonly spec: FaultSpec;
  /** The requests it fired on. */
  readonly fired: InterceptedRequest[];
  /** Stops it (also done automatically once it has fired `times` times). */
  remove: () => void;
}

const BAD_GATEWAY = `<!DOCTYPE html>
<html><head><title>Unicorn! · GitHub</title></head>
<body><p>We had issues producing the response to your request. Sorry about that.</p></body></html>
`;

export function faultInterceptor(spec: FaultSpec): { interceptor: Interceptor; fault: Fault } {
  let skip = spec.after ?? 0;
  let left = spec.times ?? 1;
  const fault: Fault = { spec, fired: [], remove: () => undefined };
  const applies = (request: InterceptedRequest) => {
    if (spec.method && spec.method.toUpperCase() !== request.method) return false;
    if (typeof spec.route === "string" && spec.route !== request.route) return false;
    if (spec.route instanceof RegExp && !spec.route.test(request.path)) return false;
    return spec.match ? spec.match(request) : true;
  };
  const interceptor: Interceptor = async (request) => {
    if (left <= 0 || !applies(request)) return undefined;
    if (skip > 0) {
      skip--;
      return undefined;
    }
    left--;
    fault.fired.push(request);
    if (left === 0) fault.remove();
    return replyFor(spec.kind);
  };
  return { interceptor, fault };
}

async function replyFor(kind: FaultKind): Promise<Reply | undefined> {
  if ("latencyMs" in kind) {
    await new Promise((resolve) => setTimeout(resolve, kind.latencyMs));
    return undefined;
  }
  if ("drop" in kind) return { status: 0, drop: kind.drop };
  if ("secondaryRateLimit" in kind) {
    return {
      status: 403,
      headers: { "retry-after": String(kind.retryAfterSeconds) },
      body: {
        message:
          "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID STANDIN.",
        documentation_url:
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        status: "403",
      },
    };
  }
  if (kind.status === 502) {
    return {
      status: 502,
      headers: { "content-type": "text/html; charset=utf-8" },
      raw: BAD_GATEWAY,
    };
  }
  return {
    status: kind.status,
    body: { message: kind.message ?? (kind.status >= 500 ? "Server Error" : "Injected fault") },
  };
}
