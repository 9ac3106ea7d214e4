/**
 * Pure: slash commands in a PR comment. A comment is Markdown, and the bot must act only on what
 * a reader sees as a command written by the commenter: a line that starts with the command —
 * not a mention mid-sentence (policy-bot's substring match approved PRs by accident), not a
 * quoted reply, not an example in a code block, not hidden text in an HTML comment.
 *
 * Rules, in the spirit of CommonMark:
 * - the command starts its line, after at most 3 spaces (4 columns make an indented code block;
 *   a tab counts to the next multiple of 4); names match case-insensitively (phones capitalise
 *   the first letter), as a whole word: `/release-hotfixes` is not `/release-hotfix`;
 * - fenced code blocks (``` or ~~~, closed by a fence of the same character at least as long, or
 *   by the end of the comment) hide everything inside; a fence counts at any indentation, so a
 *   fence in a list item also hides its contents;
 * - a line starting with `>` is quoted, and so is every following line up to a blank line
 *   (Markdown's lazy continuation renders them inside the quote);
 * - `<!-- … -->` hides its contents, across lines; a line that holds a comment's end does not
 *   start a command;
 * - CRLF and CR line ends are read as LF;
 * - an option that takes a value (`--override "the reason"`) takes the next word, or a quoted
 *   text (straight or typographic quotes, as phones type them); `--override="…"` works too. Words
 *   after it that are not in quotes are refused, with the quoted form to copy.
 *
 * When in doubt the parser ignores a line: a missed command costs a retyped comment, a false one
 * could cut a release.
 */
import { closest, distance } from "fastest-levenshtein";

export interface CommandSpec {
  /** The command as configured, with or without its slash: `/release-hotfix`, `ship-it`. */
  name: string;
  /** Options it accepts, with their dashes: `["--dry-run"]`. */
  flags?: readonly string[];
  /** Options that take a value, e.g. `["--override"]`; `valueName` says what it is in errors. */
  valueFlags?: readonly string[];
  valueName?: string;
  /** Positional arguments (the branches of `/backport`): none (default), optional or required. */
  args?: "none" | "optional" | "required";
  /** What one argument is, for the usage line in errors: `branch`. Default `argument`. */
  argName?: string;
  /**
   * Words after a command that takes no arguments: `"error"` (default) turns
   * `/release-hotfix is not what we want` into an error reply rather than a release;
   * `"ignore"` accepts `/release-hotfix please`.
   */
  trailingText?: "error" | "ignore";
}

export type ParsedCommand =
  | {
      ok: true;
      /** The spec's name, exactly as the caller wrote it. */
      name: string;
      /** The flags given, spelled as in the spec: `--dry-run` (value flags too). */
      flags: ReadonlySet<string>;
      /** The value of each value flag given: `--override` → `payments are down`. */
      values: ReadonlyMap<string, string>;
      args: string[];
      /** 1-based line of the comment. */
      line: number;
    }
  | {
      ok: false;
      name: string;
      /** What is wrong and how to write it, ready to reply with: the caller then does nothing. */
      error: string;
      line: number;
    };

/** A command name a user can type: letters, digits, `.`, `_` and `-`, optionally after `/`. */
export function isValidCommandName(name: string): boolean {
  return /^\/?[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

/**
 * Every known command in `body`, in order, including error entries for recognised commands
 * written wrongly. The caller acts on the first entry only (one command per comment), so a
 * comment with `/backport` then `/release-hotfix` does exactly one thing; the rest are returned
 * so it can say what it skipped.
 */
export function parseCommands(body: string, known: readonly CommandSpec[]): ParsedCommand[] {
  const specs = new Map<string, CommandSpec>();
  for (const spec of known) {
    if (!isValidCommandName(spec.name)) throw new Error(`invalid command name "${spec.name}"`);
    const key = bare(spec.name).toLowerCase();
    if (!specs.has(key)) specs.set(key, spec);
  }

  const found: ParsedCommand[] = [];
  let fence: { char: string; length: number } | null = null;
  let inComment = false;
  let inQuote = false;
  const lines = body.replace(/\r\n?/g, "\n").split("\n");

  lines.forEach((raw, index) => {
    if (fence) {
      if (closesFence(raw, fence)) fence = null;
      return;
    }
    if (inComment) {
      const end = raw.indexOf("-->");
      if (end < 0) return;
      // The rest of the line is not at a line start; only a new comment opening matters.
      inComment = stripComments(raw.slice(end + 3)).open;
      return;
    }
    if (raw.trim() === "") {
      inQuote = false;
      return;
    }
    const opened = opensFence(raw);
    if (opened) {
      fence = opened;
      inQuote = false;
      return;
    }
    const { text, open } = stripComments(raw);
    inComment = open;
    if (/^ {0,3}>/.test(raw)) inQuote = true;
    if (inQuote) return;

    const match = /^([ \t]*)\/(\S+)(.*)$/.exec(text);
    if (!match || columns(match[1] as string) > 3) return;
    const spec = specs.get((match[2] as string).toLowerCase());
    if (!spec) return;
    found.push(parseInvocation(spec, match[3] as string, index + 1));
  });
  return found;
}

function parseInvocation(spec: CommandSpec, rest: string, line: number): ParsedCommand {
  const display = `/${bare(spec.name)}`;
  const allowed = spec.flags ?? [];
  const withValue = spec.valueFlags ?? [];
  const takes = spec.args ?? "none";
  const fail = (error: string, showUsage = true): ParsedCommand => ({
    ok: false,
    name: spec.name,
    error: showUsage ? `${error} (usage: ${usage(spec)})` : error,
    line,
  });

  const tokens = tokenize(rest);
  if (!Array.isArray(tokens)) return fail(tokens.error);
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args: string[] = [];
  const words: string[] = [];
  const valueName = spec.valueName ?? "value";
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    // Editors turn `--` into an en or em dash; catch those so the suggestion can fix them.
    if (!token.quoted && /^(--?|\u2013|\u2014)[A-Za-z]/.test(token.text)) {
      const [flag = "", inline] = token.text.split(/=(.*)/s);
      if (withValue.includes(flag)) {
        const next = tokens[i + 1];
        const value =
          inline !== undefined
            ? { text: inline, quoted: token.valueQuoted ?? false }
            : next && !(!next.quoted && /^(--?|\u2013|\u2014)[A-Za-z]/.test(next.text))
              ? (i++, next)
              : null;
        if (!value || value.text.trim() === "") {
          return fail(`${flag} needs a ${valueName}: ${display} ${flag} "<${valueName}>"`, false);
        }
        if (values.has(flag)) return fail(`${flag} is given twice; give it once`);
        // Unquoted, the value is one word: more words are a reason someone forgot to quote.
        const more: string[] = [];
        while (!value.quoted && tokens[i + 1] && !tokens[i + 1]?.quoted && !isFlag(tokens[i + 1])) {
          more.push((tokens[++i] as Token).text);
        }
        if (more.length > 0) {
          const text = [value.text, ...more].join(" ");
          return fail(
            `put the ${valueName} of ${flag} in quotes: ${display} ${flag} "${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`,
            false,
          );
        }
        flags.add(flag);
        values.set(flag, value.text.trim());
        continue;
      }
      if (allowed.includes(token.text)) {
        flags.add(token.text);
        continue;
      }
      const suggestion = closeFlag(flag, [...allowed, ...withValue]);
      if (suggestion) return fail(`unknown option ${flag}; did you mean ${suggestion}?`, false);
      const all = [...allowed, ...withValue];
      return fail(
        all.length === 0
          ? `unknown option ${flag}; ${display} takes no options`
          : `unknown option ${flag}; ${display} accepts ${all.join(", ")}`,
      );
    }
    if (takes === "none") words.push(token.text);
    else args.push(token.text);
  }
  if (words.length > 0 && spec.trailingText !== "ignore") {
    const text = words.join(" ");
    const quoted = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    return fail(
      `${display} takes no arguments, but "${quoted}" follows it; write the command on a line of its own`,
    );
  }
  if (takes === "required" && args.length === 0) {
    return fail(`${display} needs at least one ${spec.argName ?? "argument"}`);
  }
  return { ok: true, name: spec.name, flags, values, args, line };
}

interface Token {
  text: string;
  /** The whole token was written in quotes. */
  quoted: boolean;
  /** `--flag="…"`: the part after `=` was in quotes. */
  valueQuoted?: boolean;
}

const isFlag = (token: Token | undefined) =>
  token !== undefined && !token.quoted && /^(--?|\u2013|\u2014)[A-Za-z]/.test(token.text);

/** Straight and typographic quotes, each with the character that closes it. */
const QUOTES: Record<string, string> = {
  '"': '"',
  "'": "'",
  "\u201c": "\u201d",
  "\u2018": "\u2019",
  "\u201e": "\u201c",
};

/**
 * Words separated by spaces or commas (people write `/backport release/1.3, release/1.2`); a
 * quote at the start of a word, or right after `=`, runs to its closing quote.
 */
function tokenize(rest: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i] as string;
    if (/[\s,]/.test(c)) {
      i++;
      continue;
    }
    let text = "";
    let quoted = false;
    let valueQuoted: boolean | undefined;
    while (i < rest.length && !/[\s,]/.test(rest[i] as string)) {
      const ch = rest[i] as string;
      const atStart = text === "";
      const afterEquals = text.endsWith("=") && /^(--?|\u2013|\u2014)[A-Za-z]/.test(text);
      if ((atStart || afterEquals) && ch in QUOTES) {
        const close = QUOTES[ch] as string;
        const end = rest.indexOf(close, i + 1);
        if (end < 0) return { error: `a quote (${ch}) is opened but never closed` };
        text += rest.slice(i + 1, end);
        if (atStart) quoted = true;
        else valueQuoted = true;
        i = end + 1;
        if (atStart) break;
        continue;
      }
      text += ch;
      i++;
    }
    tokens.push({ text, quoted, ...(valueQuoted !== undefined ? { valueQuoted } : {}) });
  }
  return tokens;
}

/** The allowed flag `token` is a typo of: a dropped dash, `--dryrun`, `—dry-run` from a smart-dash editor. */
function closeFlag(token: string, allowed: readonly string[]): string | null {
  if (allowed.length === 0) return null;
  const best = closest(token, allowed as string[]);
  return distance(token, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function usage(spec: CommandSpec): string {
  const arg = `<${spec.argName ?? "argument"}>`;
  const parts = [
    `/${bare(spec.name)}`,
    ...(spec.flags ?? []).map((f) => `[${f}]`),
    ...(spec.valueFlags ?? []).map((f) => `[${f} "<${spec.valueName ?? "value"}>"]`),
  ];
  if (spec.args === "required") parts.push(`${arg} [${arg}…]`);
  if (spec.args === "optional") parts.push(`[${arg}…]`);
  return parts.join(" ");
}

function bare(name: string): string {
  return name.startsWith("/") ? name.slice(1) : name;
}

/** Width of leading whitespace in columns; a tab advances to the next multiple of 4. */
function columns(indent: string): number {
  let width = 0;
  for (const c of indent) width = c === "\t" ? width + 4 - (width % 4) : width + 1;
  return width;
}

function opensFence(line: string): { char: string; length: number } | null {
  const match = /^[ \t]*(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return null;
  const marker = match[1] as string;
  // "```js```" is inline code, not a fence: a backtick fence's info string has no backticks.
  if (marker[0] === "`" && (match[2] as string).includes("`")) return null;
  return { char: marker[0] as string, length: marker.length };
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const match = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence.char && marker.length >= fence.length;
}

/** The line without its HTML comments, and whether a comment is left open at its end. */
function stripComments(line: string): { text: string; open: boolean } {
  let text = "";
  let rest = line;
  for (;;) {
    const start = rest.indexOf("<!--");
    if (start < 0) return { text: text + rest, open: false };
    text += rest.slice(0, start);
    const end = rest.indexOf("-->", start + 4);
    if (end < 0) return { text, open: true };
    rest = rest.slice(end + 3);
  }
}
