/**
 * No write to GitHub without the lock. Installed once on an Octokit, this hook checks every
 * lease the calling code holds before each request that changes something, so a holder that
 * lost its lock (it stalled past the expiry and another replica took the hotfix over) fails at
 * its next write instead of writing over the new holder's work. Reads go through: reading
 * stale is harmless, the decision built on it cannot be written.
 *
 * Typed by shape, so that this folder never imports Octokit or Probot.
 */
import { currentLeases } from "./lease-context.js";

export interface HookableOctokit {
  hook: {
    before(name: "request", fn: (options: { method?: string }) => Promise<void> | void): void;
  };
}

const READS = new Set(["GET", "HEAD"]);

export function guardWrites(octokit: HookableOctokit): void {
  octokit.hook.before("request", async (options) => {
    if (READS.has((options.method ?? "GET").toUpperCase())) return;
    for (const lease of currentLeases()) await lease.assertHeld();
  });
}
