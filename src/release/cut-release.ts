/**
 * `/release-hotfix`: final check, merge, patch tag, GitHub Release — resumable and idempotent.
 * Each step first looks at what GitHub already has (merged? tag on our commit? release?) and
 * continues from there, so a repeated command, a redelivered webhook, two maintainers at once
 * or a crash midway all end in one merge, one tag and one release.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { GitHubError } from "../github/errors.js";
import type { Policy } from "../policy/schema.js";
import { evaluatePull } from "../gate/evaluate-pull.js";
import { unmetRequirements, type GateVerdict } from "../gate/evaluate.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { openTracking, type Tracking } from "../tracking/tracking-comment.js";
import { setFacts, setStage } from "../tracking/state.js";
import { backportTargets } from "../backport/targets.js";
import { chooseVersion, type VersionChoice } from "./choose-version.js";
import { isHighestRelease } from "../versions/version.js";
import { renderReleaseNotes } from "./notes.js";

export interface ReleaseRequest {
  pullNumber: number;
  commentId: number;
  actor: string;
  dryRun: boolean;
  policy: Policy;
  policyFiles: readonly string[];
  ownAppId: number | null;
  now?: () => Date;
}

export type ReleaseOutcome =
  | { kind: "refused"; reason: string }
  | { kind: "planned" }
  | {
      kind: "released";
      pull: PullRequest;
      tag: string;
      version: string;
      mergeSha: string;
      releaseUrl: string;
      tracking: Tracking;
      /** How hotfix-bot merged the PR, when it did (not when it was merged by hand). */
      mergeMethod?: MergeMethod | undefined;
    }
  | { kind: "failed"; step: string; reason: string };

const short = (sha: string) => sha.slice(0, 7);
type MergeMethod = "squash" | "merge" | "rebase";

export async function cutRelease(
  github: GitHubPort,
  request: ReleaseRequest,
): Promise<ReleaseOutcome> {
  const { policy } = request;
  const command = policy.release.command;
  const reply = (body: string) => github.createComment(request.pullNumber, body);

  const pull = await github.getPull(request.pullNumber);
  if (!pull) return { kind: "refused", reason: "PR not found" };
  const recognition = recogniseHotfix(pull, policy.hotfix);
  if (!recognition.hotfix) {
    await reply(
      `@${request.actor} this PR is not a hotfix, so \`${command}\` does nothing here. A hotfix comes from a branch matching ${policy.hotfix.branches.map((b) => `\`${b}\``).join(", ")} or carries the label ${policy.hotfix.labels.map((l) => `\`${l}\``).join(", ")}.`,
    );
    return { kind: "refused", reason: "not a hotfix" };
  }
  if (pull.state === "closed" && !pull.merged) {
    await reply(
      `@${request.actor} this PR was closed without being merged; reopen it before releasing.`,
    );
    return { kind: "refused", reason: "closed unmerged" };
  }

  // Final check: evaluated afresh, never trusting the stored check run.
  const { verdict } = await evaluatePull(github, pull, {
    policy,
    policyFiles: request.policyFiles,
    ownAppId: request.ownAppId,
  });
  const unmet = unmetRequirements(verdict);
  if (unmet.length > 0) {
    await reply(
      [
        `@${request.actor} not released: the hotfix policy is not met on ${short(verdict.headSha)}. Missing:`,
        "",
        ...unmet.map((r) => `- ${r.state === "failed" ? "❌" : "⏳"} **${r.title}**: ${r.reason}`),
        "",
        `Comment \`${command}\` again once these are resolved.`,
      ].join("\n"),
    );
    return { kind: "refused", reason: `gate unmet: ${unmet.map((r) => r.id).join(", ")}` };
  }

  if (request.dryRun) {
    await reply(await planText(github, pull, verdict, request));
    return { kind: "planned" };
  }

  await github.react(request.commentId, "eyes");
  const tracking = await openTracking(github, pull.number);
  const at = (request.now ?? (() => new Date()))().toISOString();
  let step = "merge";
  try {
    await tracking.update((s) =>
      setStage(setFacts(s, { releasedBy: request.actor }), "gate", {
        state: "done",
        text: `all requirements met on ${short(verdict.headSha)}`,
        at,
      }),
    );

    const merged = await ensureMerged(github, pull, verdict.headSha, policy);
    if (!merged.ok) return await fail(github, tracking, request, "merge", merged.reason);
    await tracking.update((s) =>
      setStage(merged.method ? setFacts(s, { mergeMethod: merged.method }) : s, "merge", {
        state: "done",
        text: `merged into \`${pull.base.ref}\` as ${short(merged.sha)}`,
        at,
      }),
    );

    step = "tag";
    const choice = await chooseVersion(github, {
      base: pull.base.ref,
      mergeSha: merged.sha,
      policy,
      hintTag: tracking.state.facts.tag,
    });
    if (!choice.ok) return await fail(github, tracking, request, "tag", choice.reason);
    if (!choice.alreadyTagged) {
      const created = await github.createAnnotatedTag({
        name: choice.tag,
        message: `${choice.tag}\n\nHotfix #${pull.number}: ${pull.title}`,
        commitSha: merged.sha,
      });
      if (!created.created && created.existing.commitSha !== merged.sha) {
        return await fail(
          github,
          tracking,
          request,
          "tag",
          `the tag ${choice.tag} already exists on ${short(created.existing.commitSha)}, not on this hotfix's merge commit ${short(merged.sha)}. hotfix-bot never moves a tag. Find out who created ${choice.tag}; if it is wrong, delete it (\`git push --delete origin ${choice.tag}\`) and comment \`${policy.release.command}\` again.`,
        );
      }
    }
    await tracking.update((s) =>
      setStage(
        setFacts(s, {
          tag: choice.tag,
          version: choice.version,
          mergeSha: merged.sha,
          base: pull.base.ref,
        }),
        "tag",
        {
          state: "done",
          text: `\`${choice.tag}\` on ${short(merged.sha)}`,
          at,
        },
      ),
    );

    step = "release";
    const release = await ensureRelease(
      github,
      pull,
      choice,
      merged.sha,
      verdict.requirements,
      request,
    );
    await tracking.update((s) =>
      setStage(setFacts(s, { releaseUrl: release.url }), "release", {
        state: "done",
        text: `${release.draft ? "draft release" : "release"} ${choice.tag}${release.latest ? " (latest)" : ""}`,
        link: release.url,
        at,
      }),
    );
    await github.react(request.commentId, "rocket");
    return {
      kind: "released",
      pull: { ...pull, merged: true, mergeCommitSha: merged.sha },
      tag: choice.tag,
      version: choice.version,
      mergeSha: merged.sha,
      releaseUrl: release.url,
      tracking,
      mergeMethod: tracking.state.facts.mergeMethod as MergeMethod | undefined,
    };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    return await fail(
      github,
      tracking,
      request,
      step,
      `GitHub answered ${error.status} to ${error.route}: ${error.message}. Nothing is lost: comment \`${policy.release.command}\` again to finish; completed steps are not redone.`,
    );
  }
}

async function ensureMerged(
  github: GitHubPort,
  pull: PullRequest,
  headSha: string,
  policy: Policy,
): Promise<
  { ok: true; sha: string; method?: "squash" | "merge" | "rebase" } | { ok: false; reason: string }
> {
  if (pull.merged && pull.mergeCommitSha) return { ok: true, sha: pull.mergeCommitSha };
  const method = policy.release.merge_method;
  if (method === "none") {
    return {
      ok: false,
      reason:
        "the policy's `release.merge_method` is `none`, so the PR must be merged before releasing. Merge it, then comment the command again.",
    };
  }
  const result = await github.mergePull(pull.number, {
    sha: headSha,
    method,
    title: `${pull.title} (#${pull.number})`,
  });
  if (result.merged) return { ok: true, sha: result.sha, method };
  // Someone (or a concurrent command) may have merged it meanwhile: that is success.
  const now = await github.getPull(pull.number);
  if (now?.merged && now.mergeCommitSha) return { ok: true, sha: now.mergeCommitSha };
  const why =
    result.status === 409
      ? `the PR's head moved after the final check (it was ${short(headSha)}); the new commits have not been checked. Wait for the Hotfix policy check, then comment the command again.`
      : `GitHub refused to ${method}-merge it (${result.status}: ${result.message}). Usually a branch protection rule or ruleset blocks the app (add hotfix-bot as a bypass actor, or allow ${method} merges), or the PR has conflicts with \`${pull.base.ref}\`.`;
  return { ok: false, reason: why };
}

async function ensureRelease(
  github: GitHubPort,
  pull: PullRequest,
  choice: Extract<VersionChoice, { ok: true }>,
  mergeSha: string,
  requirements: Parameters<typeof renderReleaseNotes>[0]["approvals"],
  request: ReleaseRequest,
): Promise<{ url: string; draft: boolean; latest: boolean }> {
  const existing = await github.findRelease(choice.tag);
  const latest = isHighestRelease(choice.version, choice.tags, request.policy.release.tag);
  if (existing) return { url: existing.url, draft: existing.draft, latest };
  const commits = await github.listPullCommits(pull.number);
  const body = renderReleaseNotes({
    tag: choice.tag,
    previousTag: choice.previousTag || "the previous release",
    line: choice.line || pull.base.ref,
    pull,
    approvals: requirements,
    commits,
    releasedBy: request.actor,
    command: request.policy.release.command,
  });
  const created = await github.createRelease({
    tagName: choice.tag,
    targetSha: mergeSha,
    name: choice.tag,
    body,
    draft: request.policy.release.draft,
    makeLatest: latest,
  });
  if ("alreadyExists" in created) {
    const raced = await github.findRelease(choice.tag);
    if (!raced)
      throw new GitHubError(
        `GitHub says the release ${choice.tag} exists but cannot find it`,
        422,
        "POST /repos/{owner}/{repo}/releases",
      );
    return { url: raced.url, draft: raced.draft, latest };
  }
  return { url: created.url, draft: created.draft, latest };
}

async function fail(
  github: GitHubPort,
  tracking: Tracking,
  request: ReleaseRequest,
  step: string,
  reason: string,
): Promise<ReleaseOutcome> {
  await tracking.update((s) =>
    setStage(s, step, {
      state: "failed",
      text: reason,
      at: (request.now ?? (() => new Date()))().toISOString(),
    }),
  );
  await github.react(request.commentId, "confused");
  await github.createComment(
    request.pullNumber,
    `@${request.actor} the release stopped at **${step}**: ${reason}${tracking.url() ? `\n\nProgress so far: ${tracking.url()}` : ""}`,
  );
  return { kind: "failed", step, reason };
}

async function planText(
  github: GitHubPort,
  pull: PullRequest,
  verdict: GateVerdict,
  request: ReleaseRequest,
): Promise<string> {
  const { policy } = request;
  const headSha = verdict.headSha;
  const mergeSha = pull.merged ? pull.mergeCommitSha : null;
  const choice = await chooseVersion(github, { base: pull.base.ref, mergeSha, policy });
  const steps: string[] = [];
  steps.push(
    pull.merged
      ? `Use the existing merge commit ${short(mergeSha ?? "")} (the PR is already merged).`
      : policy.release.merge_method === "none"
        ? "Stop: `merge_method: none` and the PR is not merged yet."
        : `Merge #${pull.number} into \`${pull.base.ref}\` (${policy.release.merge_method}), only if its head is still ${short(headSha)}.`,
  );
  if (!choice.ok) {
    steps.push(`Stop before tagging: ${choice.reason}`);
  } else {
    const latest = isHighestRelease(choice.version, choice.tags, policy.release.tag);
    steps.push(
      choice.alreadyTagged
        ? `Keep the existing tag \`${choice.tag}\` (already on the merge commit).`
        : `Create the annotated tag **\`${choice.tag}\`** on the merge commit — ${choice.reason}`,
    );
    steps.push(
      `Publish the GitHub Release ${choice.tag}${policy.release.draft ? " as a draft" : ""}, ${latest ? "marked latest" : "not marked latest (a higher release exists)"}.`,
    );
  }
  const { targets, unmatched } =
    policy.backport.when === "never" || policy.backport.branches.length === 0
      ? { targets: [], unmatched: [] }
      : backportTargets(policy.backport.branches, await github.listBranches(), pull.base.ref);
  steps.push(
    targets.length
      ? `Backport to ${targets.map((t) => `\`${t}\``).join(", ")} (${policy.backport.when === "merged" ? "at merge" : "after the release"}).${unmatched.length ? ` No branch matches ${unmatched.join(", ")}.` : ""}`
      : "No backports.",
  );
  const notes =
    choice.ok && !choice.alreadyTagged
      ? renderReleaseNotes({
          tag: choice.tag,
          previousTag: choice.previousTag,
          line: choice.line,
          pull,
          approvals: verdict.requirements,
          commits: await github.listPullCommits(pull.number),
          releasedBy: request.actor,
          command: policy.release.command,
        })
      : null;
  return [
    `**Dry run — nothing was changed.** \`${policy.release.command}\` would now:`,
    "",
    ...steps.map((s, i) => `${i + 1}. ${s}`),
    ...(notes
      ? ["", "<details><summary>Release notes preview</summary>", "", notes, "", "</details>"]
      : []),
  ].join("\n");
}
