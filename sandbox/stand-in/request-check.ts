/**
 * ── THE OPENAPI HOOK POINT ──────────────────────────────────────────────────────────────────
 * Every request the stand-in receives goes through the checker loaded here. When
 * `test/openapi/check-request.ts` exists it must export
 *     checkRequest({ method, url, body }) => string[]   // the request's violations, [] if none
 * and the stand-in records what it returns (`standIn.violations`, and `standIn.problems()`).
 * Until that file exists there is no checker and nothing is recorded. A file that exists but
 * cannot be loaded, or lacks `checkRequest`, is an error — never a silent pass.
 * `url` is the path and query as GitHub.com would see them (any `/api/v3` prefix removed).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface CheckedRequest {
  method: string;
  url: string;
  body: unknown;
}

export type RequestChecker = (request: CheckedRequest) => string[];

export const DEFAULT_CHECKER_PATH = fileURLToPath(
  new URL("../../test/openapi/check-request.ts", import.meta.url),
);

export async function loadRequestChecker(
  path = DEFAULT_CHECKER_PATH,
): Promise<RequestChecker | null> {
  if (!existsSync(path)) return null;
  const loaded = (await import(path)) as { checkRequest?: unknown };
  if (typeof loaded.checkRequest !== "function") {
    throw new Error(`${path} exists but does not export checkRequest({ method, url, body })`);
  }
  return loaded.checkRequest as RequestChecker;
}
