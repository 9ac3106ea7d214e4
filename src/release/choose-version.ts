/**
 * Which version this hotfix is released as, with GitHub's tags as the truth. A release line
 * (`release/1.4`) takes the next patch of its own tags; any other target the patch after the
 * highest release reachable from it. When this PR's merge commit already carries the tag a
 * previous run created (the tracking comment's hint, or the line's highest tag), that version
 * is reused: a rerun finishes the release, it never cuts a second one.
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
    if (await onOurCommit(decision.previous.tag)) {
      return {
        ...decision.previous,
        ok: true,
        previousTag: "",
        line: decision.line,
        reason: `already released as ${decision.previous.tag}`,
        alreadyTagged: true,
        tags,
      };
    }
    return { ...decision, previousTag: decision.previous.tag, alreadyTagged: false, tags };
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
