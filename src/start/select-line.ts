/**
 * Pure: which release line `/start-hotfix` branches from. In order:
 *
 * 1. the command's argument — a line branch (`release/1.4`), a line (`1.4`, `1.4.x`, `2.x`) or a
 *    version or tag of it (`1.4.2`, `v1.4.2`);
 * 2. else the issue's "affected version": an issue-form field headed `Affected version` or
 *    `Version` (GitHub renders a form's answer as `### <label>` and the value below it), or a
 *    line `Version: 1.4.2` / `Affected version: v1.4.2` in the body;
 * 3. else nothing: the reply asks which line, listing the maintained ones.
 *
 * The maintained lines are the branches that follow the policy's `release.lines` templates.
 * A version names the line whose branch takes it: a `{major}.{minor}` line before a `{major}.x`
 * one. An argument naming no maintained line is refused with the list; an issue field that
 * does so is only mentioned while asking (the reporter may have guessed).
 */
import { releaseLineOf, type ReleaseLine } from "../versions/tag-template.js";

export type LineChoice =
  | { kind: "line"; branch: string; line: string; source: "argument" | "issue" }
  /** Nothing says which line: ask, listing the maintained lines. */
  | { kind: "ask"; message: string }
  /** The argument names no maintained line: refuse, listing them. */
  | { kind: "unknown"; message: string };

export interface LineInput {
  /** The command's argument, if any. */
  argument: string | null;
  /** The issue's body (Markdown). */
  issueBody: string;
  /** Every branch of the repository (or at least every line branch). */
  branches: readonly string[];
  /** The policy's `release.lines`. */
  lineTemplates: readonly string[];
  /** The literal text before `{version}` in the policy's `release.tag` (`v`). */
  tagPrefix: string;
}

interface Maintained {
  branch: string;
  line: ReleaseLine;
}

export function chooseLine(input: LineInput): LineChoice {
  const maintained = maintainedLines(input.branches, input.lineTemplates);
  const listed =
    maintained.length === 0
      ? "this repository has no release line branch (none follows the policy's `release.lines`)"
      : `maintained lines: ${maintained.map((m) => `\`${m.branch}\``).join(", ")}`;
  if (input.argument !== null && input.argument.trim() !== "") {
    const found = resolve(input.argument.trim(), maintained, input.tagPrefix);
    if (found)
      return { kind: "line", branch: found.branch, line: found.line.label, source: "argument" };
    return {
      kind: "unknown",
      message: `\`${input.argument.trim()}\` names no maintained release line; ${listed}.`,
    };
  }
  const affected = affectedVersion(input.issueBody);
  if (affected !== null) {
    const found = resolve(affected, maintained, input.tagPrefix);
    if (found)
      return { kind: "line", branch: found.branch, line: found.line.label, source: "issue" };
  }
  const seen =
    affected === null
      ? "The issue does not say which version is affected"
      : `The issue names version \`${affected}\`, which is on no maintained line`;
  return { kind: "ask", message: `${seen}; ${listed}.` };
}

/** The line branches, highest line first. */
export function maintainedLines(
  branches: readonly string[],
  lineTemplates: readonly string[],
): Maintained[] {
  const found: Maintained[] = [];
  for (const branch of branches) {
    const line = releaseLineOf(branch, lineTemplates);
    if (line) found.push({ branch, line });
  }
  return found.sort(
    (a, b) =>
      b.line.major - a.line.major ||
      (b.line.minor ?? -1) - (a.line.minor ?? -1) ||
      a.branch.localeCompare(b.branch),
  );
}

function resolve(text: string, maintained: Maintained[], tagPrefix: string): Maintained | null {
  const exact = maintained.find((m) => m.branch === text);
  if (exact) return exact;
  let version = text;
  if (tagPrefix !== "" && version.startsWith(tagPrefix)) version = version.slice(tagPrefix.length);
  version = version.replace(/^v(?=\d)/, "");
  const match =
    /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*|x))?(?:\.(0|[1-9]\d*|x))?(?:[-+][0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) return null;
  const major = Number(match[1]);
  const minor = match[2] === undefined || match[2] === "x" ? undefined : Number(match[2]);
  // `1` alone or `1.x` names a major line only; `1.4` names 1.4.x first, then 1.x.
  const candidates = maintained.filter(
    (m) =>
      m.line.major === major &&
      (m.line.minor === undefined ? true : minor !== undefined && m.line.minor === minor),
  );
  return candidates.find((m) => m.line.minor !== undefined) ?? candidates[0] ?? null;
}

/**
 * The affected version an issue states, or null. An issue form's unanswered field reads
 * `_No response_`, which is no answer.
 */
export function affectedVersion(body: string): string | null {
  const text = body.replace(/\r\n?/g, "\n");
  const field = /^#{1,6}[ \t]*(?:affected[ \t]+)?versions?[ \t]*\n+[ \t]*([^\n]+)/im.exec(text);
  const line =
    /^[ \t]*(?:[-*][ \t]+)?(?:\*\*)?(?:affected[ \t]+)?versions?(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*([^\n]+)/im.exec(
      text,
    );
  for (const value of [field?.[1], line?.[1]]) {
    const token = value
      ?.trim()
      .replace(/^`|`$/g, "")
      .split(/[\s,;]+/)[0];
    if (token && /\d/.test(token)) return token;
  }
  return null;
}
