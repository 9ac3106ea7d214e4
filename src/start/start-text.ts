/**
 * Pure: what `/start-hotfix` replies, and the marker its reply carries so that the first push to
 * the branch knows which line the PR goes to. The marker is read only from the bot's own
 * replies (`readStartMarker`'s caller checks the author).
 */
export const START_COMMAND = "/start-hotfix";

export interface StartMarker {
  branch: string;
  /** The line's branch: the PR's base. */
  base: string;
  /** The release tag the branch was created at, and its commit. */
  tag: string;
  sha: string;
}

const MARKER = "hotfix-bot:start";

export function startMarker(marker: StartMarker): string {
  return `<!-- ${MARKER} ${JSON.stringify(marker)} -->`;
}

export function readStartMarker(body: string): StartMarker | null {
  const match = new RegExp(`<!-- ${MARKER} (\\{[^\\n]*?\\}) -->`).exec(body);
  if (!match) return null;
  try {
    const value = JSON.parse(match[1] as string) as Partial<StartMarker>;
    const fields = [value.branch, value.base, value.tag, value.sha];
    return fields.every((f) => typeof f === "string" && f !== "") ? (value as StartMarker) : null;
  } catch {
    return null;
  }
}

/** The exact commands to work on the branch in an existing clone. */
export function checkoutCommands(branch: string): string {
  return ["```sh", "git fetch origin", `git switch --track origin/${branch}`, "```"].join("\n");
}

export interface Unreleased {
  total: number;
  /** The first few, oldest first: short sha and subject. */
  named: Array<{ sha: string; subject: string }>;
}

export function startedText(input: {
  actor: string;
  issue: number;
  branch: string;
  branchUrl: string;
  base: string;
  line: string;
  tag: string;
  sha: string;
  source: "argument" | "issue";
  unreleased: Unreleased | null;
  label: string;
}): string {
  const short = input.sha.slice(0, 7);
  const why = input.source === "issue" ? ` (the affected version the issue gives)` : "";
  const lines = [
    `@${input.actor} started the hotfix for #${input.issue} on line ${input.line}${why}: branch [\`${input.branch}\`](${input.branchUrl}), created at **${input.tag}** (${short}), the latest release of \`${input.base}\` — the version users run, not the branch's head.`,
  ];
  const u = input.unreleased;
  if (u && u.total > 0) {
    lines.push(
      "",
      `⚠️ \`${input.base}\` has ${u.total} commit${u.total === 1 ? "" : "s"} since ${input.tag} that ${u.total === 1 ? "is" : "are"} not released and not on this branch:`,
      ...u.named.map((c) => `- ${c.sha.slice(0, 7)} ${c.subject}`),
      ...(u.total > u.named.length ? [`- and ${u.total - u.named.length} more`] : []),
      "",
      `The branch leaves them out, so the fix is written and tested against what users run. They will still ship with the line's next release, which is tagged on \`${input.base}\` after the merge: if one must not, revert it there first.`,
    );
  }
  lines.push(
    "",
    "Check it out:",
    checkoutCommands(input.branch),
    "",
    `When the first commit is pushed to it, hotfix-bot opens the PR to \`${input.base}\` ("Fixes #${input.issue}", label \`${input.label}\`, assigned to whoever pushed); it then goes through the Hotfix policy check as usual.`,
    startMarker({ branch: input.branch, base: input.base, tag: input.tag, sha: input.sha }),
  );
  return lines.join("\n");
}

export function existsText(input: {
  actor: string;
  branch: string;
  sha: string;
  pull: { number: number; state: string } | null;
}): string {
  const pull = input.pull ? ` PR #${input.pull.number} (${input.pull.state}) is from it.` : "";
  return [
    `@${input.actor} nothing was created: the branch \`${input.branch}\` already exists (at ${input.sha.slice(0, 7)}); hotfix-bot never moves a branch.${pull}`,
    "",
    "Check it out:",
    checkoutCommands(input.branch),
  ].join("\n");
}
