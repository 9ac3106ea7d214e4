/**
 * The stand-in's route registry: method + path template → handler. A route module is a function
 * that registers its routes (`(router, world) => void`); add one per area of the API (pulls,
 * issues, checks, …) and pass it to `startStandIn({ modules })`.
 *
 * Templates use GitHub's doc syntax: `{name}` is one path segment, `{name+}` one or more (branch
 * names, refs and file paths contain slashes, and Octokit sends them either raw or as `%2F`).
 * When several templates match, the one with the most literal segments wins.
 */
import type { GitRepo } from "./git-repo.js";
import type { Hub } from "./hub.js";

export interface RouteContext {
  method: string;
  /** The path without the `/api/v3` prefix and query string, as received (still encoded). */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** Where the API lives for this request (with `/api/v3` when the client used it), for `url` fields. */
  apiUrl: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of JSON (GitHub's 502 is an HTML page), with `headers["content-type"]`. */
  raw?: string;
  /**
   * Fault injection only: end the connection without an answer, before the route runs
   * ("before": nothing happened) or after it ran ("after": it happened, the answer is lost).
   */
  drop?: "before" | "after";
}

export type Handler = (context: RouteContext) => Reply | Promise<Reply>;

/** Throw from a handler to answer with GitHub's error shape. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (message = "Not Found") => new HttpError(404, message);
export const unprocessable = (message: string, extra: Record<string, unknown> = {}) =>
  new HttpError(422, message, extra);

/** Shared state route modules may use: git repositories, and a store for in-memory modules. */
export interface StandInWorld {
  repo(owner: string, name: string): GitRepo | undefined;
  /** Free-form state for modules without git behind them (pull requests, issues, …). */
  store: Map<string, unknown>;
  /** The built-in GitHub model (issues, PRs, checks, releases, deployments) and its webhooks. */
  hub: Hub;
}

export type RouteModule = (router: Router, world: StandInWorld) => void;

interface Segment {
  literal?: string;
  param?: string;
  greedy?: boolean;
}

interface Route {
  method: string;
  template: string;
  segments: Segment[];
  literals: number;
  handler: Handler;
}

export interface Match {
  template: string;
  handler: Handler;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const segments = template
      .split("/")
      .filter(Boolean)
      .map((part): Segment => {
        const param = /^\{(\w+)(\+?)\}$/.exec(part);
        return param ? { param: param[1] ?? "", greedy: param[2] === "+" } : { literal: part };
      });
    const duplicate = this.routes.find((r) => r.method === method && r.template === template);
    if (duplicate) throw new Error(`stand-in: route ${method} ${template} registered twice`);
    this.routes.push({
      method: method.toUpperCase(),
      template,
      segments,
      literals: segments.filter((s) => s.literal !== undefined).length,
      handler,
    });
    return this;
  }

  get(template: string, handler: Handler): this {
    return this.add("GET", template, handler);
  }
  post(template: string, handler: Handler): this {
    return this.add("POST", template, handler);
  }
  patch(template: string, handler: Handler): this {
    return this.add("PATCH", template, handler);
  }
  put(template: string, handler: Handler): this {
    return this.add("PUT", template, handler);
  }
  delete(template: string, handler: Handler): this {
    return this.add("DELETE", template, handler);
  }

  has(method: string, template: string): boolean {
    return this.routes.some((r) => r.method === method.toUpperCase() && r.template === template);
  }

  /** The best route for a request, or null. Throws HttpError(400) on a badly encoded path. */
  match(method: string, path: string): Match | null {
    let parts: string[];
    try {
      parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new HttpError(400, `stand-in: badly encoded path ${path}`);
    }
    let best: { route: Route; params: Record<string, string> } | null = null;
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const params = matchSegments(route.segments, parts);
      if (params && (!best || route.literals > best.route.literals)) best = { route, params };
    }
    return best
      ? { template: best.route.template, handler: best.route.handler, params: best.params }
      : null;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | null {
  const [head, ...rest] = segments;
  if (!head) return parts.length === 0 ? {} : null;
  if (parts.length === 0) return null;
  if (head.literal !== undefined) {
    return head.literal === parts[0] ? matchSegments(rest, parts.slice(1)) : null;
  }
  const name = head.param ?? "";
  if (!head.greedy) {
    const params = matchSegments(rest, parts.slice(1));
    return params ? { [name]: parts[0] ?? "", ...params } : null;
  }
  // Greedy: take as many segments as still lets the rest of the template match.
  for (let take = parts.length; take >= 1; take--) {
    const params = matchSegments(rest, parts.slice(take));
    if (params) return { [name]: parts.slice(0, take).join("/"), ...params };
  }
  return null;
}
