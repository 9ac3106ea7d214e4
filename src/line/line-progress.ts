/**
 * Pure: how far a merged hotfix is through its release, as a line released one hotfix at a time
 * (`concurrency: one_per_line`) sees it. A hotfix holds its line from its merge until it is
 * tagged and published — and, with a `deploy:` policy, until it is through production and its
 * monitoring window (closed clean, failed, or rolled back). Judged from the hotfix's record,
 * which is derived from GitHub, so every replica, the sweep and the gate agree.
 */
import { firstSuccess, latestReported, progressOf } from "../record/deployment-state.js";
import type { HotfixRecord } from "../record/schema.js";
import { formatTime } from "../record/stage-text.js";
import { PROMOTE_COMMAND } from "../commands/names.js";

export type LineProgress =
  { state: "open" } | { state: "releasing"; what: string } | { state: "through"; what: string };

const short = (sha: string) => sha.slice(0, 7);

export function lineProgress(record: HotfixRecord): LineProgress {
  if (!record.merged) return { state: "open" };
  const tag = record.tag;
  if (!tag) return releasing(`merged as ${short(record.merged.sha)}, not released yet`);
  if (!record.release) return releasing(`tagged ${tag.name}, not published yet`);
  const deploy = record.deploy;
  if (deploy.kind !== "on") return through(`released as ${tag.name}`);
  const closed = record.stored.window;
  if (closed) return through(`${tag.name}'s monitoring window closed (${closed.state})`);
  const window = deploy.window;
  if (window?.state === "clean" || window?.state === "failed")
    return through(`${tag.name}'s monitoring window ended (${window.state})`);

  const production = deploy.production;
  if (production) {
    if (window?.state === "open")
      return releasing(
        `${tag.name} in production, monitoring until ${formatTime(window.closesAt)}`,
      );
    const progress = progressOf(latestReported(production.statuses));
    if (progress === "failed" && !firstSuccess(production.statuses))
      return through(`${tag.name} failed in production`);
    return releasing(`deploying ${tag.name} to production`);
  }
  const staging = deploy.staging;
  if (!staging) return releasing(`released as ${tag.name}, not deployed yet`);
  switch (progressOf(latestReported(staging.statuses))) {
    case "failed":
      return releasing(`${tag.name}'s staging deployment failed`);
    case "success":
      return releasing(
        deploy.promote === "manual"
          ? `${tag.name} on staging, waiting for ${PROMOTE_COMMAND}`
          : `promoting ${tag.name} to production`,
      );
    default:
      return releasing(`deploying ${tag.name} to staging`);
  }
}

const releasing = (what: string): LineProgress => ({ state: "releasing", what });
const through = (what: string): LineProgress => ({ state: "through", what });
