/**
 * The decisions behind a conflict draft, without I/O: what happens to each path of a
 * cherry-pick of commit C onto the backport head H, from its three trees — base = C^1,
 * ours = H, theirs = C. `draftConflict` (conflicts.ts) reads the trees and blobs, asks these
 * two functions, and writes what they decide.
 *
 * `classifyPaths` (tree level) gives one decision per path C changed, in path order:
 *   - keep: H already has C's version (both sides made the same change, or both deleted it);
 *   - theirs / delete: only C changed the path, so C's version (or its deletion) is written;
 *     a file C adds where H has a file at a parent path or files below it is unmarkable;
 *   - renamed: H renamed the file without changing it (the same blob, mode included, under
 *     exactly one new path that C does not have), so C's version is written at the new path,
 *     like git's rename detection; a rename with edits cannot be followed and is unmarkable;
 *   - merge-text: both sides changed a regular file differently; its three blobs decide;
 *   - unmarkable, with a reason a person can act on: submodules and symlinks changed on both
 *     sides, a change to a file deleted on the other side.
 * `classifyContent` (content level) decides a merge-text path from its three contents: binary
 * (git's rule: a NUL byte in the first 8000 bytes) is unmarkable, text is merged by `mergeText`.
 */
import type { TreeItem, TreeWrite } from "../github/port/git.js";
import { mergeText } from "./merge-text.js";

export type Entry = Pick<TreeItem, "mode" | "type" | "sha">;

export type PathDecision =
  /** H already holds C's version of the path: nothing to write. */
  | { kind: "keep"; path: string }
  /** Only C changed the path: write C's blob or submodule. */
  | { kind: "theirs"; path: string; write: TreeWrite }
  /** Only C changed the path, by deleting it: write the deletion. */
  | { kind: "delete"; path: string; write: TreeWrite }
  /** H renamed the file unchanged to `to`: write C's version there. */
  | { kind: "renamed"; path: string; to: string; write: TreeWrite }
  /**
   * Both sides changed a regular file: merge the blobs (`base` null: the file is new on both
   * sides, merged against an empty base) and write the result with `mode`.
   */
  | {
      kind: "merge-text";
      path: string;
      mode: string;
      blobs: { base: string | null; ours: string; theirs: string };
    }
  /** Conflict markers cannot show this path's conflict; `reason` says what to do by hand. */
  | { kind: "unmarkable"; path: string; reason: string };

export type ContentDecision =
  /** The sides merge without conflict: write `content`. */
  | { kind: "clean"; path: string; content: Buffer }
  /** `content` holds `hunks` conflicting hunks between git's markers. */
  | { kind: "marked"; path: string; content: Buffer; hunks: number; reason: string }
  | { kind: "unmarkable"; path: string; reason: string };

/** The blobs and submodules of a recursive tree listing, by path. */
export function flatten(items: readonly TreeItem[]): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const item of items) if (item.type !== "tree") map.set(item.path, item);
  return map;
}

/** Same content and mode (two absent entries are the same). */
export const same = (x: Entry | undefined, y: Entry | undefined) =>
  x?.sha === y?.sha && x?.mode === y?.mode;

/** Git's test: a NUL byte in the first 8000 bytes makes a file binary. */
export const isBinary = (content: Buffer) => content.subarray(0, 8000).includes(0);

/** The mode of a merged file: a side that changed the mode wins; if both did, ours. */
export function mergedMode(base: Entry | undefined, ours: Entry, theirs: Entry): string {
  if (ours.mode === theirs.mode) return ours.mode;
  if (base && ours.mode === base.mode) return theirs.mode;
  return ours.mode;
}

/** Paths a blob written at `path` would clash with in `tree`: a file at a parent, or files below. */
export function clashes(tree: Map<string, Entry>, path: string): boolean {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) if (tree.has(parts.slice(0, i).join("/"))) return true;
  const below = `${path}/`;
  for (const key of tree.keys()) if (key.startsWith(below)) return true;
  return false;
}

export function classifyPaths(input: {
  base: Map<string, Entry>;
  ours: Map<string, Entry>;
  theirs: Map<string, Entry>;
  /** C's short sha, for messages. */
  commit: string;
  /** The target branch, for messages. */
  onto: string;
}): PathDecision[] {
  const { base, ours, theirs, commit: short, onto } = input;
  const changedByCommit = [...new Set([...base.keys(), ...theirs.keys()])]
    .filter((path) => !same(base.get(path), theirs.get(path)))
    .sort();
  return changedByCommit.map((path) => classifyPath(path, base, ours, theirs, short, onto));
}

function classifyPath(
  path: string,
  base: Map<string, Entry>,
  ours: Map<string, Entry>,
  theirs: Map<string, Entry>,
  short: string,
  onto: string,
): PathDecision {
  const b = base.get(path);
  const o = ours.get(path);
  const t = theirs.get(path);
  const unmarkable = (reason: string): PathDecision => ({ kind: "unmarkable", path, reason });
  if (same(o, t)) return { kind: "keep", path };
  if (same(o, b)) {
    if (t && !o && clashes(ours, path)) {
      return unmarkable(`${short} adds ${path}, but ${onto} has a file or directory in its way.`);
    }
    return t
      ? {
          kind: "theirs",
          path,
          write: { path, mode: t.mode, type: t.type === "commit" ? "commit" : "blob", sha: t.sha },
        }
      : {
          kind: "delete",
          path,
          write: { path, mode: b?.mode ?? "100644", type: "blob", sha: null },
        };
  }
  if (b && !o) {
    const renamedTo = [...ours.entries()].filter(
      ([p, e]) => !base.has(p) && e.sha === b.sha && e.mode === b.mode,
    );
    const target = renamedTo.length === 1 ? renamedTo[0] : undefined;
    if (t && target && !theirs.has(target[0])) {
      return {
        kind: "renamed",
        path,
        to: target[0],
        write: { path: target[0], mode: mergedMode(b, target[1], t), type: "blob", sha: t.sha },
      };
    }
    return unmarkable(
      t
        ? `${onto} deleted or renamed ${path}, but ${short} changes it: apply the change by hand (or drop it).`
        : `${short} deletes ${path}, which ${onto} changed.`,
    );
  }
  if (!t || !o) {
    return unmarkable(
      `${short} deletes ${path}, but ${onto} changed it: decide whether to keep or delete it.`,
    );
  }
  if (o.type !== "blob" || t.type !== "blob" || (b && b.type !== "blob")) {
    return unmarkable(
      `${path} is a submodule changed on both sides: pick the commit it should point to.`,
    );
  }
  if (o.mode === "120000" || t.mode === "120000") {
    return unmarkable(`${path} is a symbolic link changed on both sides: pick its target by hand.`);
  }
  return {
    kind: "merge-text",
    path,
    mode: mergedMode(b, o, t),
    blobs: { base: b ? b.sha : null, ours: o.sha, theirs: t.sha },
  };
}

/** The content-level decision for a `merge-text` path, from its three versions. */
export function classifyContent(
  path: string,
  base: Buffer,
  ours: Buffer,
  theirs: Buffer,
  labels: { ours: string; theirs: string },
): ContentDecision {
  if (isBinary(base) || isBinary(ours) || isBinary(theirs)) {
    return {
      kind: "unmarkable",
      path,
      reason: `${path} is a binary file changed on both sides: choose one version by hand.`,
    };
  }
  const result = mergeText(base, ours, theirs, labels);
  if (result.conflicts === 0) return { kind: "clean", path, content: result.content };
  return {
    kind: "marked",
    path,
    content: result.content,
    hunks: result.conflicts,
    reason: `${result.conflicts} conflicting hunk${result.conflicts === 1 ? "" : "s"} marked in ${path}.`,
  };
}
