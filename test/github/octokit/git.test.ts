/**
 * The Octokit adapter of GitData against the git-backed GitHub stand-in: "missing" answers are
 * null, a merge conflict and a refused branch move are results, not exceptions.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import {
  commit,
  numbered,
  person,
  setBranch,
  startFixture,
  type Fixture,
} from "../../backport/git-fixture.js";

let fx: Fixture;
let m0: string;
let m1: string;
let side: string;

beforeEach(async () => {
  fx = await startFixture();
  m0 = await commit(fx.git, null, { "a.txt": numbered(3), "bin/x.dat": "\u0000\u0001" }, "start");
  m1 = await commit(fx.git, m0, { "a.txt": numbered(3, { 2: "main" }) }, "main", person("Ada"));
  side = await commit(fx.git, m0, { "a.txt": numbered(3, { 2: "side" }) }, "side");
  await setBranch(fx.git, "main", m1);
  await setBranch(fx.git, "release/1.x", side);
});

afterEach(async () => {
  expect(fx.standIn.problems()).toEqual([]);
  await fx.close();
});

describe("gitAdapter reads", () => {
  it("reads a branch head with its tree, null for a missing branch", async () => {
    expect(await fx.github.getBranchHead("release/1.x")).toEqual({
      name: "release/1.x",
      sha: side,
      treeSha: await fx.git.treeOf(side),
    });
    expect(await fx.github.getBranchHead("nope")).toBeNull();
  });

  it("reads commits as CommitInfo, null when missing", async () => {
    const info = await fx.github.getCommit(m1);
    const raw = await fx.git.readCommit(m1);
    expect(info).toEqual({
      sha: m1,
      treeSha: raw?.tree,
      parentShas: [m0],
      message: "main",
      author: raw?.author,
      committer: raw?.committer,
    });
    expect(await fx.github.getCommit("0".repeat(40))).toBeNull();
  });

  it("lists commits newest first across pages", async () => {
    let head = m1;
    const made = [m1];
    const tree = (await fx.git.treeOf(m1)) ?? "";
    for (let i = 0; i < 120; i++) {
      const who = person("Ada");
      head = await fx.git.writeCommit({
        tree,
        parents: [head],
        message: `n${i}`,
        author: who,
        committer: who,
      });
      made.push(head);
    }
    await setBranch(fx.git, "main", head);
    fx.mark();
    const listed = await fx.github.listCommits("main", 110);
    expect(listed.map((c) => c.sha)).toEqual(made.reverse().slice(0, 110));
    expect(fx.requestsSinceMark().map((r) => r.query)).toEqual([
      "?sha=main&per_page=100&page=1",
      "?sha=main&per_page=100&page=2",
    ]);
  });

  it("reads the GitHub users GitHub matched to a commit's author and committer, by email", async () => {
    fx.standIn.hub.addUser("ada", { email: "ada@example.com" });
    fx.standIn.hub.addUser("renovate[bot]", { type: "Bot" });
    const tree = (await fx.git.treeOf(m1)) ?? "";
    const on = { ...person("Ada"), name: "GitHub", email: "noreply@github.com" };
    const web = await fx.git.writeCommit({
      tree,
      parents: [m1],
      message: "edited on github.com",
      author: person("Ada"),
      committer: on,
    });
    const bot = await fx.git.writeCommit({
      tree,
      parents: [web],
      message: "bump",
      author: { ...person("x"), email: "29139614+renovate[bot]@users.noreply.github.com" },
      committer: person("Zed"),
    });
    await setBranch(fx.git, "main", bot);
    const [byBot, byAda] = await fx.github.listCommits("main", 2);
    expect([byAda?.authorUser, byAda?.committerUser]).toEqual([
      { login: "ada", isBot: false },
      { login: "web-flow", isBot: false },
    ]);
    // An email GitHub knows no user for is no one.
    expect([byBot?.authorUser, byBot?.committerUser]).toEqual([
      { login: "renovate[bot]", isBot: true },
      null,
    ]);
  });

  it("reads trees, blobs and files; null when missing", async () => {
    const tree = await fx.github.getTree((await fx.git.treeOf(m1)) ?? "", { recursive: true });
    expect(tree?.items.map((i) => `${i.type} ${i.path}`)).toEqual([
      "blob a.txt",
      "tree bin",
      "blob bin/x.dat",
    ]);
    expect(tree?.truncated).toBe(false);
    const blob = tree?.items.find((i) => i.path === "bin/x.dat");
    expect(await fx.github.getBlob(blob?.sha ?? "")).toEqual(Buffer.from([0, 1]));
    expect((await fx.github.getFileAt("a.txt", "release/1.x"))?.toString()).toBe(
      numbered(3, { 2: "side" }),
    );
    expect(await fx.github.getFileAt("none.txt", "main")).toBeNull();
    expect(await fx.github.getFileAt("bin", "main")).toBeNull();
    expect(await fx.github.getTree("0".repeat(40))).toBeNull();
  });
});

describe("gitAdapter writes", () => {
  it("creates a branch once, then reports it exists", async () => {
    expect(await fx.github.createBranch("topic/a", m0)).toBe("created");
    expect(await fx.github.createBranch("topic/a", m1)).toBe("exists");
    expect(await fx.git.readRef("refs/heads/topic/a")).toBe(m0);
  });

  it("moves a branch without force only forward, and says why not", async () => {
    await fx.github.createBranch("topic/a", m0);
    expect(await fx.github.moveBranch("topic/a", m1, { force: false })).toEqual({ moved: true });
    expect(await fx.github.moveBranch("topic/a", side, { force: false })).toEqual({
      moved: false,
      reason: "Update is not a fast forward",
    });
    expect(await fx.github.moveBranch("topic/a", side, { force: true })).toEqual({ moved: true });
    expect(await fx.git.readRef("refs/heads/topic/a")).toBe(side);
  });

  it("deletes a branch, and reports one already gone", async () => {
    await fx.github.createBranch("topic/a", m0);
    expect(await fx.github.deleteBranch("topic/a")).toBe("deleted");
    expect(await fx.github.deleteBranch("topic/a")).toBe("missing");
  });

  it("merges: merged with the tree, conflict as a result, up-to-date when already in", async () => {
    await fx.github.createBranch("work", m0);
    const merged = await fx.github.merge({ base: "work", head: m1, message: "m" });
    expect(merged).toMatchObject({ kind: "merged" });
    if (merged.kind === "merged") expect(merged.treeSha).toBe(await fx.git.treeOf(m1));
    expect(await fx.github.merge({ base: "work", head: m1 })).toEqual({ kind: "up-to-date" });
    expect(await fx.github.merge({ base: "work", head: side })).toEqual({ kind: "conflict" });
  });

  it("writes blobs, trees and commits that git reads back", async () => {
    const blob = await fx.github.createBlob(Buffer.from([0xff, 0x00, 0x0a]));
    const treeSha = await fx.github.createTree({
      baseTreeSha: (await fx.git.treeOf(m1)) ?? "",
      writes: [
        { path: "new/file.bin", mode: "100644", type: "blob", sha: blob },
        { path: "bin/x.dat", mode: "100644", type: "blob", sha: null },
      ],
    });
    expect(
      (await fx.git.listTree(treeSha, true))?.filter((e) => e.type === "blob").map((e) => e.path),
    ).toEqual(["a.txt", "new/file.bin"]);
    const author = { name: "Ada", email: "ada@example.com", date: "2024-01-02T03:04:05Z" };
    const made = await fx.github.createCommit({ message: "x", treeSha, parentShas: [m1], author });
    expect(made).toMatchObject({ treeSha, parentShas: [m1], message: "x", author });
    expect((await fx.git.readBlob(blob))?.equals(Buffer.from([0xff, 0x00, 0x0a]))).toBe(true);
  });
});
