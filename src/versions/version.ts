/**
 * Pure version arithmetic for hotfix releases. A hotfix is always a patch: the next version is
 * anchored to the target line's own tags (release-drafter bumps the highest release repo-wide,
 * so a fix on a 1.x line while 2.0.0 exists came out as 2.0.1 — a bug its users hit).
 */
import { DEFAULT_RELEASE_COMMAND } from "../commands/names.js";
import semver, { type SemVer } from "semver";
import { parseStrictVersion } from "./strict-version.js";
import { parseTagTemplate, type ReleaseLine, type TagTemplate } from "./tag-template.js";

/** A stable release: its version as the tag spells it (`1.4.2`, `1.4.2+build.5`) and the tag. */
export interface Release {
  version: string;
  tag: string;
}

export type VersionDecision =
  | {
      ok: true;
      /** The version to release, e.g. `1.4.3`. */
      version: string;
      /** Its tag, e.g. `v1.4.3`. */
      tag: string;
      /** The release it patches. */
      previous: Release;
      /** The line it belongs to, e.g. `1.4.x` or `2.x`. */
      line: string;
      reason: string;
    }
  | { ok: false; reason: string };

type Template = string | TagTemplate;

interface Candidate extends Release {
  parsed: SemVer;
}

/**
 * Every stable release among `tags` that follows the template, highest first. Pre-releases,
 * tags of other templates and non-semver tags are left out. Releases that differ only in build
 * metadata have equal precedence; the plain one comes first, then by tag name, so the order is
 * deterministic. The use-case walks this list asking GitHub which release is reachable from the
 * target branch.
 */
export function rankReleases(tags: readonly string[], template: Template): Release[] {
  return rankCandidates(tags, resolve(template)).map(({ version, tag }) => ({ version, tag }));
}

/** The patch after a stable release: `1.4.2` → `1.4.3` (build metadata is dropped). */
export function nextPatchAfter(version: string): string {
  const parsed = parseStrictVersion(version);
  if (parsed === null) throw new TypeError(`"${version}" is not a semantic version`);
  if (parsed.prerelease.length > 0) {
    // semver.inc("1.4.3-rc.1", "patch") is 1.4.3, not a patch after a release; refuse instead.
    throw new TypeError(`"${version}" is a pre-release; a hotfix patches a stable release`);
  }
  return semver.inc(parsed.version, "patch") as string;
}

/**
 * The decision for a hotfix on a branch that is not a release line: the patch after `previous`,
 * the highest release the use-case found reachable from the branch.
 */
export function nextPatchFrom(previous: Release, template: Template): VersionDecision {
  const tmpl = tryResolve(template);
  if (!tmpl.ok) return tmpl;
  const parsed = parseStrictVersion(previous.version);
  if (parsed === null || parsed.prerelease.length > 0) {
    return {
      ok: false,
      reason: `${previous.tag} is not a stable release, so it cannot be patched`,
    };
  }
  const version = nextPatchAfter(previous.version);
  const tag = tmpl.toTag(version);
  const line = `${parsed.major}.${parsed.minor}.x`;
  return {
    ok: true,
    version,
    tag,
    previous: { version: previous.version, tag: previous.tag },
    line,
    reason: `Next release is ${version} (tag ${tag}): the patch after ${previous.tag}, the highest release reachable from the target branch.`,
  };
}

export interface NextPatchOnLineInput {
  /** Every tag in the repository (names only). */
  tags: readonly string[];
  /** The policy's `release.tag`, e.g. `v{version}`, or its parsed form. */
  template: Template;
  /** The line the target branch names (see `releaseLineOf`). */
  line: ReleaseLine;
  /** The release command, quoted back in the seeding instructions. Default `/release-hotfix`. */
  command?: string;
}

/**
 * The next patch on a release line: the highest stable release with the line's major (and
 * minor, when the line has one), plus one patch. Never a minor or major bump. With no release
 * on the line yet, refuses and tells the admin how to seed it.
 */
export function nextPatchOnLine(input: NextPatchOnLineInput): VersionDecision {
  const tmpl = tryResolve(input.template);
  if (!tmpl.ok) return tmpl;
  const { line } = input;
  const onLine = (v: SemVer): boolean =>
    v.major === line.major && (line.minor === undefined || v.minor === line.minor);

  const preReleases = input.tags.filter((tag) => {
    const version = tmpl.versionOf(tag);
    const parsed = version === null ? null : parseStrictVersion(version);
    return parsed !== null && parsed.prerelease.length > 0 && onLine(parsed);
  });
  const ignored =
    preReleases.length === 0
      ? ""
      : ` ${preReleases.length} pre-release tag${preReleases.length === 1 ? "" : "s"} on this line (${preReleases.slice(0, 3).join(", ")}${preReleases.length > 3 ? ", …" : ""}) ${preReleases.length === 1 ? "does" : "do"} not count.`;

  const previous = rankCandidates(input.tags, tmpl).find((c) => onLine(c.parsed));
  if (!previous) {
    const first = `${line.major}.${line.minor ?? 0}.0`;
    const firstTag = tmpl.toTag(first);
    const wildcard = `${tmpl.prefix}${line.major}.${line.minor === undefined ? "" : `${line.minor}.`}*${tmpl.suffix}`;
    const command = input.command ?? DEFAULT_RELEASE_COMMAND;
    const shellTag = shellQuote(firstTag);
    return {
      ok: false,
      reason:
        `No release found on line ${line.label} (no stable tag matching ${code(wildcard)}), so there is no version to patch.${ignored} ` +
        `Seed the line by tagging its first release: ${code(`git tag -a ${shellTag} <commit> -m ${shellTag} && git push origin ${shellTag}`)}, ` +
        `then comment ${command} again.`,
    };
  }
  const version = nextPatchAfter(previous.version);
  const tag = tmpl.toTag(version);
  return {
    ok: true,
    version,
    tag,
    previous: { version: previous.version, tag: previous.tag },
    line: line.label,
    reason: `Next release on line ${line.label} is ${version} (tag ${tag}): the patch after ${previous.tag}, the highest stable release on this line.${ignored}`,
  };
}

/**
 * Whether a release of `version` should get GitHub's "Latest" badge (`make_latest`): only when
 * it is strictly higher than every other stable release in the repository, so a patch on an old
 * line never takes the badge from a newer major. The release's own tag may already be among
 * `tags` (a retried run): releases with the same precedence are the same release, not rivals.
 * A pre-release is never "Latest".
 */
export function isHighestRelease(
  version: string,
  tags: readonly string[],
  template: Template,
): boolean {
  const parsed = parseStrictVersion(version);
  if (parsed === null) throw new TypeError(`"${version}" is not a semantic version`);
  if (parsed.prerelease.length > 0) return false;
  return rankCandidates(tags, resolve(template)).every(
    (other) => semver.compare(other.parsed, parsed) !== 1,
  );
}

function rankCandidates(tags: readonly string[], template: TagTemplate): Candidate[] {
  const candidates: Candidate[] = [];
  for (const tag of tags) {
    const version = template.versionOf(tag);
    const parsed = version === null ? null : parseStrictVersion(version);
    if (version === null || parsed === null || parsed.prerelease.length > 0) continue;
    candidates.push({ version, tag, parsed });
  }
  return candidates.sort(
    (a, b) =>
      semver.rcompare(a.parsed, b.parsed) ||
      a.parsed.build.length - b.parsed.build.length ||
      (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0),
  );
}

/** Template strings come from a validated policy; a bad one here is a caller bug. */
function resolve(template: Template): TagTemplate {
  const result = tryResolve(template);
  if (!result.ok) throw new Error(`invalid tag template: ${result.reason}`);
  return result;
}

function tryResolve(template: Template): TagTemplate | { ok: false; reason: string } {
  if (typeof template !== "string") return template;
  const parsed = parseTagTemplate(template);
  return parsed.ok
    ? parsed
    : { ok: false, reason: `Cannot compute the next version: ${parsed.reason}.` };
}

/** Tags may hold characters the shell treats specially (`$`, `'`, `&`…): quote those. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9._+/@=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A Markdown code span that survives backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}
