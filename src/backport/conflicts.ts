/**
 * When GitHub's merge answers 409, it does not say which files conflict. We find them from the
 * three trees of the cherry-pick — base = C^1, ours = the backport head H, theirs = C. What
 * happens to each path is decided without I/O in classify-paths.ts (and tested there row by
 * row); this file only reads what those decisions need and writes what they decide:
 *   - `classifyPaths` (tree level): a path C did not change keeps H's version; a path only C
 *     changed takes C's version (or its deletion); a path both changed to the same result is
 *     left alone; a file the target renamed without changing it receives C's change at its new
 *     path, like git's rename detection; a regular file both changed differently is merged from
 *     its blobs; submodules, symlinks, a change to a file deleted on the other side, file/
 *     directory clashes and renames with edits cannot be marked up and are reported with a reason.
 *   - `classifyContent` (content level), on the blobs read here: binary files are reported; text
 *     is merged (`mergeText`, git-style markers), written merged when clean, else with markers.
 * Only when every conflicting file could be marked up is a draft commit built (parent H, C's
 * author): a draft with a silently missing change would be worse than none.
 */
import type { CommitInfo, GitData, TreeWrite } from "../github/port/git.js";
import { classifyContent, classifyPaths, flatten } from "./classify-paths.js";
import type { WritePacer } from "./pace-writes.js";
import { commitFields } from "./signed-commit.js";
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
    /** Create the draft commit so that GitHub signs it (`backport.signed`). */
    signed?: boolean;
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

  for (const decision of classifyPaths({ base, ours, theirs, commit: short, onto })) {
    const { path } = decision;
    if (decision.kind === "keep") continue;
    if (decision.kind === "unmarkable") {
      unmarkable(path, decision.reason);
      continue;
    }
    if (decision.kind !== "merge-text") {
      writes.push(decision.write);
      continue;
    }
    const [baseText, oursText, theirsText] = await Promise.all([
      decision.blobs.base !== null ? blob(decision.blobs.base) : Promise.resolve(Buffer.alloc(0)),
      blob(decision.blobs.ours),
      blob(decision.blobs.theirs),
    ]);
    if (!baseText || !oursText || !theirsText) {
      unmarkable(path, `The versions of ${path} could not be read.`);
      continue;
    }
    const content = classifyContent(path, baseText, oursText, theirsText, labels);
    if (content.kind === "unmarkable") {
      unmarkable(path, content.reason);
      continue;
    }
    merged.push({ path, mode: decision.mode, content: content.content });
    if (content.kind === "marked") {
      files.push({ path, state: "marked", hunks: content.hunks, reason: content.reason });
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
    ...commitFields(
      `${cherryPickMessage(commit.message, commit.sha)}\n\nConflicts (resolve the markers before merging):\n${marked}`,
      commit.author,
      input.signed === true,
    ),
    treeSha,
    parentShas: [head.sha],
  });
  return {
    files,
    draft: { sha: draft.sha, treeSha },
    reason: `${short} conflicts with ${onto} in ${files.length} file${files.length === 1 ? "" : "s"}; the draft marks them.`,
  };
}
