/**
 * When GitHub's merge answers 409, it does not say which files conflict. We find them from the
 * three trees of the cherry-pick — base = C^1, ours = the backport head H, theirs = C:
 *   - a path C did not change (base = theirs) keeps H's version;
 *   - a path only C changed (base = ours) takes C's version;
 *   - a path both changed to the same result is left alone;
 *   - a path both changed differently is a conflict candidate: text files are merged here
 *     (`mergeText`, git-style markers); those that merge cleanly are written merged, the rest
 *     with markers. Binary files, symlinks, submodules, a change to a file deleted on the other
 *     side, and file/directory clashes cannot be marked up and are reported with a reason.
 *   - a file the target renamed without changing it (same blob under a new path) receives C's
 *     change at its new path, like git's rename detection; a rename with edits cannot be
 *     followed and is reported.
 * Only when every conflicting file could be marked up is a draft commit built (parent H, C's
 * author): a draft with a silently missing change would be worse than none.
 */
import type { CommitInfo, GitData, TreeItem, TreeWrite } from "../github/port/git.js";
import { mergeText } from "./merge-text.js";
import type { WritePacer } from "./pace-writes.js";
import { cherryPickMessage, shortSha, subjectOf } from "./pick-message.js";

export type ConflictFile =
  /** The draft has this file with conflict markers. */
  | { path: string; state: "marked"; hunks: number; reason: string }
  /** This file's conflict cannot be shown with markers; `reason` says what to do by hand. */
  | { path: string; state: "unmarkable"; reason: string };

export interface ConflictDraft {
  files: ConflictFile[];
  /** The commit holding C's change with markers, when every file could be marked up. */
  draft: { sha: string; treeSha: string } | null;
  reason: string;
}

type Entry = Pick<TreeItem, "mode" | "type" | "sha">;

function flatten(items: readonly TreeItem[]): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const item of items) if (item.type !== "tree") map.set(item.path, item);
  return map;
}

const same = (x: Entry | undefined, y: Entry | undefined) =>
  x?.sha === y?.sha && x?.mode === y?.mode;

/** Git's test: a NUL byte in the first 8000 bytes makes a file binary. */
const isBinary = (content: Buffer) => content.subarray(0, 8000).includes(0);

function mergedMode(base: Entry | undefined, ours: Entry, theirs: Entry): string {
  if (ours.mode === theirs.mode) return ours.mode;
  if (base && ours.mode === base.mode) return theirs.mode;
  return ours.mode;
}

/** Paths a blob written at `path` would clash with in `tree`: a file at a parent, or files below. */
function clashes(tree: Map<string, Entry>, path: string): boolean {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) if (tree.has(parts.slice(0, i).join("/"))) return true;
  const below = `${path}/`;
  for (const key of tree.keys()) if (key.startsWith(below)) return true;
  return false;
}

export async function draftConflict(
  github: Pick<
    GitData,
    "getCommit" | "getTree" | "getBlob" | "createBlob" | "createTree" | "createCommit"
  >,
  input: {
    commit: CommitInfo;
    head: { sha: string; treeSha: string };
    onto: string;
    pacer: WritePacer;
    /** false: only locate and classify the conflicts (reads only), build no draft. */
    draft?: boolean;
  },
): Promise<ConflictDraft> {
  const { commit, head, onto, pacer } = input;
  const short = shortSha(commit.sha);
  const parentSha = commit.parentShas[0];
  const parent = parentSha ? await github.getCommit(parentSha) : null;
  if (!parent) {
    return {
      files: [],
      draft: null,
      reason: `The parent of ${short} could not be read, so its conflicts could not be located.`,
    };
  }
  const [baseTree, oursTree, theirsTree] = await Promise.all([
    github.getTree(parent.treeSha, { recursive: true }),
    github.getTree(head.treeSha, { recursive: true }),
    github.getTree(commit.treeSha, { recursive: true }),
  ]);
  if (!baseTree || !oursTree || !theirsTree) {
    return { files: [], draft: null, reason: `The trees of ${short} could not be read.` };
  }
  if (baseTree.truncated || oursTree.truncated || theirsTree.truncated) {
    return {
      files: [],
      draft: null,
      reason: `The repository's tree is too large for GitHub to list in full, so the conflicting files could not be located.`,
    };
  }
  const base = flatten(baseTree.items);
  const ours = flatten(oursTree.items);
  const theirs = flatten(theirsTree.items);

  const blobs = new Map<string, Promise<Buffer | null>>();
  const blob = (sha: string) => {
    let pending = blobs.get(sha);
    if (!pending) blobs.set(sha, (pending = github.getBlob(sha)));
    return pending;
  };
  const labels = { ours: onto, theirs: `${short} (${subjectOf(commit.message)})` };

  const files: ConflictFile[] = [];
  const writes: TreeWrite[] = [];
  const merged: { path: string; mode: string; content: Buffer }[] = [];
  const unmarkable = (path: string, reason: string) =>
    files.push({ path, state: "unmarkable", reason });

  const changedByCommit = [...new Set([...base.keys(), ...theirs.keys()])]
    .filter((path) => !same(base.get(path), theirs.get(path)))
    .sort();

  for (const path of changedByCommit) {
    const b = base.get(path);
    const o = ours.get(path);
    const t = theirs.get(path);
    if (same(o, t)) continue;
    if (same(o, b)) {
      if (t && !o && clashes(ours, path)) {
        unmarkable(path, `${short} adds ${path}, but ${onto} has a file or directory in its way.`);
      } else {
        writes.push(
          t
            ? { path, mode: t.mode, type: t.type === "commit" ? "commit" : "blob", sha: t.sha }
            : { path, mode: b?.mode ?? "100644", type: "blob", sha: null },
        );
      }
      continue;
    }
    if (b && !o) {
      const renamedTo = [...ours.entries()].filter(
        ([p, e]) => !base.has(p) && e.sha === b.sha && e.mode === b.mode,
      );
      const target = renamedTo.length === 1 ? renamedTo[0] : undefined;
      if (t && target && !theirs.has(target[0])) {
        writes.push({
          path: target[0],
          mode: mergedMode(b, target[1], t),
          type: "blob",
          sha: t.sha,
        });
        continue;
      }
      unmarkable(
        path,
        t
          ? `${onto} deleted or renamed ${path}, but ${short} changes it: apply the change by hand (or drop it).`
          : `${short} deletes ${path}, which ${onto} changed.`,
      );
      continue;
    }
    if (!t || !o) {
      unmarkable(
        path,
        `${short} deletes ${path}, but ${onto} changed it: decide whether to keep or delete it.`,
      );
      continue;
    }
    if (o.type !== "blob" || t.type !== "blob" || (b && b.type !== "blob")) {
      unmarkable(
        path,
        `${path} is a submodule changed on both sides: pick the commit it should point to.`,
      );
      continue;
    }
    if (o.mode === "120000" || t.mode === "120000") {
      unmarkable(
        path,
        `${path} is a symbolic link changed on both sides: pick its target by hand.`,
      );
      continue;
    }
    const [baseText, oursText, theirsText] = await Promise.all([
      b ? blob(b.sha) : Promise.resolve(Buffer.alloc(0)),
      blob(o.sha),
      blob(t.sha),
    ]);
    if (!baseText || !oursText || !theirsText) {
      unmarkable(path, `The versions of ${path} could not be read.`);
      continue;
    }
    if (isBinary(baseText) || isBinary(oursText) || isBinary(theirsText)) {
      unmarkable(
        path,
        `${path} is a binary file changed on both sides: choose one version by hand.`,
      );
      continue;
    }
    const result = mergeText(baseText, oursText, theirsText, labels);
    merged.push({ path, mode: mergedMode(b, o, t), content: result.content });
    if (result.conflicts > 0) {
      files.push({
        path,
        state: "marked",
        hunks: result.conflicts,
        reason: `${result.conflicts} conflicting hunk${result.conflicts === 1 ? "" : "s"} marked in ${path}.`,
      });
    }
  }

  const blocked = files.filter((f) => f.state === "unmarkable");
  if (blocked.length > 0) {
    return {
      files,
      draft: null,
      reason: `${short} conflicts with ${onto} in a way conflict markers cannot show (${blocked.map((f) => f.path).join(", ")}).`,
    };
  }
  if (files.length === 0) {
    return {
      files,
      draft: null,
      reason: `GitHub could not apply ${short} to ${onto}, but no file changed on both sides conflicts line by line (likely a rename git followed); finish it locally.`,
    };
  }

  if (input.draft === false) {
    return {
      files,
      draft: null,
      reason: `${short} conflicts with ${onto} in ${files.map((f) => f.path).join(", ")}.`,
    };
  }

  for (const file of merged) {
    // UTF-8 text goes inline in the tree request; other bytes need their own blob write.
    const text = file.content.toString("utf8");
    if (Buffer.from(text, "utf8").equals(file.content)) {
      writes.push({ path: file.path, mode: file.mode, type: "blob", content: text });
      continue;
    }
    await pacer.beforeWrite();
    writes.push({
      path: file.path,
      mode: file.mode,
      type: "blob",
      sha: await github.createBlob(file.content),
    });
  }
  await pacer.beforeWrite();
  const treeSha = await github.createTree({ baseTreeSha: head.treeSha, writes });
  const marked = files.map((f) => `\t${f.path}`).join("\n");
  await pacer.beforeWrite();
  const draft = await github.createCommit({
    message: `${cherryPickMessage(commit.message, commit.sha)}\n\nConflicts (resolve the markers before merging):\n${marked}`,
    treeSha,
    parentShas: [head.sha],
    ...(commit.author ? { author: commit.author } : {}),
  });
  return {
    files,
    draft: { sha: draft.sha, treeSha },
    reason: `${short} conflicts with ${onto} in ${files.length} file${files.length === 1 ? "" : "s"}; the draft marks them.`,
  };
}
