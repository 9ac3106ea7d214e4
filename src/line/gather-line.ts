/**
 * Reads what `concurrency: one_per_line` decides from: which merged hotfixes of a target
 * branch's line are still being released, and which hotfix PRs are open on it. The same for
 * every PR into that branch, so a caller re-evaluating several of them reads it once.
 *
 * What is read, and its bound:
 * - the line's latest release (the tag names: 1 request; on a branch that is not a release line,
 *   up to 20 reachability probes, as the version choice makes) and the commit it tags (1–2);
 * - the open PRs into the branch (1 per 100) and the `CLOSED_LOOKBACK` most recently updated
 *   closed ones (1) — a hotfix merged before those were last updated is not seen;
 * - the commits on the branch since the latest release (1; GitHub lists up to 250): a merged
 *   hotfix whose merge commit is among them is "merged, not released yet";
 * - for the hotfix of the latest release, if it is one of those closed PRs: its comments (1),
 *   whose stored block says whether its monitoring window closed; if not, its release (1–2) or,
 *   with `deploy:`, its hotfix record (about 10 more: the tag, the release, the deployments and
 *   their statuses, the window's signals — see src/record/derive.ts).
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import { readComments } from "../record/comment.js";
import { deriveRecord } from "../record/derive.js";
import { readStoredBlock } from "../record/stored-block.js";
import { latestReleaseOf } from "./latest-release.js";
import { lineProgress } from "./line-progress.js";
import type { LineSnapshot, Releasing } from "./snapshot.js";

/** Closed PRs into the branch looked at for merged hotfixes. */
export const CLOSED_LOOKBACK = 50;

export interface LineContext {
  github: GitHubPort;
  policy: Policy;
  /** Whether a PR is a hotfix (the policy's recognition). */
  isHotfix: (pull: PullRequest) => boolean;
  now: Date;
  ownAppId: number | null;
}

const short = (sha: string) => sha.slice(0, 7);

export async function gatherLine(ctx: LineContext, base: string): Promise<LineSnapshot> {
  const { github, policy, isHotfix } = ctx;
  const [latest, open, closed] = await Promise.all([
    latestReleaseOf(github, base, policy),
    github.listPullsInto(base, { state: "open" }),
    github.listPullsInto(base, { state: "closed", limit: CLOSED_LOOKBACK }),
  ]);
  const merged = closed.filter((p) => p.merged && p.mergeCommitSha !== null && isHotfix(p));
  const releasing: Releasing[] = [];
  if (latest) {
    const [tagged, since] = await Promise.all([
      github.getTag(latest.tag),
      github.commitsBetween(latest.tag, base),
    ]);
    const ofLatest = tagged && merged.find((p) => p.mergeCommitSha === tagged.commitSha);
    if (ofLatest) {
      const progress = await progressOfReleased(ctx, ofLatest, latest.tag);
      if (progress) releasing.push({ pr: ofLatest.number, what: progress });
    }
    const order = new Map((since?.shas ?? []).map((sha, i) => [sha, i]));
    const unreleased = merged
      .filter((p) => order.has(p.mergeCommitSha as string))
      .sort(
        (a, b) =>
          (order.get(a.mergeCommitSha as string) as number) -
          (order.get(b.mergeCommitSha as string) as number),
      );
    for (const p of unreleased)
      releasing.push({
        pr: p.number,
        what: `merged as ${short(p.mergeCommitSha as string)}, not released yet`,
      });
  }
  return {
    base,
    releasing,
    open: open
      .filter((p) => !p.draft && isHotfix(p))
      .map((p) => p.number)
      .sort((a, b) => a - b),
  };
}

/** Where the hotfix released as `tag` stands while it still holds the line; null once through. */
async function progressOfReleased(
  ctx: LineContext,
  pull: PullRequest,
  tag: string,
): Promise<string | null> {
  const { github, policy } = ctx;
  const comments = readComments(await github.listComments(pull.number));
  if (comments.tracking && readStoredBlock(comments.tracking.body).window) return null;
  if (!policy.deploy) {
    return (await github.findRelease(tag)) ? null : `tagged ${tag}, not published yet`;
  }
  const { record } = await deriveRecord(
    { github, policy, now: ctx.now, ownAppId: ctx.ownAppId },
    pull.number,
    { comments, hints: { tag } },
  );
  const progress = lineProgress(record);
  return progress.state === "releasing" ? progress.what : null;
}
