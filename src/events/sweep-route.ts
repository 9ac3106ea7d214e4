/**
 * `POST /hotfix-bot/sweep`: a scheduler's way to close monitoring windows no event arrives for
 * (see src/deploy/sweep-repository.ts). Registered only when SWEEP_TOKEN is set, and answered
 * only with `Authorization: Bearer <SWEEP_TOKEN>`: the sweep spends the app's API quota, so not
 * anyone may trigger it. One sweep at a time per process; a second call meanwhile gets 409.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { forEachInstalledRepository } from "../github/octokit/installations.js";
import { sweepInstalled } from "../sweep/sweep-installed.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";
import type { HttpCache } from "../github/octokit/conditional-requests.js";

export const SWEEP_PATH = "/hotfix-bot/sweep";

export interface SweepRouteConfig {
  token: string;
  appId: number | null;
  locks: HotfixLocks;
  /** The app's conditional-request cache: a sweep every few minutes re-reads much the same. */
  httpCache?: HttpCache | null;
  now?: () => Date;
}

export function sweepRoute(probot: Probot, config: SweepRouteConfig) {
  let running = false;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== SWEEP_PATH) return false;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
      return true;
    };
    if (req.method !== "POST") return answer(405, { error: "use POST" }, { allow: "POST" });
    if (!sameSecret(req.headers.authorization ?? "", `Bearer ${config.token}`)) {
      return answer(401, { error: "missing or wrong Authorization: Bearer <SWEEP_TOKEN>" });
    }
    if (running) return answer(409, { error: "a sweep is already running" });
    running = true;
    try {
      const report = await sweepInstalled(
        (visit) =>
          forEachInstalledRepository(probot, null, visit, { httpCache: config.httpCache ?? null }),
        {
          ownAppId: config.appId,
          now: (config.now ?? (() => new Date()))(),
          locks: config.locks,
        },
      );
      probot.log.info(
        { sweep: report },
        `sweep: ${report.repositories} repositories, ${report.swept.length} with a deploy policy, ${report.errors.length} errors`,
      );
      return answer(report.errors.length > 0 ? 502 : 200, report);
    } catch (error) {
      probot.log.error({ err: error }, `sweep failed: ${(error as Error).message}`);
      return answer(502, { error: (error as Error).message });
    } finally {
      running = false;
    }
  };
}

/** Constant-time comparison; hashing first gives both sides the same length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Registers the route where there is an HTTP server. Under `probot.load` in tests, Lambda or
 * Actions there is none (Probot's `addHandler` throws "No server instance"): run the CLI's
 * `hotfix-bot sweep` from the scheduler instead.
 */
export function serveSweep(
  probot: Probot,
  options: Partial<ApplicationFunctionOptions> | undefined,
  config: SweepRouteConfig,
): boolean {
  if (typeof options?.addHandler !== "function") return false;
  try {
    options.addHandler(sweepRoute(probot, config));
    return true;
  } catch (error) {
    if (error instanceof Error && /no server instance/i.test(error.message)) return false;
    throw error;
  }
}
