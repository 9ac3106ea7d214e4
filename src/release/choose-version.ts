/**
 * Which version this hotfix is released as, with GitHub's tags as the truth. A release line
 * (`release/1.4`) takes the next patch of its own tags; any other target the patch after the
 * highest release reachable from it. When this PR's merge commit already carries the tag a
 * previous run created (the tracking comment's hint, or the line's highest tag), that version
 * is reused: a rerun finishes the release, it never cuts a second one.
 *
 * Never a collision, never a version going back: on a release line the release being patched
 * must be in the hotfix's history (its merge commit's, or the target branch's before merging) —
 * a merged hotfix that another release of the line already took along is refused, not tagged
 * above it; and on another target a version that some other branch already released is refused.
 * Callers choose the version and create the tag while holding the line's lock (`lineKey`).
 */
import type { Releases } from "../github/port/releases.js";
import type { Policy } from "../policy/schema.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import { nextPatchFrom, nextPatchOnLine, rankReleases } from "../versions/version.js";

export type VersionChoice =
  | {
      ok: true;
      version: string;
      tag: string;
      previousTag: string;
      line: string;
      reason: string;
      alreadyTagged: boolean;
      tags: string[];
    }
  | { ok: false; reason: string };

const short = (sha: string) => sha.slice(0, 7);

/** How many of the highest releases are asked "reachable from the branch?" before giving up. */
const MAX_REACHABILITY_PROBES = 20;

export async function chooseVersion(
  github: Releases,
  input: { base: string; mergeSha: string | null; policy: Policy; hintTag?: string | undefined },
): Promise<VersionChoice> {
  const template = parseTagTemplate(input.policy.release.tag);
  if (!template.ok) return template;
  const { mergeSha } = input;
  const onOurCommit = async (tag: string) =>
    mergeSha !== null && (await github.getTag(tag))?.commitSha === mergeSha;

  const tags = await github.listTagNames(template.prefix);
  if (input.hintTag && tags.includes(input.hintTag) && (await onOurCommit(input.hintTag))) {
    const version = template.versionOf(input.hintTag) ?? "";
    return {
      ok: true,
      version,
      tag: input.hintTag,
      previousTag: "",
      line: "",
      reason: `already released as ${input.hintTag}`,
      alreadyTagged: true,
      tags,
    };
  }

  const line = releaseLineOf(input.base, input.policy.release.lines);
  if (line) {
    const decision = nextPatchOnLine({
      tags,
      template,
      line,
      command: input.policy.release.command,
    });
    if (!decision.ok) return decision;
    const previous = decision.previous.tag;
    if (await onOurCommit(previous)) {
      return {
        ...decision.previous,
        ok: true,
        previousTag: "",
        line: decision.line,
        reason: `already released as ${previous}`,
        alreadyTagged: true,
        tags,
      };
    }
    // The release this one patches must be in its history: a version above it on code that
    // lacks it would take back what it shipped.
    const ours = mergeSha ?? input.base;
    if (!(await github.isReachable(previous, ours))) {
      const where = mergeSha
        ? `this hotfix's merge commit ${short(mergeSha)}`
        : `\`${input.base}\``;
      if (mergeSha && (await github.isReachable(mergeSha, previous))) {
        return {
          ok: false,
          reason: `${where} is already part of ${previous}, which was tagged after it was merged (another release of line ${decision.line} took it along). This fix shipped in ${previous}; a ${decision.tag} on ${short(mergeSha)} would be older code than ${previous}, so hotfix-bot does not create one. Nothing is left to release for this PR.`,
        };
      }
      return {
        ok: false,
        reason: `${previous}, the highest release of line ${decision.line}, is not in the history of ${where}, so ${decision.tag} there would lack what ${previous} shipped. Merge ${previous} into \`${input.base}\` (or fix the tag), then comment ${input.policy.release.command} again.`,
      };
    }
    return { ...decision, previousTag: previous, alreadyTagged: false, tags };
  }

  const ranked = rankReleases(tags, template).slice(0, MAX_REACHABILITY_PROBES);
  for (const release of ranked) {
    if (!(await github.isReachable(release.tag, input.base))) continue;
    if (await onOurCommit(release.tag)) {
      return {
        ...release,
        ok: true,
        previousTag: "",
        line: "",
        reason: `already released as ${release.tag}`,
        alreadyTagged: true,
        tags,
      };
    }
    const decision = nextPatchFrom(release, template);
    if (!decision.ok) return decision;
    if (tags.includes(decision.tag)) {
      // Another branch (a release line sharing these versions) released it: never a collision.
      return {
        ok: false,
        reason: `${decision.tag}, the patch after ${release.tag} (the highest release reachable from \`${input.base}\`), already exists on a commit \`${input.base}\` does not contain: another branch released that version. hotfix-bot never reuses or skips a version; release this fix from the branch that owns ${decision.tag}'s line, or add \`${input.base}\`'s pattern to \`release.lines\`.`,
      };
    }
    return { ...decision, previousTag: release.tag, alreadyTagged: false, tags };
  }
  return {
    ok: false,
    reason:
      ranked.length === 0
        ? `No release tag matching \`${input.policy.release.tag}\` exists, so there is no version to patch. Tag the release this hotfix patches (e.g. \`git tag -a ${template.toTag("1.0.0")} <commit> -m ${template.toTag("1.0.0")} && git push origin ${template.toTag("1.0.0")}\`), then comment ${input.policy.release.command} again.`
        : `None of the ${ranked.length} highest releases (${ranked
            .slice(0, 3)
            .map((r) => r.tag)
            .join(
              ", ",
            )}…) is reachable from \`${input.base}\`. If \`${input.base}\` is a release line, add its branch pattern to \`release.lines\` in the policy.`,
  };
}
