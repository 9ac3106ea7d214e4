/**
 * `/start-hotfix [line or version]` on an issue: a branch `hotfix/<issue>-<slug>` created at the
 * latest release tag of the chosen line, and a reply saying how to check it out. Runs holding the
 * issue's lock (issues and PRs share their numbers, so the hotfix lock of the issue's number is
 * the issue's own), and reads before it writes: a branch that exists is reported, never moved,
 * and GitHub's atomic ref creation settles a race with another replica the same way. Every
 * refusal is a reply that says what to do; nothing is created then.
 */
import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { hotfixKey, type HotfixLocks } from "../lock/hotfix-lock.js";
import { describeRule, matchRule } from "../access/rules.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import { nextPatchOnLine } from "../versions/version.js";
import { chooseLine } from "./select-line.js";
import { startBranchOf } from "./slug.js";
import { START_COMMAND, existsText, startedText, type Unreleased } from "./start-text.js";

export interface StartContext {
  github: GitHubPort;
  policy: Policy;
  locks: HotfixLocks;
}

export interface StartRequest {
  issue: number;
  commentId: number;
  actor: string;
  argument: string | null;
}

/** How many unreleased commits the reply names (each costs one request). */
const NAMED_UNRELEASED = 5;

export async function startHotfix(ctx: StartContext, request: StartRequest): Promise<string> {
  const { github, policy } = ctx;
  const { actor, issue: number } = request;
  const reply = async (text: string, decision: string) => {
    await github.createComment(number, text);
    return decision;
  };

  const allowed = await authoriseStart(github, actor, policy);
  if (!allowed.ok) {
    await github.react(request.commentId, "confused");
    return reply(allowed.reason, "refused: not allowed to start a hotfix");
  }

  const issue = await github.getIssue(number);
  if (!issue) return "skipped: the issue is gone";
  if (issue.isPull) return reply(onPullText(actor), "refused: a PR, not an issue");
  const branch = startBranchOf(number, issue.title);
  if (!branch)
    return reply(
      `@${actor} nothing was created: the issue's title “${issue.title}” has no letter or digit to name the branch \`hotfix/${number}-<title>\` after. Edit the title to say what breaks in a few words, then comment \`${START_COMMAND}\` again.`,
      "refused: the title slugs to nothing",
    );

  return ctx.locks.hold(hotfixKey(github.repo, number), async () => {
    const existing = await github.getBranchHead(branch);
    if (existing) {
      const pull = await github.findPullByHead(branch, "all");
      return reply(
        existsText({
          actor,
          branch,
          sha: existing.sha,
          pull: pull ? { number: pull.number, state: pull.merged ? "merged" : pull.state } : null,
        }),
        `exists: ${branch}`,
      );
    }

    const template = parseTagTemplate(policy.release.tag);
    if (!template.ok) return `refused: ${template.reason}`; // the policy load refuses it first
    const choice = chooseLine({
      argument: request.argument,
      issueBody: issue.body,
      branches: await github.listBranches(),
      lineTemplates: policy.release.lines,
      tagPrefix: template.prefix,
    });
    if (choice.kind === "ask")
      return reply(
        `@${actor} which release line should the hotfix start from? ${choice.message} Comment \`${START_COMMAND} <line>\` with a line (\`1.4\`), a version users run (\`v1.4.2\`) or the line's branch.`,
        "asked: which line",
      );
    if (choice.kind === "unknown")
      return reply(`@${actor} nothing was created: ${choice.message}`, "refused: no such line");

    const line = releaseLineOf(choice.branch, policy.release.lines);
    const tags = line ? await github.listTagNames(template.prefix) : [];
    const latest = line ? nextPatchOnLine({ tags, template, line }) : null;
    if (!latest?.ok) {
      const wildcard = `${template.prefix}${line?.major ?? "*"}.${line?.minor ?? "*"}.*${template.suffix}`;
      return reply(
        `@${actor} nothing was created: line ${choice.line} (\`${choice.branch}\`) has no release yet (no stable tag matching \`${wildcard}\`), so there is no version users run to start the hotfix from. Tag the line's release, or start from another line.`,
        "refused: no release tag on the line",
      );
    }
    const tag = await github.getTag(latest.previous.tag);
    if (!tag) return `skipped: ${latest.previous.tag} vanished`;

    const unreleased = await unreleasedOn(github, tag.name, choice.branch);
    const created = await github.createBranch(branch, tag.commitSha);
    if (created === "exists") {
      // Another delivery created it a moment ago (it holds no lock of ours): report, never move.
      const head = await github.getBranchHead(branch);
      return reply(
        existsText({ actor, branch, sha: head?.sha ?? tag.commitSha, pull: null }),
        `exists: ${branch} (created meanwhile)`,
      );
    }
    await github.createComment(
      number,
      startedText({
        actor,
        issue: number,
        branch,
        branchUrl: issue.url.replace(/\/issues\/\d+$/, `/tree/${branch}`),
        base: choice.branch,
        line: choice.line,
        tag: tag.name,
        sha: tag.commitSha,
        source: choice.source,
        unreleased,
        label: policy.hotfix.labels[0] ?? "hotfix",
      }),
    );
    return `started: ${branch} at ${tag.name} for ${choice.branch}${unreleased ? `, ${unreleased.total} unreleased commits named` : ""}`;
  });
}

export async function authoriseStart(
  github: GitHubPort,
  actor: string,
  policy: Policy,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const rule = policy.start.allowed;
  const match = await matchRule(github, actor, rule);
  if (match.matches) return { ok: true };
  const has =
    match.permission === null || match.permission === "none"
      ? "no permission on this repository"
      : `${match.permission} permission on this repository`;
  const problems = match.problems.length ? ` ${match.problems.join(". ")}.` : "";
  return {
    ok: false,
    reason: `@${actor} may not start a hotfix here, so nothing was created: that is allowed to ${describeRule(rule)} (policy key \`start.allowed\`); @${actor} has ${has} and is in none of the listed teams or users.${problems} Ask someone who may.`,
  };
}

export function onPullText(actor: string): string {
  return `@${actor} nothing was created: \`${START_COMMAND}\` starts a hotfix from the issue that reports the bug, and this is a pull request. Comment it on the issue; to make this PR a hotfix, give it the hotfix label or a \`hotfix/\` branch.`;
}

async function unreleasedOn(
  github: GitHubPort,
  tag: string,
  base: string,
): Promise<Unreleased | null> {
  const between = await github.commitsBetween(tag, base);
  if (!between || between.total === 0) return null;
  const named = [];
  for (const sha of between.shas.slice(0, NAMED_UNRELEASED)) {
    const commit = await github.getCommit(sha);
    named.push({ sha, subject: (commit?.message ?? "").split("\n")[0] ?? "" });
  }
  return { total: between.total, named };
}
