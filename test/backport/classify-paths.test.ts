/**
 * The conflict draft's decisions, row by row and without I/O: each row gives the three trees of
 * a cherry-pick (base = C^1, ours = the target's head, theirs = C) and the exact decisions
 * `classifyPaths` must return; then `classifyContent` on the three versions of a file. The
 * end-to-end behaviour (against real git) is in cherry-pick.test.ts.
 */
import { describe, expect, it } from "@jest/globals";
import {
  classifyContent,
  classifyPaths,
  flatten,
  mergedMode,
  type ContentDecision,
  type Entry,
  type PathDecision,
} from "../../src/backport/classify-paths.js";

const file = (sha: string, mode = "100644"): Entry => ({ mode, type: "blob", sha });
const exe = (sha: string) => file(sha, "100755");
const link = (sha: string) => file(sha, "120000");
const submodule = (sha: string): Entry => ({ mode: "160000", type: "commit", sha });

type Tree = Record<string, Entry>;
const SHORT = "abc1234";
const ONTO = "release/1.x";

function classify(base: Tree, ours: Tree, theirs: Tree): PathDecision[] {
  const map = (tree: Tree) => new Map(Object.entries(tree));
  return classifyPaths({
    base: map(base),
    ours: map(ours),
    theirs: map(theirs),
    commit: SHORT,
    onto: ONTO,
  });
}

const write = (path: string, entry: Entry) => ({
  path,
  mode: entry.mode,
  type: entry.type as "blob" | "commit",
  sha: entry.sha,
});

const rows: { name: string; base: Tree; ours: Tree; theirs: Tree; expected: PathDecision[] }[] = [
  // ── paths C did not change ───────────────────────────────────────────────────────────────
  {
    name: "a path C did not change gets no decision, whatever ours did to it",
    base: { "a.txt": file("A"), "b.txt": file("B") },
    ours: { "a.txt": file("A2") },
    theirs: { "a.txt": file("A"), "b.txt": file("B") },
    expected: [],
  },
  // ── only C changed the path ──────────────────────────────────────────────────────────────
  {
    name: "only theirs changed a file: write theirs",
    base: { "a.txt": file("A") },
    ours: { "a.txt": file("A") },
    theirs: { "a.txt": file("A2") },
    expected: [{ kind: "theirs", path: "a.txt", write: write("a.txt", file("A2")) }],
  },
  {
    name: "only theirs added a file: write theirs",
    base: {},
    ours: { "other.txt": file("O") },
    theirs: { "new.txt": exe("N") },
    expected: [{ kind: "theirs", path: "new.txt", write: write("new.txt", exe("N")) }],
  },
  {
    name: "only theirs moved a submodule: write it as a commit entry",
    base: { vendor: submodule("S1") },
    ours: { vendor: submodule("S1") },
    theirs: { vendor: submodule("S2") },
    expected: [{ kind: "theirs", path: "vendor", write: write("vendor", submodule("S2")) }],
  },
  {
    name: "only theirs deleted a file: write the deletion with the base mode",
    base: { "old.sh": exe("A") },
    ours: { "old.sh": exe("A") },
    theirs: {},
    expected: [
      {
        kind: "delete",
        path: "old.sh",
        write: { path: "old.sh", mode: "100755", type: "blob", sha: null },
      },
    ],
  },
  {
    name: "mode-only change by theirs: write theirs' mode on the same blob",
    base: { "run.sh": file("A") },
    ours: { "run.sh": file("A") },
    theirs: { "run.sh": exe("A") },
    expected: [{ kind: "theirs", path: "run.sh", write: write("run.sh", exe("A")) }],
  },
  {
    name: "theirs adds into a directory ours has: no clash",
    base: {},
    ours: { "dir/a.txt": file("A") },
    theirs: { "dir/b.txt": file("B") },
    expected: [{ kind: "theirs", path: "dir/b.txt", write: write("dir/b.txt", file("B")) }],
  },
  {
    name: "a name that only starts like ours' directory is no clash",
    base: {},
    ours: { "libs/a.ts": file("A") },
    theirs: { lib: file("L") },
    expected: [{ kind: "theirs", path: "lib", write: write("lib", file("L")) }],
  },
  {
    name: "add clashing with a file at a parent path: unmarkable",
    base: {},
    ours: { dir: file("D") },
    theirs: { "dir/x.txt": file("X") },
    expected: [
      {
        kind: "unmarkable",
        path: "dir/x.txt",
        reason: "abc1234 adds dir/x.txt, but release/1.x has a file or directory in its way.",
      },
    ],
  },
  {
    name: "add clashing with files below: unmarkable",
    base: {},
    ours: { "lib/a.ts": file("A"), "lib/deep/b.ts": file("B") },
    theirs: { lib: file("L") },
    expected: [
      {
        kind: "unmarkable",
        path: "lib",
        reason: "abc1234 adds lib, but release/1.x has a file or directory in its way.",
      },
    ],
  },
  // ── both sides ───────────────────────────────────────────────────────────────────────────
  {
    name: "both changed identically: keep",
    base: { "a.txt": file("A") },
    ours: { "a.txt": file("A2") },
    theirs: { "a.txt": file("A2") },
    expected: [{ kind: "keep", path: "a.txt" }],
  },
  {
    name: "both deleted: keep",
    base: { "a.txt": file("A") },
    ours: {},
    theirs: {},
    expected: [{ kind: "keep", path: "a.txt" }],
  },
  {
    name: "both changed differently: merge-text with the three blobs",
    base: { "a.txt": file("A") },
    ours: { "a.txt": file("A1") },
    theirs: { "a.txt": file("A2") },
    expected: [
      {
        kind: "merge-text",
        path: "a.txt",
        mode: "100644",
        blobs: { base: "A", ours: "A1", theirs: "A2" },
      },
    ],
  },
  {
    name: "both added differently: merge-text against an empty base",
    base: {},
    ours: { "a.txt": file("A1") },
    theirs: { "a.txt": file("A2") },
    expected: [
      {
        kind: "merge-text",
        path: "a.txt",
        mode: "100644",
        blobs: { base: null, ours: "A1", theirs: "A2" },
      },
    ],
  },
  {
    name: "ours deleted, theirs changed: unmarkable",
    base: { "old.txt": file("A") },
    ours: {},
    theirs: { "old.txt": file("A2") },
    expected: [
      {
        kind: "unmarkable",
        path: "old.txt",
        reason:
          "release/1.x deleted or renamed old.txt, but abc1234 changes it: apply the change by hand (or drop it).",
      },
    ],
  },
  {
    name: "theirs deleted, ours changed: unmarkable",
    base: { "old.txt": file("A") },
    ours: { "old.txt": file("A1") },
    theirs: {},
    expected: [
      {
        kind: "unmarkable",
        path: "old.txt",
        reason:
          "abc1234 deletes old.txt, but release/1.x changed it: decide whether to keep or delete it.",
      },
    ],
  },
  // ── renames on ours ──────────────────────────────────────────────────────────────────────
  {
    name: "rename on ours without change: followed, theirs written at the new path",
    base: { "app.txt": file("A") },
    ours: { "src/app.txt": file("A") },
    theirs: { "app.txt": file("A2") },
    expected: [
      {
        kind: "renamed",
        path: "app.txt",
        to: "src/app.txt",
        write: write("src/app.txt", file("A2")),
      },
    ],
  },
  {
    name: "rename followed keeps the executable bit theirs added",
    base: { "run.sh": file("A") },
    ours: { "bin/run.sh": file("A") },
    theirs: { "run.sh": exe("A2") },
    expected: [
      { kind: "renamed", path: "run.sh", to: "bin/run.sh", write: write("bin/run.sh", exe("A2")) },
    ],
  },
  {
    name: "rename ambiguous (two candidates): not followed",
    base: { "app.txt": file("A") },
    ours: { "src/app.txt": file("A"), "lib/app.txt": file("A") },
    theirs: { "app.txt": file("A2") },
    expected: [
      {
        kind: "unmarkable",
        path: "app.txt",
        reason:
          "release/1.x deleted or renamed app.txt, but abc1234 changes it: apply the change by hand (or drop it).",
      },
    ],
  },
  {
    name: "rename target also present in theirs: not followed",
    base: { "app.txt": file("A") },
    ours: { "src/app.txt": file("A") },
    theirs: { "app.txt": file("A2"), "src/app.txt": file("X") },
    expected: [
      {
        kind: "unmarkable",
        path: "app.txt",
        reason:
          "release/1.x deleted or renamed app.txt, but abc1234 changes it: apply the change by hand (or drop it).",
      },
      {
        kind: "merge-text",
        path: "src/app.txt",
        mode: "100644",
        blobs: { base: null, ours: "A", theirs: "X" },
      },
    ],
  },
  {
    name: "rename with edits (no identical blob): not followed",
    base: { "app.txt": file("A") },
    ours: { "src/app.txt": file("A1") },
    theirs: { "app.txt": file("A2") },
    expected: [
      {
        kind: "unmarkable",
        path: "app.txt",
        reason:
          "release/1.x deleted or renamed app.txt, but abc1234 changes it: apply the change by hand (or drop it).",
      },
    ],
  },
  {
    name: "a rename that changed the mode is not followed",
    base: { "run.sh": file("A") },
    ours: { "bin/run.sh": exe("A") },
    theirs: { "run.sh": file("A2") },
    expected: [
      {
        kind: "unmarkable",
        path: "run.sh",
        reason:
          "release/1.x deleted or renamed run.sh, but abc1234 changes it: apply the change by hand (or drop it).",
      },
    ],
  },
  {
    name: "an identical file already in base is not taken for a rename",
    base: { "app.txt": file("A"), "copy.txt": file("A") },
    ours: { "copy.txt": file("A") },
    theirs: { "app.txt": file("A2"), "copy.txt": file("A") },
    expected: [
      {
        kind: "unmarkable",
        path: "app.txt",
        reason:
          "release/1.x deleted or renamed app.txt, but abc1234 changes it: apply the change by hand (or drop it).",
      },
    ],
  },
  // ── what markers cannot show ─────────────────────────────────────────────────────────────
  {
    name: "submodule changed on both sides: unmarkable",
    base: { vendor: submodule("S0") },
    ours: { vendor: submodule("S1") },
    theirs: { vendor: submodule("S2") },
    expected: [
      {
        kind: "unmarkable",
        path: "vendor",
        reason: "vendor is a submodule changed on both sides: pick the commit it should point to.",
      },
    ],
  },
  {
    name: "a submodule in base that both sides replaced by files: unmarkable",
    base: { vendor: submodule("S0") },
    ours: { vendor: file("F1") },
    theirs: { vendor: file("F2") },
    expected: [
      {
        kind: "unmarkable",
        path: "vendor",
        reason: "vendor is a submodule changed on both sides: pick the commit it should point to.",
      },
    ],
  },
  {
    name: "symlink changed on both sides: unmarkable",
    base: { current: link("L0") },
    ours: { current: link("L1") },
    theirs: { current: link("L2") },
    expected: [
      {
        kind: "unmarkable",
        path: "current",
        reason: "current is a symbolic link changed on both sides: pick its target by hand.",
      },
    ],
  },
  {
    name: "a file theirs turned into a symlink that ours edited: unmarkable",
    base: { current: file("F0") },
    ours: { current: file("F1") },
    theirs: { current: link("L2") },
    expected: [
      {
        kind: "unmarkable",
        path: "current",
        reason: "current is a symbolic link changed on both sides: pick its target by hand.",
      },
    ],
  },
  // ── the merged file's mode (mergedMode) ─────────────────────────────────────────────────
  {
    name: "executable bit added by theirs survives ours' edit",
    base: { "run.sh": file("A") },
    ours: { "run.sh": file("A1") },
    theirs: { "run.sh": exe("A") },
    expected: [
      {
        kind: "merge-text",
        path: "run.sh",
        mode: "100755",
        blobs: { base: "A", ours: "A1", theirs: "A" },
      },
    ],
  },
  {
    name: "executable bit added by ours survives theirs' edit",
    base: { "run.sh": file("A") },
    ours: { "run.sh": exe("A") },
    theirs: { "run.sh": file("A2") },
    expected: [
      {
        kind: "merge-text",
        path: "run.sh",
        mode: "100755",
        blobs: { base: "A", ours: "A", theirs: "A2" },
      },
    ],
  },
  {
    name: "executable bit removed by theirs is removed",
    base: { "run.sh": exe("A") },
    ours: { "run.sh": exe("A1") },
    theirs: { "run.sh": file("A2") },
    expected: [
      {
        kind: "merge-text",
        path: "run.sh",
        mode: "100644",
        blobs: { base: "A", ours: "A1", theirs: "A2" },
      },
    ],
  },
  {
    name: "both added with different modes: ours' mode",
    base: {},
    ours: { "run.sh": file("A1") },
    theirs: { "run.sh": exe("A2") },
    expected: [
      {
        kind: "merge-text",
        path: "run.sh",
        mode: "100644",
        blobs: { base: null, ours: "A1", theirs: "A2" },
      },
    ],
  },
  // ── several paths ────────────────────────────────────────────────────────────────────────
  {
    name: "one decision per path C changed, in path order",
    base: { "b.txt": file("B"), "c.txt": file("C"), "d.txt": file("D") },
    ours: { "b.txt": file("B1"), "c.txt": file("C"), "d.txt": file("D") },
    theirs: { "a.txt": file("A"), "b.txt": file("B2"), "d.txt": file("D") },
    expected: [
      { kind: "theirs", path: "a.txt", write: write("a.txt", file("A")) },
      {
        kind: "merge-text",
        path: "b.txt",
        mode: "100644",
        blobs: { base: "B", ours: "B1", theirs: "B2" },
      },
      {
        kind: "delete",
        path: "c.txt",
        write: { path: "c.txt", mode: "100644", type: "blob", sha: null },
      },
    ],
  },
];

describe("classifyPaths", () => {
  it.each(rows)("$name", ({ base, ours, theirs, expected }) => {
    expect(classify(base, ours, theirs)).toEqual(expected);
  });
});

describe("mergedMode", () => {
  it.each([
    ["both sides agree", "100644", "100755", "100755", "100755"],
    ["only theirs changed it", "100644", "100644", "100755", "100755"],
    ["only ours changed it", "100644", "100755", "100644", "100755"],
    ["no base, the sides differ: ours", null, "100755", "100644", "100755"],
  ])("%s", (_name, base, ours, theirs, expected) => {
    expect(
      mergedMode(base === null ? undefined : file("B", base), file("O", ours), file("T", theirs)),
    ).toBe(expected);
  });
});

describe("flatten", () => {
  it("keeps blobs and submodules by path, drops directories", () => {
    const map = flatten([
      { path: "src", mode: "040000", type: "tree", sha: "T" },
      { path: "src/a.ts", mode: "100644", type: "blob", sha: "A" },
      { path: "vendor", mode: "160000", type: "commit", sha: "S" },
    ]);
    expect([...map.keys()]).toEqual(["src/a.ts", "vendor"]);
  });
});

describe("classifyContent", () => {
  const labels = { ours: ONTO, theirs: `${SHORT} (Fix)` };
  const text = (...lines: string[]) => Buffer.from(lines.map((l) => `${l}\n`).join(""));
  const nine = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
  const edit = (at: number, to: string) => nine.map((l, i) => (i === at ? to : l));
  /** Decisions with their content as text, for readable comparisons. */
  const readable = (decision: ContentDecision) =>
    "content" in decision
      ? { ...decision, content: decision.content.toString("latin1") }
      : decision;
  const binary = {
    kind: "unmarkable",
    path: "logo.png",
    reason: "logo.png is a binary file changed on both sides: choose one version by hand.",
  };
  /** `size` bytes of text with a NUL at `at`. */
  const withNul = (size: number, at: number, tail = "") => {
    const bytes = Buffer.concat([Buffer.alloc(size, "x"), Buffer.from(tail)]);
    bytes[at] = 0;
    return bytes;
  };

  it.each([
    ["base", 0],
    ["ours", 1],
    ["theirs", 2],
  ])("a NUL in the first 8000 bytes of %s: binary, unmarkable", (_side, index) => {
    const versions = [text("a"), text("b"), text("c")];
    versions[index] = withNul(9000, 7999);
    const [base, ours, theirs] = versions as [Buffer, Buffer, Buffer];
    expect(classifyContent("logo.png", base, ours, theirs, labels)).toEqual(binary);
  });

  it("a NUL at byte 8000 or later is text, and merges", () => {
    const head = Buffer.concat([withNul(8001, 8000), Buffer.from("\n")]);
    const base = Buffer.concat([head, text(...nine)]);
    const ours = Buffer.concat([head, text(...edit(1, "two"))]);
    const theirs = Buffer.concat([head, text(...edit(7, "eight"))]);
    const result = classifyContent("data.txt", base, ours, theirs, labels);
    expect(result.kind).toBe("clean");
    expect(readable(result)).toEqual({
      kind: "clean",
      path: "data.txt",
      content: Buffer.concat([
        head,
        text("1", "two", "3", "4", "5", "6", "7", "eight", "9"),
      ]).toString("latin1"),
    });
  });

  it("text changed in different places merges cleanly", () => {
    const result = classifyContent(
      "a.txt",
      text(...nine),
      text(...edit(1, "two")),
      text(...edit(7, "eight")),
      labels,
    );
    expect(readable(result)).toEqual({
      kind: "clean",
      path: "a.txt",
      content: "1\ntwo\n3\n4\n5\n6\n7\neight\n9\n",
    });
  });

  it("text changed in the same place is marked, one hunk", () => {
    const result = classifyContent(
      "a.txt",
      text(...nine),
      text(...edit(4, "ours")),
      text(...edit(4, "theirs")),
      labels,
    );
    expect(readable(result)).toEqual({
      kind: "marked",
      path: "a.txt",
      hunks: 1,
      reason: "1 conflicting hunk marked in a.txt.",
      content:
        "1\n2\n3\n4\n<<<<<<< release/1.x\nours\n=======\ntheirs\n>>>>>>> abc1234 (Fix)\n6\n7\n8\n9\n",
    });
  });

  it("two conflicts far apart are two hunks, counted in the reason", () => {
    const many = Array.from({ length: 20 }, (_, i) => `${i + 1}`);
    const result = classifyContent(
      "a.txt",
      text(...many),
      text(...many.map((l, i) => (i === 1 || i === 17 ? `o${l}` : l))),
      text(...many.map((l, i) => (i === 1 || i === 17 ? `t${l}` : l))),
      labels,
    );
    expect(result).toMatchObject({
      kind: "marked",
      hunks: 2,
      reason: "2 conflicting hunks marked in a.txt.",
    });
  });

  it("an empty base (both sides added the file) merges like any text", () => {
    const result = classifyContent("a.txt", Buffer.alloc(0), text("same"), text("same"), labels);
    expect(readable(result)).toEqual({ kind: "clean", path: "a.txt", content: "same\n" });
  });
});
