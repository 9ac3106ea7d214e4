/**
 * What the in-memory route modules share: the repository a request names, its JSON body, who
 * sent it (the App's bot for an installation token), and GitHub's pagination (`per_page`,
 * `page` and a `Link` header with `rel="next"`, which Octokit's paginate follows).
 */
import type { RepoState } from "../model.js";
import {
  HttpError,
  notFound,
  type Reply,
  type RouteContext,
  type StandInWorld,
} from "../router.js";

export const REPO = "/repos/{owner}/{repo}";

export function repoOf(world: StandInWorld, context: RouteContext): RepoState {
  const repo = world.hub.repo(context.params.owner ?? "", context.params.repo ?? "");
  if (!repo) throw notFound();
  return repo;
}

export function bodyOf(context: RouteContext): Record<string, unknown> {
  const body = context.body ?? {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "Problems parsing JSON");
  }
  return body as Record<string, unknown>;
}

/** The login a request acts as: the App's bot for an installation token (or no token at all). */
export function callerOf(world: StandInWorld, _context: RouteContext): string {
  return world.hub.botLogin();
}

export function numberParam(context: RouteContext, name: string): number {
  const value = Number(context.params[name]);
  if (!Number.isInteger(value) || value <= 0) throw notFound();
  return value;
}

/** One page of `items` as GitHub pages lists, with the `Link` header Octokit follows. */
export function paged<T>(context: RouteContext, items: readonly T[], maxPerPage = 100): Reply {
  const perPage = Math.min(
    maxPerPage,
    Math.max(1, Number(context.query.get("per_page") ?? 30) || 30),
  );
  const page = Math.max(1, Number(context.query.get("page") ?? 1) || 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const query = new URLSearchParams(context.query);
    query.set("per_page", String(perPage));
    query.set("page", String(n));
    return `<${context.apiUrl}${decodeURIComponent(context.path)}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
  return {
    status: 200,
    body: slice,
    ...(links.length > 0 ? { headers: { link: links.join(", ") } } : {}),
  };
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new HttpError(
      422,
      `Invalid request.\n\nFor '${field}', ${JSON.stringify(value)} is not a string.`,
    );
  }
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === "") {
    throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  }
  return value;
}

export function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new HttpError(422, `Invalid request.\n\n"${field}" is not an array.`);
  return value.map((v) => {
    if (typeof v === "string") return v;
    if (v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string") {
      return (v as { name: string }).name;
    }
    throw new HttpError(422, `Invalid request.\n\n"${field}" must hold strings.`);
  });
}
