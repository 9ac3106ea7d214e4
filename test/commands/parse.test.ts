import { describe, it, expect } from "@jest/globals";
import {
  isValidCommandName,
  parseCommands,
  type CommandSpec,
  type ParsedCommand,
} from "../../src/commands/parse.js";

const release: CommandSpec = { name: "/release-hotfix", flags: ["--dry-run"] };
const backport: CommandSpec = {
  name: "/backport",
  flags: ["--dry-run"],
  args: "required",
  argName: "branch",
};
const promote: CommandSpec = { name: "/promote-hotfix" };
const rollback: CommandSpec = { name: "/rollback-hotfix" };
const known = [release, backport, promote, rollback];

/** A readable form of the result: "name@line flags [args]" or "name@line ! error". */
function show(parsed: ParsedCommand[]): string[] {
  return parsed.map((c) =>
    c.ok
      ? `${c.name}@${c.line} {${[...c.flags].join(",")}} [${c.args.join(",")}]`
      : `${c.name}@${c.line} ! ${c.error}`,
  );
}

describe("parseCommands", () => {
  const cases: Array<[string, string, string[], CommandSpec[]?]> = [
    ["plain", "/release-hotfix", ["/release-hotfix@1 {} []"]],
    ["with --dry-run", "/release-hotfix --dry-run", ["/release-hotfix@1 {--dry-run} []"]],
    ["after a paragraph", "LGTM, shipping.\n\n/release-hotfix", ["/release-hotfix@3 {} []"]],
    ["up to 3 leading spaces", "   /release-hotfix", ["/release-hotfix@1 {} []"]],
    ["4 leading spaces is an indented code block", "    /release-hotfix", []],
    ["a leading tab is an indented code block", "\t/release-hotfix", []],
    ["trailing whitespace", "/release-hotfix  \t", ["/release-hotfix@1 {} []"]],
    [
      "trailing text after the command is refused, not released",
      "/release-hotfix is not what we want here",
      [
        '/release-hotfix@1 ! /release-hotfix takes no arguments, but "is not what we want here" follows it; write the command on a line of its own (usage: /release-hotfix [--dry-run])',
      ],
    ],
    [
      "trailing text can be allowed per command",
      "/release-hotfix please, thanks",
      ["/release-hotfix@1 {} []"],
      [{ ...release, trailingText: "ignore" }],
    ],
    ["inside a ``` block", "Run this:\n```\n/release-hotfix\n```\n", []],
    ["inside a ```md block with info string", "```md\n/release-hotfix\n```", []],
    ["inside a ~~~ block", "~~~\n/release-hotfix\n~~~", []],
    ["inside an unclosed ``` block", "```\n/release-hotfix", []],
    ["inside an unclosed ~~~ block", "text\n~~~~\n/release-hotfix\n~~~\n", []],
    ["``` does not close a ~~~ block", "~~~\n```\n/release-hotfix\n", []],
    ["a shorter fence does not close a longer one", "````\n```\n/release-hotfix\n````", []],
    [
      "after a closed block",
      "```\n/backport main\n```\n/release-hotfix",
      ["/release-hotfix@4 {} []"],
    ],
    ["a fence in a list item", "- step:\n    ```\n/release-hotfix\n    ```", []],
    [
      "inline code that looks like a fence is not a fence",
      "```js```\n/release-hotfix",
      ["/release-hotfix@2 {} []"],
    ],
    ["inline code at line start", "`/release-hotfix`", []],
    ["in a quote", "> /release-hotfix", []],
    ["in a quote without space", ">/release-hotfix", []],
    ["in a nested quote", "> > /release-hotfix", []],
    ["in a nested quote, second line", "> > Can you do it?\n> > /release-hotfix", []],
    ["lazy continuation of a quote", "> please run\n/release-hotfix", []],
    [
      "after a quote and a blank line",
      "> please run it\n\n/release-hotfix",
      ["/release-hotfix@3 {} []"],
    ],
    ["a fence inside a quote", "> ```\n> /release-hotfix\n> ```", []],
    ["mid-sentence mention", "please run /release-hotfix", []],
    ["mid-sentence, second line", "ok\nplease run /release-hotfix now", []],
    ["list item", "- /release-hotfix", []],
    ["escaped slash", "\\/release-hotfix", []],
    ["longer word", "/release-hotfixes", []],
    ["longer word with punctuation", "/release-hotfix.", []],
    ["prefix of the name", "/release", []],
    ["case-insensitive name (phone keyboards)", "/Release-Hotfix", ["/release-hotfix@1 {} []"]],
    ["in an HTML comment", "<!-- /release-hotfix -->", []],
    ["in a multi-line HTML comment", "<!--\n/release-hotfix\n-->", []],
    ["in an unclosed HTML comment", "text <!-- hidden\n/release-hotfix", []],
    [
      "on the line that closes a comment",
      "<!--\nhidden -->\n/release-hotfix",
      ["/release-hotfix@3 {} []"],
    ],
    [
      "a comment after the command is dropped",
      "/release-hotfix <!-- ticket 42 -->",
      ["/release-hotfix@1 {} []"],
    ],
    [
      "<!-- inside a code block is literal",
      "```\n<!--\n```\n/release-hotfix",
      ["/release-hotfix@4 {} []"],
    ],
    [
      "custom command name",
      "/ship-it --dry-run",
      ["/ship-it@1 {--dry-run} []"],
      [{ name: "/ship-it", flags: ["--dry-run"] }],
    ],
    ["custom name without slash", "/ship-it", ["ship-it@1 {} []"], [{ name: "ship-it" }]],
    [
      "the default name is not known when customised",
      "/release-hotfix",
      [],
      [{ name: "/ship-it" }],
    ],
    [
      "/backport with branches",
      "/backport release/1.3 main",
      ["/backport@1 {} [release/1.3,main]"],
    ],
    [
      "/backport with commas",
      "/backport release/1.3, release/1.2",
      ["/backport@1 {} [release/1.3,release/1.2]"],
    ],
    [
      "/backport with a flag anywhere",
      "/backport release/1.3 --dry-run main",
      ["/backport@1 {--dry-run} [release/1.3,main]"],
    ],
    [
      "/backport without a branch",
      "/backport",
      [
        "/backport@1 ! /backport needs at least one branch (usage: /backport [--dry-run] <branch> [<branch>…])",
      ],
    ],
    [
      "unknown flag with suggestion",
      "/release-hotfix --dryrun",
      ["/release-hotfix@1 ! unknown option --dryrun; did you mean --dry-run?"],
    ],
    [
      "single-dash flag",
      "/release-hotfix -dry-run",
      ["/release-hotfix@1 ! unknown option -dry-run; did you mean --dry-run?"],
    ],
    [
      "smart-dash flag from an editor",
      "/release-hotfix \u2014dry-run",
      ["/release-hotfix@1 ! unknown option \u2014dry-run; did you mean --dry-run?"],
    ],
    [
      "unknown flag, nothing close",
      "/release-hotfix --force",
      [
        "/release-hotfix@1 ! unknown option --force; /release-hotfix accepts --dry-run (usage: /release-hotfix [--dry-run])",
      ],
    ],
    [
      "flag on a command without flags",
      "/promote-hotfix --now",
      [
        "/promote-hotfix@1 ! unknown option --now; /promote-hotfix takes no options (usage: /promote-hotfix)",
      ],
    ],
    [
      "flags are case-sensitive",
      "/release-hotfix --Dry-Run",
      ["/release-hotfix@1 ! unknown option --Dry-Run; did you mean --dry-run?"],
    ],
    [
      "CRLF body",
      "Thanks!\r\n\r\n/release-hotfix --dry-run\r\n",
      ["/release-hotfix@3 {--dry-run} []"],
    ],
    [
      "CRLF fences",
      "```\r\n/release-hotfix\r\n```\r\n/promote-hotfix\r\n",
      ["/promote-hotfix@4 {} []"],
    ],
    ["CRLF quote", "> /release-hotfix\r\n", []],
    ["old Mac CR body", "hi\r/rollback-hotfix", ["/rollback-hotfix@2 {} []"]],
    ["empty body", "", []],
    ["whitespace-only body", " \n\t\n", []],
    [
      "all commands in order",
      "/backport release/1.3\n/release-hotfix\n/rollback-hotfix",
      ["/backport@1 {} [release/1.3]", "/release-hotfix@2 {} []", "/rollback-hotfix@3 {} []"],
    ],
    ["unknown commands are not reported", "/lgtm\n/assign @me", []],
  ];

  // Objects rather than arrays: jest treats an extra function parameter as a `done` callback.
  const rows = cases.map(([name, body, expected, specs]) => ({ name, body, expected, specs }));
  it.each(rows)("$name", ({ body, expected, specs }) => {
    expect(show(parseCommands(body, specs ?? known))).toEqual(expected);
  });

  it("returns the flags as a set and the spec's name as given", () => {
    const [first] = parseCommands("/release-hotfix --dry-run --dry-run", known);
    expect(first).toEqual({
      ok: true,
      name: "/release-hotfix",
      flags: new Set(["--dry-run"]),
      values: new Map(),
      args: [],
      line: 1,
    });
  });

  it("refuses an invalid command name in the specs", () => {
    expect(() => parseCommands("/x", [{ name: "/has space" }])).toThrow(/invalid command name/);
  });
});

describe('options that take a value (`--override "reason"`)', () => {
  const withOverride: CommandSpec = {
    name: "/release-hotfix",
    flags: ["--dry-run", "--when-open", "--cancel"],
    valueFlags: ["--override"],
    valueName: "reason",
  };
  const parse = (body: string) => parseCommands(body, [withOverride])[0] as ParsedCommand;
  const valueOf = (body: string) => {
    const parsed = parse(body);
    if (!parsed.ok) throw new Error(parsed.error);
    return { flags: [...parsed.flags].sort(), override: parsed.values.get("--override") };
  };

  it.each([
    ['/release-hotfix --override "payments are down"', "payments are down"],
    ["/release-hotfix --override 'payments are down'", "payments are down"],
    ["/release-hotfix --override \u201cpayments are down\u201d", "payments are down"],
    ['/release-hotfix --override="payments are down, again"', "payments are down, again"],
    ["/release-hotfix --override outage", "outage"],
    ['/release-hotfix --override "  spaced  "', "spaced"],
    [
      '/release-hotfix --override "it\'s the /release-hotfix --cancel bug"',
      "it's the /release-hotfix --cancel bug",
    ],
  ])("%s → %j", (body, reason) => {
    expect(valueOf(body)).toEqual({ flags: ["--override"], override: reason });
  });

  it("combines with other flags in any order", () => {
    expect(valueOf('/release-hotfix --dry-run --override "db failover"')).toEqual({
      flags: ["--dry-run", "--override"],
      override: "db failover",
    });
    expect(valueOf('/release-hotfix --override "db failover" --dry-run')).toEqual({
      flags: ["--dry-run", "--override"],
      override: "db failover",
    });
  });

  it.each([
    [
      "/release-hotfix --override",
      '--override needs a reason: /release-hotfix --override "<reason>"',
    ],
    [
      '/release-hotfix --override ""',
      '--override needs a reason: /release-hotfix --override "<reason>"',
    ],
    [
      "/release-hotfix --override --dry-run",
      '--override needs a reason: /release-hotfix --override "<reason>"',
    ],
    [
      "/release-hotfix --override payments are down",
      'put the reason of --override in quotes: /release-hotfix --override "payments are down"',
    ],
    [
      '/release-hotfix --override "payments are down',
      'a quote (") is opened but never closed (usage: /release-hotfix [--dry-run] [--when-open] [--cancel] [--override "<reason>"])',
    ],
    [
      '/release-hotfix --override "a" --override "b"',
      '--override is given twice; give it once (usage: /release-hotfix [--dry-run] [--when-open] [--cancel] [--override "<reason>"])',
    ],
    ['/release-hotfix --overide "x"', "unknown option --overide; did you mean --override?"],
    [
      "/release-hotfix \u2014when-open",
      "unknown option \u2014when-open; did you mean --when-open?",
    ],
  ])("%s is refused: %s", (body, error) => {
    expect(parse(body)).toMatchObject({ ok: false, error });
  });

  it("a quoted word is an argument, never an option", () => {
    expect(parse('/release-hotfix "--dry-run"')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/takes no arguments, but "--dry-run" follows it/),
    });
  });
});

describe("isValidCommandName", () => {
  it.each([
    ["/release-hotfix", true],
    ["ship-it", true],
    ["/v2.ship_it", true],
    ["/", false],
    ["", false],
    ["/-x", false],
    ["/a b", false],
    ["//x", false],
  ])("%j → %s", (name, expected) => {
    expect(isValidCommandName(name)).toBe(expected);
  });
});
