/**
 * The stand-in answers conditional requests as GitHub does: an ETag on every 200 to a GET
 * (varying with `Accept` and the token), 304 with no body when `If-None-Match` names the current one, and a
 * delivery's record tells the requests sent from those GitHub would count (all but 304s).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { RepoHandle } from "../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";

let standIn: StandIn;
let repo: RepoHandle;

beforeAll(async () => {
  standIn = await startStandIn();
  await standIn.createRepo("acme", "shop");
  repo = new RepoHandle(standIn, "acme", "shop");
  await repo.push("main", { "a.txt": "one\n" }, "start", "dana");
});
afterAll(async () => {
  await standIn.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${standIn.url}${path}`, {
    headers: { accept: "application/vnd.github+json", ...headers },
  });

describe("conditional requests on the stand-in", () => {
  it("gives a 200 an ETag, and answers 304 with no body to If-None-Match naming it", async () => {
    const first = await get("/repos/acme/shop/branches/main");
    const etag = first.headers.get("etag") ?? "";
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await get("/repos/acme/shop/branches/main", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    // Weak validators and lists of them are accepted, as by GitHub.
    const weak = await get("/repos/acme/shop/branches/main", {
      "if-none-match": `W/"nope", W/${etag}`,
    });
    expect(weak.status).toBe(304);
  });

  it("answers in full when the content changed, or with another Accept header", async () => {
    const etag = (await get("/repos/acme/shop/branches/main")).headers.get("etag") ?? "";
    const other = await get("/repos/acme/shop/branches/main", {
      "if-none-match": etag,
      accept: "application/vnd.github.v3+json",
    });
    expect(other.status).toBe(200);
    await repo.push("main", { "a.txt": "two\n" }, "more", "dana");
    const changed = await get("/repos/acme/shop/branches/main", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("ties an ETag to the token, as GitHub does: another token gets the answer in full", async () => {
    const path = "/repos/acme/shop/branches/main";
    const etag = (await get(path, { authorization: "token one" })).headers.get("etag") ?? "";
    expect((await get(path, { authorization: "token one", "if-none-match": etag })).status).toBe(
      304,
    );
    const next = await get(path, { authorization: "token two", "if-none-match": etag });
    expect(next.status).toBe(200);
    expect(next.headers.get("etag")).not.toBe(etag);
  });

  it("never answers a write 304", async () => {
    const etag = (await get("/repos/acme/shop/branches/main")).headers.get("etag") ?? "";
    const sha = await repo.headOf("main");
    const write = await fetch(`${standIn.url}/repos/acme/shop/git/refs`, {
      method: "POST",
      headers: { "content-type": "application/json", "if-none-match": etag },
      body: JSON.stringify({ ref: "refs/heads/scratch", sha }),
    });
    expect(write.status).toBe(201);
  });
});
