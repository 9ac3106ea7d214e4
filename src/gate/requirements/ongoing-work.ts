/**
 * Pure: conflicts with ongoing work — the other open PRs to the hotfix's base branch that change
 * any of its files. Which PRs are compared (other hotfixes first, then ordinary PRs, then
 * backport PRs; at most `conflicts.max_pulls`), what a PR's file list says (GitHub lists at most
 * 3,000 files: a PR at that limit cannot be compared), and the requirement: a warning that holds
 * nothing (`warn`), or a wait until the overlapping PRs are merged, closed or changed (`block`).
 * Two hotfixes changing the same files would wait for each other forever: with `block` the one
 * opened first (the lower number) goes first, and the later one waits for it.
 */
import type { PullRequest } from "../../github/model.js";
import type { ChangedFile } from "../../github/port/pulls.js";
import type { Policy } from "../../policy/schema.js";
import { matchesAny } from "../../policy/patterns.js";
import { backportTargetOf } from "../../record/names.js";
import { recogniseHotfix } from "../recognise.js";
import { met, waiting, warning, type RequirementResult } from "../requirement.js";

/** GitHub's files listing of a PR stops at 3,000 files: at that count the list may be cut. */
export const MAX_LISTED_FILES = 3000;

export type WorkKind = "hotfix" | "ordinary" | "backport";

/** Listed in this order, and compared in this order when not all can be. */
const RANK: Record<WorkKind, number> = { hotfix: 0, ordinary: 1, backport: 2 };

export interface OtherPull {
  number: number;
  title: string;
  url: string;
  author: string;
  kind: WorkKind;
}

/** The paths a PR changes (renamed files by both names), or that it is too large to list. */
export type ChangedPaths = { paths: string[] } | { tooLarge: true };

export interface OngoingWork {
  /** The hotfix's own number: a hotfix opened after it waits for it, not the other way round. */
  self: number;
  base: string;
  own: ChangedPaths;
  compared: Array<{ pull: OtherPull; changed: ChangedPaths }>;
  /** Open PRs to the base left out by `conflicts.max_pulls`. */
  notCompared: number;
  /** GitHub had more open PRs to the base than one page: the least recently updated were not seen. */
  unlisted: boolean;
}

/** A backport PR (`backport/<n>-to-<base>`, as hotfix-bot names them), a hotfix, or ordinary work. */
export function workKind(pull: PullRequest, hotfix: Policy["hotfix"]): WorkKind {
  const backport = /^backport\/(\d+)-to-/.exec(pull.head.ref);
  if (backport && backportTargetOf(Number(backport[1]), pull.head.ref) === pull.base.ref)
    return "backport";
  return recogniseHotfix(pull, hotfix).hotfix ? "hotfix" : "ordinary";
}

/**
 * The PRs to compare with `self`, from GitHub's list of open PRs to its base (most recently
 * updated first): other hotfixes, then ordinary PRs, then backport PRs, at most `max_pulls`.
 */
export function chooseToCompare(
  open: readonly PullRequest[],
  self: Pick<PullRequest, "number">,
  policy: Pick<Policy, "hotfix" | "conflicts">,
): { chosen: OtherPull[]; left: number } {
  const others = open
    .filter((p) => p.number !== self.number && p.state === "open")
    .map((p, order): OtherPull & { order: number } => ({
      number: p.number,
      title: p.title,
      url: p.htmlUrl,
      author: p.author.login,
      kind: workKind(p, policy.hotfix),
      order,
    }))
    .sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.order - b.order)
    .map(({ order: _, ...pull }) => pull);
  const max = policy.conflicts.max_pulls;
  return { chosen: others.slice(0, max), left: Math.max(0, others.length - max) };
}

export function changedPaths(files: readonly ChangedFile[]): ChangedPaths {
  if (files.length >= MAX_LISTED_FILES) return { tooLarge: true };
  const paths = new Set<string>();
  for (const f of files) {
    paths.add(f.filename);
    if (f.previousFilename) paths.add(f.previousFilename);
  }
  return { paths: [...paths].sort() };
}

const TITLE = "Ongoing work";
const ID = "conflicts";
/** How many overlapping PRs the details list, and how many files per PR. */
const SHOWN_PULLS = 10;
const SHOWN_FILES = 5;

const link = (p: OtherPull) => `[#${p.number}](${p.url})`;
const code = (path: string) => `\`${path.replace(/`/g, "'")}\``;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const KIND_WORDS: Record<WorkKind, string> = {
  hotfix: "hotfix",
  ordinary: "PR",
  backport: "backport",
};

function listFiles(paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN_FILES).map(code).join(", ");
  const more = paths.length - SHOWN_FILES;
  return more > 0 ? `${shown} and ${plural(more, "more file")}` : shown;
}

/** At most SHOWN_PULLS links, then "and N more": a reason stays one readable line. */
function linksOf(pulls: readonly OtherPull[]): string {
  const more = pulls.length - SHOWN_PULLS;
  const shown = pulls.slice(0, SHOWN_PULLS).map(link);
  return joinWords(more > 0 ? [...shown, `${more} more`] : shown);
}

function joinWords(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1) as string}`;
}

export function ongoingWorkRequirement(
  work: OngoingWork | null,
  policy: Pick<Policy, "conflicts">,
): RequirementResult | null {
  if (work === null) return null;
  const base = code(work.base);
  const { ignore, on_overlap: mode, max_pulls: max } = policy.conflicts;
  if ("tooLarge" in work.own) {
    return warning(
      ID,
      TITLE,
      `this hotfix changes ${MAX_LISTED_FILES.toLocaleString("en")} files or more, more than GitHub lists, so it cannot be compared with other open PRs to ${base}`,
    );
  }
  const own = new Set(work.own.paths.filter((p) => !matchesAny(p, ignore)));
  const overlaps: Array<{ pull: OtherPull; paths: string[] }> = [];
  const tooLarge: OtherPull[] = [];
  for (const { pull, changed } of work.compared) {
    if ("tooLarge" in changed) tooLarge.push(pull);
    else {
      const paths = changed.paths.filter((p) => own.has(p)).sort();
      if (paths.length > 0) overlaps.push({ pull, paths });
    }
  }
  const byKind = <T extends { kind: WorkKind; number: number }>(a: T, b: T) =>
    RANK[a.kind] - RANK[b.kind] || a.number - b.number;
  overlaps.sort((a, b) => byKind(a.pull, b.pull));
  tooLarge.sort(byKind);

  const coverage: string[] = [];
  if (work.notCompared > 0)
    coverage.push(
      `${plural(work.notCompared, "less recently updated open PR was", "less recently updated open PRs were")} not compared (\`conflicts.max_pulls\`: ${max})`,
    );
  if (work.unlisted)
    coverage.push(`GitHub lists 100 open PRs at most: older ones to ${base} were not seen`);
  const largeLine = (p: OtherPull) =>
    `${link(p)} (${KIND_WORDS[p.kind]}) changes ${MAX_LISTED_FILES.toLocaleString("en")} files or more: too large to compare`;

  if (overlaps.length === 0) {
    const compared = work.compared.length;
    const why =
      work.own.paths.length === 0
        ? "this hotfix changes no file"
        : own.size === 0
          ? "every file this hotfix changes is in `conflicts.ignore`"
          : compared === 0
            ? `no other open PR to ${base}`
            : compared === 1
              ? `the one other open PR to ${base} compared does not change the files of this hotfix`
              : `none of the ${compared} other open PRs to ${base} compared changes the files of this hotfix`;
    if (tooLarge.length > 0) {
      return warning(
        ID,
        TITLE,
        `cannot tell whether ${linksOf(tooLarge)} ${tooLarge.length === 1 ? "changes" : "change"} the same files: GitHub lists at most ${MAX_LISTED_FILES.toLocaleString("en")} files of a PR`,
        [...tooLarge.map(largeLine), ...coverage],
      );
    }
    return met(ID, TITLE, [why, ...coverage].join("; "));
  }

  const shown = overlaps.slice(0, SHOWN_PULLS);
  const details = [
    ...shown.map(
      ({ pull, paths }) =>
        `${link(pull)} (${KIND_WORDS[pull.kind]}) ${pull.title} — @${pull.author}: ${listFiles(paths)}`,
    ),
    ...(overlaps.length > SHOWN_PULLS
      ? [`and ${plural(overlaps.length - SHOWN_PULLS, "more PR")}`]
      : []),
    ...tooLarge.map(largeLine),
    ...coverage,
  ];
  const names = linksOf(overlaps.map(({ pull }) => pull));
  const verb = overlaps.length === 1 ? "changes" : "change";
  if (mode === "block") {
    const holding = overlaps.filter(
      ({ pull }) => !(pull.kind === "hotfix" && pull.number > work.self),
    );
    if (holding.length > 0) {
      const one = holding.length === 1;
      return waiting(
        ID,
        TITLE,
        `waiting for ${linksOf(holding.map(({ pull }) => pull))}: ${one ? "it changes" : "they change"} the same files in ${base}; the hotfix may be released once ${one ? "it is" : "they are"} merged or closed, or no longer ${one ? "changes" : "change"} them (\`conflicts.on_overlap: block\`)`,
        details,
      );
    }
    return warning(
      ID,
      TITLE,
      `${names} ${verb} the same files in ${base}, but ${overlaps.length === 1 ? "it is a hotfix" : "they are hotfixes"} opened after this one: ${overlaps.length === 1 ? "it waits" : "they wait"} for this one to go first (a warning: it does not hold the release)`,
      details,
    );
  }
  return warning(
    ID,
    TITLE,
    `${names} ${verb} the same files in ${base}: agree with ${overlaps.length === 1 ? "its author" : "their authors"} which goes first (a warning: it does not hold the release)`,
    details,
  );
}
