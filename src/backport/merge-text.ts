/**
 * A 3-way merge of one text file with git's conflict markers, for conflict drafts. node-diff3
 * does the diff3 work; the post-processing copies what git's xdiff does at its default level
 * (XDL_MERGE_ZEALOUS, merge.conflictStyle=merge) so the markers look like git's:
 *  - a region both sides changed identically is not a conflict;
 *  - a conflict is refined by diffing the two sides: lines they share become plain context
 *    and only the differing runs stay inside markers;
 *  - two conflicts separated by at most 3 unchanged lines become one;
 *  - a side whose last line has no newline gets one before the next marker.
 * Line alignment can still differ from git's where a diff is ambiguous (node-diff3 uses an LCS,
 * git Myers), so the draft is a guide for the person resolving it, and the tests compare with
 * `git merge-tree` on concrete cases.
 *
 * Bytes go through latin1, which maps every byte to one char and back, so files in any
 * encoding round-trip unchanged; labels (UTF-8) are converted the same way.
 */
import { diff3MergeRegions, diffComm } from "node-diff3";

export interface TextMerge {
  /** The merged file, with markers where the sides conflict. */
  content: Buffer;
  /** Number of marked conflict hunks (0: the merge is clean). */
  conflicts: number;
}

type Item =
  | { kind: "plain"; lines: string[]; unchanged: boolean }
  | { kind: "conflict"; ours: string[]; theirs: string[] };

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

const equal = (a: string[], b: string[]) =>
  a.length === b.length && a.every((line, i) => line === b[i]);

/** Git's xdl_refine_conflicts: keep in markers only what the two sides do not share. */
function refine(ours: string[], theirs: string[]): Item[] {
  if (ours.length === 0 || theirs.length === 0) return [{ kind: "conflict", ours, theirs }];
  return diffComm(ours, theirs).map((chunk): Item =>
    chunk.common
      ? { kind: "plain", lines: chunk.common, unchanged: true }
      : { kind: "conflict", ours: chunk.buffer1, theirs: chunk.buffer2 },
  );
}

/** Git's xdl_simplify_non_conflicts: conflicts at most 3 unchanged lines apart become one. */
function coalesce(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    const gap = out[out.length - 2];
    if (
      item.kind === "conflict" &&
      last?.kind === "plain" &&
      last.unchanged &&
      last.lines.length <= 3 &&
      gap?.kind === "conflict"
    ) {
      out.splice(out.length - 2, 2, {
        kind: "conflict",
        ours: [...gap.ours, ...last.lines, ...item.ours],
        theirs: [...gap.theirs, ...last.lines, ...item.theirs],
      });
    } else if (
      item.kind === "plain" &&
      last?.kind === "plain" &&
      last.unchanged === item.unchanged
    ) {
      last.lines.push(...item.lines);
    } else {
      out.push(item.kind === "plain" ? { ...item, lines: [...item.lines] } : item);
    }
  }
  return out;
}

export function mergeText(
  base: Buffer,
  ours: Buffer,
  theirs: Buffer,
  labels: { ours: string; theirs: string },
): TextMerge {
  const o = splitLines(base.toString("latin1"));
  const a = splitLines(ours.toString("latin1"));
  const b = splitLines(theirs.toString("latin1"));
  const items: Item[] = [];
  for (const region of diff3MergeRegions(a, o, b)) {
    if (region.stable) {
      items.push({ kind: "plain", lines: region.bufferContent, unchanged: region.buffer === "o" });
    } else if (equal(region.aContent, region.bContent)) {
      items.push({ kind: "plain", lines: region.aContent, unchanged: false });
    } else {
      items.push(...refine(region.aContent, region.bContent));
    }
  }

  const crlf = (a[0] ?? "").endsWith("\r\n") && (b[0] ?? "").endsWith("\r\n");
  const eol = crlf ? "\r\n" : "\n";
  const label = (text: string) => Buffer.from(text, "utf8").toString("latin1");
  const side = (lines: string[]) => {
    const text = lines.join("");
    return text === "" || text.endsWith("\n") ? text : text + eol;
  };
  let conflicts = 0;
  let out = "";
  for (const item of coalesce(items)) {
    if (item.kind === "plain") {
      out += item.lines.join("");
      continue;
    }
    conflicts++;
    out +=
      `<<<<<<< ${label(labels.ours)}${eol}${side(item.ours)}` +
      `=======${eol}${side(item.theirs)}>>>>>>> ${label(labels.theirs)}${eol}`;
  }
  return { content: Buffer.from(out, "latin1"), conflicts };
}
