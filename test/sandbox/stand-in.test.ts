/**
 * The GitHub stand-in itself: the route registry, and the git-backed routes' status codes and
 * shapes (as GitHub documents them), checked with plain HTTP and against git.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitRepo } from "../../sandbox/stand-in/git-repo.js";
import { loadRequestChecker } from "../../sandbox/stand-in/request-check.js";
import { Router } from "../../sandbox/stand-in/router.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { commit, setBranch } from "../backport/git-fixture.js";

describe("Router", () => {
  const router = new Router();
  const hit = (name: string) => () => ({ status: 200, body: name });
  router.get("/repos/{owner}/{repo}/commits/{ref+}", hit("commit"));
  router.get("/repos/{owner}/{repo}/commits/{ref+}/status", hit("status"));
  router.get("/repos/{owner}/{repo}/git/ref/{ref+}", hit("ref"));

  it("takes several segments for {name+}, raw or %2F-encoded", () => {
    expect(router.match("GET", "/repos/a/b/git/ref/heads/release/1.x")?.params).toEqual({
      owner: "a",
      repo: "b",
      ref: "heads/release/1.x",
    });
    expect(router.match("GET", "/repos/a/b/git/ref/heads%2Frelease%2F1.x")?.params.ref).toBe(
      "heads/release/1.x",
    );
  });

  it("prefers the template with more literal segments", () => {
    expect(router.match("GET", "/repos/a/b/commits/release/1.x/status")).toMatchObject({
      template: "/repos/{owner}/{repo}/commits/{ref+}/status",
      params: { ref: "release/1.x" },
    });
    expect(router.match("GET", "/repos/a/b/commits/release/1.x")?.template).toBe(
      "/repos/{owner}/{repo}/commits/{ref+}",
    );
  });

  it("matches nothing for another method or path", () => {
    expect(router.match("POST", "/repos/a/b/git/ref/heads/x")).toBeNull();
    expect(router.match("GET", "/repos/a/b/git/ref")).toBeNull();
  });

  it("refuses the same route twice", () => {
    expect(() => router.get("/repos/{owner}/{repo}/git/ref/{ref+}", hit("again"))).toThrow(
      /registered twice/,
    );
  });
});

let standIn: StandIn;
let git: GitRepo;

async function call(method: string, path: string, body?: unknown, base = standIn.url) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const R = "/repos/acme/api";

describe("git-backed routes", () => {
  let m0: string;
  let m1: string;
  let side: string;

  beforeEach(async () => {
    standIn = await startStandIn({ checkRequest: null });
    git = await standIn.createRepo("acme", "api");
    m0 = await commit(git, null, { "a.txt": "a\n", "dir/b.txt": "b\n" }, "start");
    m1 = await commit(git, m0, { "a.txt": "a2\n" }, "change a");
    side = await commit(git, m0, { "a.txt": "side\n" }, "side change");
    await setBranch(git, "main", m1);
    await setBranch(git, "side", side);
  });

  afterEach(async () => {
    await standIn.close();
  });

  it("answers an unknown route 501, loudly, and lists it as a problem", async () => {
    const answer = await call("GET", `${R}/pulls/1/comments`);
    expect(answer.status).toBe(501);
    expect(answer.body.message).toMatch(/no route for GET \/repos\/acme\/api\/pulls\/1\/comments/);
    expect(standIn.problems()).toEqual([
      "unimplemented route: GET /repos/acme/api/pulls/1/comments",
    ]);
  });

  it("serves the same API under /api/v3, with URLs that keep the prefix", async () => {
    const plain = await call("GET", R);
    const enterprise = await call("GET", R, undefined, standIn.enterpriseUrl);
    expect(enterprise.status).toBe(200);
    expect(enterprise.body.default_branch).toBe("main");
    expect(plain.body.url).toBe(`${standIn.url}${R}`);
    expect(enterprise.body.url).toBe(`${standIn.enterpriseUrl}${R}`);
    expect(standIn.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", R, 200],
      ["GET", R, 200],
    ]);
  });

  it("creates, reads, moves and deletes refs with GitHub's status codes", async () => {
    expect(
      (await call("POST", `${R}/git/refs`, { ref: "refs/heads/topic/x", sha: m0 })).status,
    ).toBe(201);
    expect(
      await call("POST", `${R}/git/refs`, { ref: "refs/heads/topic/x", sha: m0 }),
    ).toMatchObject({
      status: 422,
      body: { message: "Reference already exists" },
    });
    expect((await call("POST", `${R}/git/refs`, { ref: "heads/y", sha: m0 })).status).toBe(422);
    expect((await call("GET", `${R}/git/ref/heads/topic%2Fx`)).body.object.sha).toBe(m0);
    expect((await call("GET", `${R}/git/ref/heads/nope`)).status).toBe(404);

    // fast-forward m0 → m1 is fine; m1 → side is not, unless forced
    expect((await call("PATCH", `${R}/git/refs/heads/topic/x`, { sha: m1 })).status).toBe(200);
    expect(
      await call("PATCH", `${R}/git/refs/heads/topic/x`, { sha: side, force: false }),
    ).toMatchObject({
      status: 422,
      body: { message: "Update is not a fast forward" },
    });
    expect(await git.readRef("refs/heads/topic/x")).toBe(m1);
    expect(
      (await call("PATCH", `${R}/git/refs/heads/topic/x`, { sha: side, force: true })).status,
    ).toBe(200);
    expect(await git.readRef("refs/heads/topic/x")).toBe(side);

    const matching = await call("GET", `${R}/git/matching-refs/heads/topic`);
    expect(matching.body.map((r: { ref: string }) => r.ref)).toEqual(["refs/heads/topic/x"]);

    expect((await call("DELETE", `${R}/git/refs/heads/topic/x`)).status).toBe(204);
    expect(await call("DELETE", `${R}/git/refs/heads/topic/x`)).toMatchObject({
      status: 422,
      body: { message: "Reference does not exist" },
    });
    expect((await call("PATCH", `${R}/git/refs/heads/topic/x`, { sha: m0 })).status).toBe(422);
  });

  it("builds trees from a base tree with nested paths and deletions, as git stores them", async () => {
    const blob = await call("POST", `${R}/git/blobs`, {
      content: Buffer.from([0, 1, 2, 255]).toString("base64"),
      encoding: "base64",
    });
    expect(blob.status).toBe(201);
    const base = await git.treeOf(m1);
    const tree = await call("POST", `${R}/git/trees`, {
      base_tree: base,
      tree: [
        { path: "deep/er/c.txt", mode: "100644", type: "blob", content: "c\n" },
        { path: "bin.dat", mode: "100755", type: "blob", sha: blob.body.sha },
        { path: "dir/b.txt", mode: "100644", type: "blob", sha: null },
      ],
    });
    expect(tree.status).toBe(201);
    const listed = await call("GET", `${R}/git/trees/${tree.body.sha}?recursive=1`);
    expect(
      listed.body.tree.map(
        (e: { path: string; mode: string; type: string }) => `${e.mode} ${e.type} ${e.path}`,
      ),
    ).toEqual([
      "100644 blob a.txt",
      "100755 blob bin.dat",
      "040000 tree deep",
      "040000 tree deep/er",
      "100644 blob deep/er/c.txt",
    ]);
    const back = await call("GET", `${R}/git/blobs/${blob.body.sha}`);
    expect(Buffer.from(back.body.content, "base64")).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(
      (
        await call("POST", `${R}/git/trees`, {
          tree: [{ path: "x", mode: "100644", type: "blob", sha: m0 }],
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call("POST", `${R}/git/trees`, {
          tree: [{ path: "x", mode: "040000", type: "blob", sha: blob.body.sha }],
        })
      ).status,
    ).toBe(422);
  });

  it("creates commits with the given author and reads them back", async () => {
    const tree = await git.treeOf(m1);
    const author = { name: "Ada", email: "ada@example.com", date: "2024-01-02T03:04:05Z" };
    const made = await call("POST", `${R}/git/commits`, {
      message: "hello\n\nbody",
      tree,
      parents: [m1],
      author,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      message: "hello\n\nbody",
      author,
      tree: { sha: tree },
      parents: [{ sha: m1 }],
    });
    expect(made.body.committer.name).toBe("stand-in[bot]");
    expect((await call("GET", `${R}/git/commits/${made.body.sha}`)).body.author).toEqual(author);
    expect((await call("POST", `${R}/git/commits`, { message: "x", tree: m1 })).status).toBe(422);
    expect((await call("GET", `${R}/git/commits/${"0".repeat(40)}`)).status).toBe(404);
  });

  it("merges like GitHub: 201 with a merge commit, 204 when already merged, 409 on conflict", async () => {
    await setBranch(git, "topic", m0);
    await commit(git, m0, {}, "unused");
    const other = await commit(git, m0, { "c.txt": "c\n" }, "add c");
    const merged = await call("POST", `${R}/merges`, {
      base: "main",
      head: other,
      commit_message: "merge it",
    });
    expect(merged.status).toBe(201);
    expect(merged.body.parents.map((p: { sha: string }) => p.sha)).toEqual([m1, other]);
    expect(merged.body.commit.message).toBe("merge it");
    expect(await git.readRef("refs/heads/main")).toBe(merged.body.sha);

    const again = await call("POST", `${R}/merges`, { base: "main", head: other });
    expect(again).toEqual({ status: 204, body: undefined });
    expect(await call("POST", `${R}/merges`, { base: "main", head: "side" })).toMatchObject({
      status: 409,
      body: { message: "Merge conflict" },
    });
    expect(await git.readRef("refs/heads/main")).toBe(merged.body.sha);
    expect((await call("POST", `${R}/merges`, { base: "nope", head: "side" })).status).toBe(404);
  });

  it("creates annotated tags that git can verify", async () => {
    const tagger = { name: "Ada", email: "ada@example.com", date: "2024-01-02T03:04:05Z" };
    const tag = await call("POST", `${R}/git/tags`, {
      tag: "v1.0.1",
      message: "Release 1.0.1",
      object: m1,
      type: "commit",
      tagger,
    });
    expect(tag.status).toBe(201);
    expect(tag.body).toMatchObject({
      tag: "v1.0.1",
      message: "Release 1.0.1",
      tagger,
      object: { sha: m1, type: "commit" },
    });
    expect((await git.git(["cat-file", "-t", tag.body.sha])).stdout.toString().trim()).toBe("tag");
    expect(
      (await call("POST", `${R}/git/refs`, { ref: "refs/tags/v1.0.1", sha: tag.body.sha })).status,
    ).toBe(201);
    expect(await git.resolveCommit("v1.0.1")).toBe(m1);
    expect(
      (
        await call("POST", `${R}/git/tags`, {
          tag: "v2",
          message: "x",
          object: "0".repeat(40),
          type: "commit",
        })
      ).status,
    ).toBe(422);
  });

  it("compares branches: ahead, behind, identical, diverged", async () => {
    const status = async (basehead: string) => {
      const { body } = await call("GET", `${R}/compare/${basehead}`);
      return [body.status, body.ahead_by, body.behind_by];
    };
    expect(await status(`${m0}...main`)).toEqual(["ahead", 1, 0]);
    expect(await status(`main...${m0}`)).toEqual(["behind", 0, 1]);
    expect(await status("main...main")).toEqual(["identical", 0, 0]);
    expect(await status("main...side")).toEqual(["diverged", 1, 1]);
  });

  it("lists commits with paging and reads one with its files", async () => {
    const renamed = await commit(
      git,
      m1,
      { "dir/renamed.txt": { renameFrom: "dir/b.txt" } },
      "rename",
    );
    await setBranch(git, "main", renamed);
    const page1 = await call("GET", `${R}/commits?sha=main&per_page=2`);
    const page2 = await call("GET", `${R}/commits?sha=main&per_page=2&page=2`);
    expect([...page1.body, ...page2.body].map((c: { sha: string }) => c.sha)).toEqual([
      renamed,
      m1,
      m0,
    ]);
    expect(page1.body[0].commit.tree.sha).toBe(await git.treeOf(renamed));
    const one = await call("GET", `${R}/commits/main`);
    expect(one.body.files).toEqual([
      expect.objectContaining({
        filename: "dir/renamed.txt",
        previous_filename: "dir/b.txt",
        status: "renamed",
      }),
    ]);
    expect((await call("GET", `${R}/commits/nope`)).status).toBe(422);
  });

  it("serves contents as base64 at a ref, 404 when absent", async () => {
    const file = await call("GET", `${R}/contents/a.txt?ref=side`);
    expect(file.body).toMatchObject({ type: "file", encoding: "base64", path: "a.txt" });
    expect(Buffer.from(file.body.content, "base64").toString()).toBe("side\n");
    expect((await call("GET", `${R}/contents/dir%2Fb.txt`)).status).toBe(200);
    expect(
      (await call("GET", `${R}/contents/dir`)).body.map((e: { path: string }) => e.path),
    ).toEqual(["dir/b.txt"]);
    expect((await call("GET", `${R}/contents/none.txt`)).status).toBe(404);
    expect((await call("GET", `${R}/branches/nope`)).status).toBe(404);
  });
});

describe("the OpenAPI hook point", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "checker-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs every request through the checker and records what it finds", async () => {
    const seen: string[] = [];
    standIn = await startStandIn({
      checkRequest: ({ method, url, body }) => {
        seen.push(`${method} ${url}`);
        return body && typeof body === "object" && "force" in body
          ? ["force is not allowed here"]
          : [];
      },
    });
    await standIn.createRepo("acme", "api");
    await call("GET", `${R}?x=1`, undefined, standIn.enterpriseUrl);
    await call("PATCH", `${R}/git/refs/heads/x`, { sha: "0".repeat(40), force: true });
    expect(seen).toEqual([`GET ${R}?x=1`, `PATCH ${R}/git/refs/heads/x`]);
    expect(standIn.problems()).toEqual([
      `OpenAPI violation in PATCH ${R}/git/refs/heads/x: force is not allowed here`,
    ]);
    await standIn.close();
  });

  it("loads checkRequest from the checker file when it exists, and refuses a file without it", async () => {
    const good = join(dir, "good.mjs");
    await writeFile(
      good,
      "export function checkRequest({ method }) { return method === 'DELETE' ? ['no'] : []; }\n",
    );
    const checker = await loadRequestChecker(good);
    expect(checker?.({ method: "DELETE", url: "/", body: undefined })).toEqual(["no"]);
    expect(await loadRequestChecker(join(dir, "missing.ts"))).toBeNull();
    const bad = join(dir, "bad.mjs");
    await writeFile(bad, "export const nothing = 1;\n");
    await expect(loadRequestChecker(bad)).rejects.toThrow(/does not export checkRequest/);
  });
});
