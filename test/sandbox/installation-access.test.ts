/**
 * What the App may see, as GitHub answers it: team memberships that are pending, teams secret to
 * the App (404, as for no team), organisations that deny the App the Members permission (403),
 * and repositories outside an installation's selection (404 on every `/repos/{owner}/{repo}/…`
 * route, missing from `/installation/repositories`, no webhooks) — over plain HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createSign, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OrgHandle, RepoHandle } from "../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";

let standIn: StandIn;

async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; base?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = options.token;
  const response = await fetch(`${options.base ?? standIn.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeEach(async () => {
  standIn = await startStandIn();
});

afterEach(async () => {
  await standIn.close();
});

const membership = (org: string, team: string, login: string) =>
  call("GET", `/orgs/${org}/teams/${team}/memberships/${login}`);

describe("team membership as GitHub answers it", () => {
  it("answers state pending (and the role) for an invited member until they accept", async () => {
    const acme = new OrgHandle(standIn, "acme");
    acme.team("qa", ["dana"], { maintainers: ["dana"] });
    acme.invite("qa", "mia");
    standIn.hub.invite("acme", "qa", "lead", "maintainer");

    expect(await membership("acme", "qa", "Mia")).toMatchObject({
      status: 200,
      body: { state: "pending", role: "member" },
    });
    expect((await membership("acme", "qa", "lead")).body).toMatchObject({
      state: "pending",
      role: "maintainer",
    });
    expect((await membership("acme", "qa", "dana")).body).toMatchObject({
      state: "active",
      role: "maintainer",
    });
    expect((await membership("acme", "qa", "zed")).status).toBe(404);
    expect((await call("GET", "/orgs/acme/teams/qa")).body.members_count).toBe(1);

    acme.accept("qa", "mia");
    expect((await membership("acme", "qa", "mia")).body).toMatchObject({
      state: "active",
      role: "member",
    });
    expect((await call("GET", "/orgs/acme/teams/qa")).body.members_count).toBe(2);
    expect(() => acme.accept("qa", "zed")).toThrow(/no invitation/);
    expect(standIn.problems()).toEqual([]);
  });

  it("answers 404 on both routes for a team secret to the App, exactly as for no team", async () => {
    standIn.hub.addTeam("acme", "incident-response", ["dana"], { visible: false });
    standIn.hub.addTeam("acme", "qa", ["dana"]);
    const none = await call("GET", "/orgs/acme/teams/no-such-team");
    const noneMembership = await membership("acme", "no-such-team", "dana");
    expect(none.status).toBe(404);

    const secret = await call("GET", "/orgs/acme/teams/incident-response");
    const secretMembership = await membership("acme", "incident-response", "dana");
    expect(secret).toEqual(none);
    expect(secretMembership).toEqual(noneMembership);
    expect(secretMembership).toMatchObject({ status: 404, body: { message: "Not Found" } });

    expect((await call("GET", "/orgs/acme/teams/qa")).status).toBe(200);
    expect((await membership("acme", "qa", "dana")).status).toBe(200);
    expect(standIn.problems()).toEqual([]);
  });

  it("answers 403 on team and membership routes in an org that denies the App Members", async () => {
    const acme = new OrgHandle(standIn, "acme");
    acme.team("qa", ["dana"]);
    standIn.hub.addTeam("other", "qa", ["dana"]);
    acme.denyAppMembers();

    for (const path of [
      "/orgs/acme/teams/qa",
      "/orgs/acme/teams/qa/memberships/dana",
      "/orgs/acme/teams/no-such-team",
      "/orgs/ACME/teams/qa/memberships/zed",
    ]) {
      const answer = await call("GET", path);
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.body).toMatchObject({
        message: "Resource not accessible by integration",
        documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\/rest\/teams\//),
      });
    }
    expect((await membership("other", "qa", "dana")).status).toBe(200);

    acme.denyAppMembers(false);
    expect((await membership("acme", "qa", "dana")).status).toBe(200);
    expect(standIn.problems()).toEqual([]);
  });
});

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}`;
  const signature = createSign("RSA-SHA256")
    .update(unsigned)
    .sign(privateKey)
    .toString("base64url");
  return `${unsigned}.${signature}`;
}

describe("repositories the installation does not cover", () => {
  let shop: RepoHandle;
  let vault: RepoHandle;

  beforeEach(async () => {
    await standIn.createRepo("acme", "shop");
    await standIn.createRepo("acme", "vault");
    shop = new RepoHandle(standIn, "acme", "shop");
    vault = new RepoHandle(standIn, "acme", "vault");
    for (const repo of [shop, vault]) {
      await repo.push("main", { "a.txt": "one\n" }, "start", "dana");
      await repo.push("fix", { "a.txt": "two\n" }, "fix", "dana", { from: "main" });
      await repo.openPull("dana", { head: "fix", base: "main", title: "Fix" });
      repo.openIssue("dana", { title: "bug" });
    }
  });

  const routes = (full: string) => [
    ["GET", `/repos/${full}`],
    ["GET", `/repos/${full}/contents/a.txt`],
    ["GET", `/repos/${full}/pulls`],
    ["GET", `/repos/${full}/pulls/1`],
    ["GET", `/repos/${full}/issues`],
    ["GET", `/repos/${full}/issues/2`],
    ["GET", `/repos/${full}/git/ref/heads/main`],
    ["GET", `/repos/${full}/git/matching-refs/heads`],
  ];

  it("answers 404 on every /repos route of a hidden repository and leaves it out of the list", async () => {
    standIn.hub.hideFromInstallation("acme", "vault");
    for (const [method, path] of routes("acme/vault")) {
      const answer = await call(method as string, path as string);
      expect([path, answer.status, answer.body?.message]).toEqual([path, 404, "Not Found"]);
      const enterprise = await call(method as string, path as string, {
        base: standIn.enterpriseUrl,
      });
      expect([path, enterprise.status]).toEqual([path, 404]);
    }
    // Writes too: nothing happens to the repository.
    const sha = await vault.headOf("main");
    expect(
      (
        await call("POST", "/repos/acme/vault/git/refs", {
          body: { ref: "refs/heads/sneaky", sha },
        })
      ).status,
    ).toBe(404);
    expect(await vault.git.readRef("refs/heads/sneaky")).toBeNull();
    // Case does not matter on GitHub.
    expect((await call("GET", "/repos/ACME/Vault/pulls")).status).toBe(404);

    for (const [method, path] of routes("acme/shop")) {
      const answer = await call(method as string, path as string);
      expect([path, answer.status]).toEqual([path, 200]);
    }

    const listed = await call("GET", "/installation/repositories");
    expect(listed.body).toMatchObject({ total_count: 1, repository_selection: "selected" });
    expect(listed.body.repositories.map((r: { full_name: string }) => r.full_name)).toEqual([
      "acme/shop",
    ]);

    standIn.hub.showToInstallation("acme", "vault");
    expect((await call("GET", "/repos/acme/vault/pulls/1")).status).toBe(200);
    expect((await call("GET", "/installation/repositories")).body).toMatchObject({
      total_count: 2,
      repository_selection: "all",
    });
    expect(standIn.problems()).toEqual([]);
  });

  it("answers 404 to the App's installation token, and the installation is not on that repository", async () => {
    const keys = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    standIn.registerApp({
      id: 42,
      slug: "hotfix-bot",
      name: "hotfix-bot",
      owner: "acme",
      publicKey: keys.publicKey,
      installationId: 7,
      webhookSecret: "s",
    });
    new OrgHandle(standIn, "acme").hideFromApp("vault");
    const now = Math.floor(Date.now() / 1000);
    const appJwt = `bearer ${jwt(keys.privateKey, { iss: 42, iat: now - 30, exp: now + 300 })}`;
    const granted = await call("POST", "/app/installations/7/access_tokens", { token: appJwt });
    expect(granted.body.repository_selection).toBe("selected");
    const token = `token ${granted.body.token}`;

    expect((await call("GET", "/repos/acme/vault/contents/a.txt", { token })).status).toBe(404);
    expect((await call("GET", "/repos/acme/shop/contents/a.txt", { token })).status).toBe(200);
    // Without a valid token it stays 401: authentication comes first.
    expect((await call("GET", "/repos/acme/vault/contents/a.txt")).status).toBe(401);
    expect((await call("GET", "/repos/acme/vault/installation", { token: appJwt })).status).toBe(
      404,
    );
    expect((await call("GET", "/repos/acme/shop/installation", { token: appJwt })).status).toBe(
      200,
    );
    const listed = await call("GET", "/installation/repositories", { token });
    expect(listed.body.repositories.map((r: { full_name: string }) => r.full_name)).toEqual([
      "acme/shop",
    ]);
  });

  describe("webhooks", () => {
    let receiver: Server;
    const events: string[] = [];

    beforeEach(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          events.push(`${req.headers["x-github-event"]} ${body.repository?.full_name}`);
          res.writeHead(202).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    });

    afterEach(async () => {
      await new Promise((resolve) => receiver.close(resolve));
    });

    it("sends none about a repository the installation does not cover", async () => {
      standIn.connectApp({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
        secret: "s",
      });
      standIn.hub.hideFromInstallation("acme", "vault");
      vault.openIssue("quinn", { title: "hidden" });
      await vault.push("main", { "b.txt": "b\n" }, "more", "dana");
      shop.openIssue("quinn", { title: "seen" });
      await standIn.hub.flushed();
      await standIn.webhooks.idle();
      expect(events).toEqual(["issues acme/shop"]);
    });
  });
});
