/**
 * Pure: the branch a hotfix started from an issue gets, `hotfix/<issue>-<slug of the title>`.
 * The slug keeps what a person reads in a branch list: lowercase ASCII letters and digits,
 * accents folded (`É` → `e`), every other run of characters one `-`, at most `MAX_SLUG` long,
 * cut at a word boundary when there is one. A title with no letter or digit in it (`!!!`, `🔥`,
 * `登录崩溃`) slugs to nothing: the caller refuses rather than invent a name.
 */
export const MAX_SLUG = 40;

export function slugOf(title: string): string | null {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (words === "") return null;
  if (words.length <= MAX_SLUG) return words;
  const cut = words.slice(0, MAX_SLUG + 1);
  const boundary = cut.lastIndexOf("-");
  // A single long word is cut where the limit falls; otherwise at the last whole word.
  return (boundary > 0 ? cut.slice(0, boundary) : cut.slice(0, MAX_SLUG)).replace(/-+$/, "");
}

/** Where `/start-hotfix` on issue `issue` puts the work; null when the title slugs to nothing. */
export function startBranchOf(issue: number, title: string): string | null {
  const slug = slugOf(title);
  return slug === null ? null : `${START_PREFIX}${issue}-${slug}`;
}

export const START_PREFIX = "hotfix/";

/** The issue a started branch belongs to (`hotfix/12-login-crash` → 12), or null. */
export function issueOfStartBranch(branch: string): number | null {
  const match = /^hotfix\/([1-9][0-9]{0,9})-[a-z0-9]/.exec(branch);
  return match ? Number(match[1]) : null;
}
