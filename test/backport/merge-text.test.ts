/**
 * mergeText against git: each case is merged by `git merge-tree` (git's own merge machinery,
 * default conflict style) in a real repository, and our output must be byte-identical once the
 * marker labels are cut off.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mergeText } from "../../src/backport/merge-text.js";
import { GitRepo } from "../../sandbox/stand-in/git-repo.js";
import { commit, fileAt, withoutLabels } from "./git-fixture.js";

let git: GitRepo;
beforeAll(async () => {
  git = await GitRepo.create();
});
afterAll(async () => {
  await git.destroy();
});

async function gitMerge(
  base: string | null,
  ours: string,
  theirs: string,
): Promise<{ clean: boolean; text: string }> {
  const root = await commit(
    git,
    null,
    base === null ? { "keep.txt": "x\n" } : { "f.txt": base },
    "base",
  );
  const a = await commit(git, root, { "f.txt": ours }, "ours");
  const b = await commit(git, root, { "f.txt": theirs }, "theirs");
  const result = await git.git(
    ["-c", "merge.conflictStyle=merge", "merge-tree", "--write-tree", a, b],
    { okCodes: [1] },
  );
  const tree = result.stdout.toString("utf8").split("\n")[0] ?? "";
  return { clean: result.code === 0, text: (await fileAt(git, tree, "f.txt")) ?? "" };
}

const lines = (...items: (string | number)[]) =>
  items.map((i) => (typeof i === "number" ? `line ${i}` : i)).join("\n") + "\n";
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const cases: { name: string; base: string | null; ours: string; theirs: string }[] = [
  {
    name: "one line changed differently",
    base: lines(...range(1, 9)),
    ours: lines(1, 2, 3, "ours", 5, 6, 7, 8, 9),
    theirs: lines(1, 2, 3, "theirs", 5, 6, 7, 8, 9),
  },
  {
    name: "two conflicts far apart stay two",
    base: lines(...range(1, 20)),
    ours: lines(1, "o2", ...range(3, 17), "o18", 19, 20),
    theirs: lines(1, "t2", ...range(3, 17), "t18", 19, 20),
  },
  {
    name: "two conflicts 3 lines apart become one",
    base: lines(...range(1, 12)),
    ours: lines(1, "o2", 3, 4, 5, "o6", ...range(7, 12)),
    theirs: lines(1, "t2", 3, 4, 5, "t6", ...range(7, 12)),
  },
  {
    name: "two conflicts 4 lines apart stay two",
    base: lines(...range(1, 12)),
    ours: lines(1, "o2", 3, 4, 5, 6, "o7", ...range(8, 12)),
    theirs: lines(1, "t2", 3, 4, 5, 6, "t7", ...range(8, 12)),
  },
  {
    name: "lines both sides share are taken out of the markers",
    base: lines(...range(1, 10)),
    ours: lines(1, 2, "same a", "ours x", "same b", 6, 7, 8, 9, 10),
    theirs: lines(1, 2, "same a", "theirs x", "same b", 6, 7, 8, 9, 10),
  },
  {
    name: "the same change on both sides is no conflict",
    base: lines(...range(1, 10)),
    ours: lines(1, "both", 3, 4, 5, 6, 7, "ours 8", 9, 10),
    theirs: lines(1, "both", 3, 4, 5, 6, 7, 8, 9, 10),
  },
  {
    name: "one side deletes what the other edits",
    base: lines(...range(1, 10)),
    ours: lines(1, 2, 3, 7, 8, 9, 10),
    theirs: lines(1, 2, 3, 4, "theirs 5", 6, 7, 8, 9, 10),
  },
  {
    name: "insertions at the same place",
    base: lines(...range(1, 6)),
    ours: lines(1, 2, 3, "ours new", 4, 5, 6),
    theirs: lines(1, 2, 3, "theirs new", "theirs more", 4, 5, 6),
  },
  {
    name: "a last line without newline",
    base: "a\nb\nc",
    ours: "a\nb\nours",
    theirs: "a\nb\ntheirs",
  },
  {
    name: "both sides add the file (empty base)",
    base: null,
    ours: lines("header", "ours body", "footer"),
    theirs: lines("header", "theirs body", "footer"),
  },
  {
    name: "clean: changes in different places",
    base: lines(...range(1, 10)),
    ours: lines(1, "ours 2", ...range(3, 10)),
    theirs: lines(...range(1, 8), "theirs 9", 10),
  },
];

describe("mergeText equals git merge-tree (labels aside)", () => {
  it.each(cases)("$name", async ({ base, ours, theirs }) => {
    const expected = await gitMerge(base, ours, theirs);
    const ourMerge = mergeText(Buffer.from(base ?? ""), Buffer.from(ours), Buffer.from(theirs), {
      ours: "release/1.x",
      theirs: "abc1234 (Fix)",
    });
    expect(withoutLabels(ourMerge.content.toString("utf8"))).toBe(withoutLabels(expected.text));
    expect(ourMerge.conflicts === 0).toBe(expected.clean);
  });
});

describe("mergeText", () => {
  it("writes the labels git cherry-pick writes", () => {
    const merged = mergeText(Buffer.from("a\n"), Buffer.from("b\n"), Buffer.from("c\n"), {
      ours: "release/1.x",
      theirs: "abc1234 (Fix the thing)",
    });
    expect(merged.content.toString()).toBe(
      "<<<<<<< release/1.x\nb\n=======\nc\n>>>>>>> abc1234 (Fix the thing)\n",
    );
    expect(merged.conflicts).toBe(1);
  });

  it("keeps bytes that are not UTF-8 and CRLF line ends intact", () => {
    const latin1 = (text: string) => Buffer.from(text, "latin1");
    const merged = mergeText(
      latin1("caf\xe9\r\nx\r\n"),
      latin1("caf\xe9\r\nours\r\n"),
      latin1("caf\xe9\r\ntheirs\r\n"),
      {
        ours: "o",
        theirs: "t",
      },
    );
    expect(merged.content.toString("latin1")).toBe(
      "caf\xe9\r\n<<<<<<< o\r\nours\r\n=======\r\ntheirs\r\n>>>>>>> t\r\n",
    );
  });
});
