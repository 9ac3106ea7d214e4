/**
 * Pure: the policy's `release.tag` template (`v{version}`) and `release.lines` branch templates
 * (`release/{major}.{minor}`), turned into functions that go from a version to a tag, from a tag
 * back to its version, and from a branch to the release line it names.
 */
import { parseStrictVersion } from "./strict-version.js";
import { refNameProblem } from "./ref-name.js";

export { isValidRefName, refNameProblem } from "./ref-name.js";

export interface TagTemplate {
  ok: true;
  template: string;
  /** Literal text before `{version}`: `v` in `v{version}`. */
  prefix: string;
  /** Literal text after `{version}`: `-final` in `release-{version}-final`. */
  suffix: string;
  /** The tag for a version. Throws on a string that is not a semantic version (a caller bug). */
  toTag(version: string): string;
  /** The version a tag names, or null when the tag does not follow this template exactly. */
  versionOf(tag: string): string | null;
}

export type TagTemplateResult = TagTemplate | { ok: false; reason: string };

export function parseTagTemplate(template: string): TagTemplateResult {
  const problem = placeholderProblem(template, ["version"], "tag template");
  if (problem) return { ok: false, reason: problem };
  const count = template.split("{version}").length - 1;
  if (count !== 1) {
    return {
      ok: false,
      reason:
        count === 0
          ? `the tag template "${template}" has no {version}; write e.g. "v{version}"`
          : `the tag template "${template}" has {version} ${count} times; it must appear exactly once`,
    };
  }
  const at = template.indexOf("{version}");
  const prefix = template.slice(0, at);
  const suffix = template.slice(at + "{version}".length);
  // Semantic versions hold only [0-9A-Za-z.+-] and start and end with an alphanumeric, so one
  // sample version catches every bad tag the template can produce.
  const sample = `${prefix}1.2.3${suffix}`;
  const refProblem = refNameProblem(sample);
  if (refProblem) {
    return {
      ok: false,
      reason: `the tag template "${template}" makes tags like "${sample}", which git refuses: ${refProblem}`,
    };
  }
  return {
    ok: true,
    template,
    prefix,
    suffix,
    toTag(version) {
      if (parseStrictVersion(version) === null) {
        throw new TypeError(`"${version}" is not a semantic version; cannot make a tag from it`);
      }
      return `${prefix}${version}${suffix}`;
    },
    versionOf(tag) {
      // Plain string slicing rather than a regular expression: the prefix and suffix are
      // literal text, and `.` in `v.{version}` must not match any character.
      if (tag.length <= prefix.length + suffix.length) return null;
      if (!tag.startsWith(prefix) || !tag.endsWith(suffix)) return null;
      const version = tag.slice(prefix.length, tag.length - suffix.length);
      return parseStrictVersion(version) === null ? null : version;
    },
  };
}

/** A release line named by a branch: `release/1.4` is line 1.4.x, `release/2.x` is line 2.x. */
export interface ReleaseLine {
  major: number;
  /** Absent when the line takes every minor of its major (`release/{major}.x`). */
  minor?: number;
  /** How people write the line: `1.4.x` or `2.x`. */
  label: string;
}

export interface LineTemplate {
  ok: true;
  template: string;
  hasMinor: boolean;
  /** The line a branch names, or null when the branch does not follow this template. */
  lineOf(branch: string): ReleaseLine | null;
  /** The branch of a line, e.g. to tell an admin which branch to create. */
  toBranch(line: { major: number; minor?: number }): string;
}

export type LineTemplateResult = LineTemplate | { ok: false; reason: string };

const NUMBER = "(0|[1-9][0-9]*)";

export function parseLineTemplate(template: string): LineTemplateResult {
  const problem = placeholderProblem(template, ["major", "minor"], "release line template");
  if (problem) return { ok: false, reason: problem };
  const majors = template.split("{major}").length - 1;
  const minors = template.split("{minor}").length - 1;
  if (majors !== 1) {
    return {
      ok: false,
      reason: `the release line template "${template}" must contain {major} exactly once (found ${majors}); write e.g. "release/{major}.{minor}"`,
    };
  }
  if (minors > 1) {
    return {
      ok: false,
      reason: `the release line template "${template}" may contain {minor} at most once (found ${minors})`,
    };
  }
  if (template.includes("{major}{minor}") || template.includes("{minor}{major}")) {
    return {
      ok: false,
      reason: `in the release line template "${template}" {major} and {minor} need text between them (e.g. "."), or "release/123" would be ambiguous`,
    };
  }
  const hasMinor = minors === 1;
  const toBranch = (line: { major: number; minor?: number }): string =>
    template.replace("{major}", String(line.major)).replace("{minor}", String(line.minor ?? 0));
  const sample = toBranch({ major: 1, minor: 2 });
  const refProblem = refNameProblem(sample);
  if (refProblem) {
    return {
      ok: false,
      reason: `the release line template "${template}" names branches like "${sample}", which git refuses: ${refProblem}`,
    };
  }
  const source = template
    .split(/(\{major\}|\{minor\})/)
    .map((part) =>
      part === "{major}"
        ? `(?<major>${NUMBER})`
        : part === "{minor}"
          ? `(?<minor>${NUMBER})`
          : escapeRegExp(part),
    )
    .join("");
  const pattern = new RegExp(`^${source}$`);
  return {
    ok: true,
    template,
    hasMinor,
    toBranch,
    lineOf(branch) {
      const groups = pattern.exec(branch)?.groups;
      if (!groups?.major) return null;
      const major = Number(groups.major);
      if (!Number.isSafeInteger(major)) return null;
      if (!hasMinor) return { major, label: `${major}.x` };
      const minor = Number(groups.minor);
      if (!Number.isSafeInteger(minor)) return null;
      return { major, minor, label: `${major}.${minor}.x` };
    },
  };
}

/**
 * The release line `branch` names under the first template it follows, or null when it names
 * none (the default branch, a feature branch). Templates are validated when the policy loads, so
 * an invalid one here is a bug and throws rather than silently matching nothing.
 */
export function releaseLineOf(
  branch: string,
  lineTemplates: readonly string[],
): ReleaseLine | null {
  for (const template of lineTemplates) {
    const parsed = parseLineTemplate(template);
    if (!parsed.ok) throw new Error(`invalid release line template: ${parsed.reason}`);
    const line = parsed.lineOf(branch);
    if (line) return line;
  }
  return null;
}

function placeholderProblem(
  template: string,
  allowed: readonly string[],
  what: string,
): string | null {
  if (template.trim() === "") return `the ${what} is empty`;
  const names = allowed.map((name) => `{${name}}`).join(" and ");
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!allowed.includes(match[1] as string)) {
      return `the ${what} "${template}" has an unknown placeholder ${match[0]}; only ${names} ${allowed.length === 1 ? "is" : "are"} allowed`;
    }
  }
  const rest = template.replace(/\{([^{}]*)\}/g, "");
  if (/[{}]/.test(rest)) {
    return `the ${what} "${template}" has an unmatched "{" or "}"; only ${names} may use braces`;
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
