/**
 * The first push to a branch `/start-hotfix` created opens its PR: to the line the start reply
 * names, titled like the issue, `Fixes #<issue>` in the body, the hotfix label, the pusher
 * assigned. Holding the issue's lock (as the start did), it looks for a PR from the branch in
 * any state first: a second push, a redelivery or a PR someone opened by hand opens nothing.
 * Only the bot's own start reply is believed, and only when its base is a release line of the
 * policy, so a comment written to look like one cannot aim a PR anywhere.
 */
import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { hotfixKey, type HotfixLocks } from "../lock/hotfix-lock.js";
import { releaseLineOf } from "../versions/tag-template.js";
import { issueOfStartBranch } from "./slug.js";
import { readStartMarker, type StartMarker } from "./start-text.js";

export interface OpenContext {
  github: GitHubPort;
  policy: Policy;
  locks: HotfixLocks;
  /** The app's own login (`<slug>[bot]`), when known: only its replies are believed. */
  botLogin: string | null;
}

export async function openStartedPull(
  ctx: OpenContext,
  push: { branch: string; pusher: string },
): Promise<string> {
  const { github, policy } = ctx;
  const number = issueOfStartBranch(push.branch);
  if (number === null) return "skipped: not a started branch";
  return ctx.locks.hold(hotfixKey(github.repo, number), async () => {
    const existing = await github.findPullByHead(push.branch, "all");
    if (existing) return `skipped: PR #${existing.number} exists for ${push.branch}`;
    const marker = await startReply(ctx, number, push.branch);
    if (!marker) return `skipped: ${push.branch} was not started by /start-hotfix on #${number}`;
    const issue = await github.getIssue(number);
    if (!issue || issue.isPull) return `skipped: #${number} is not an issue`;
    const label = policy.hotfix.labels[0] ?? "hotfix";
    const created = await github.createPull({
      head: push.branch,
      base: marker.base,
      title: issue.title,
      body: [
        `Fixes #${number}`,
        "",
        `Started from ${marker.tag} (${marker.sha.slice(0, 7)}), the latest release of \`${marker.base}\`, with \`/start-hotfix\`. Pushed by @${push.pusher}.`,
      ].join("\n"),
    });
    if (!created.created) return `not opened: ${created.reason}`;
    await github.updateIssue(created.pull.number, {
      labels: [label],
      ...(push.pusher.endsWith("[bot]") ? {} : { assignees: [push.pusher] }),
    });
    return `opened PR #${created.pull.number} from ${push.branch} to ${marker.base}`;
  });
}

async function startReply(
  ctx: OpenContext,
  issue: number,
  branch: string,
): Promise<StartMarker | null> {
  const comments = await ctx.github.listComments(issue);
  for (const comment of comments) {
    if (!comment.author.isBot) continue;
    if (ctx.botLogin && comment.author.login !== ctx.botLogin) continue;
    const marker = readStartMarker(comment.body);
    if (marker?.branch === branch && releaseLineOf(marker.base, ctx.policy.release.lines))
      return marker;
  }
  return null;
}
