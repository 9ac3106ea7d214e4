/**
 * The stand-in's GitHub beyond git — App authentication, webhooks, fault injection, and the
 * rules of the in-memory routes (pagination, PRs, merges, releases, deployments, checks) —
 * checked over plain HTTP as a client sees them.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createSign, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RepoHandle } from "../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { sign } from "../../sandbox/stand-in/webhooks.js";

let standIn: StandIn;
let repo: RepoHandle;
const R = "/repos/acme/shop";

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: ReturnType<typeof JSON.parse>;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, body: json };
}

beforeEach(async () => {
  standIn = await startStandIn();
  await standIn.createRepo("acme", "shop");
  repo = new RepoHandle(standIn, "acme", "shop");
  await repo.push("main", { "a.txt": "one\n" }, "start", "dana");
});

afterEach(async () => {
  await standIn.close();
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

describe("GitHub App authentication", () => {
  const keys = () =>
    generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });

  it("exchanges a JWT the App's key signed for an installation token, and requires that token", async () => {
    const app = keys();
    const other = keys();
    standIn.registerApp({
      id: 42,
      slug: "hotfix-bot",
      name: "hotfix-bot",
      owner: "acme",
      publicKey: app.publicKey,
      installationId: 7,
      webhookSecret: "s",
    });
    const now = Math.floor(Date.now() / 1000);
    const tokenFor = (key: string, claims = { iss: 42, iat: now - 30, exp: now + 300 }) =>
      call("POST", "/app/installations/7/access_tokens", undefined, {
        authorization: `bearer ${jwt(key, claims)}`,
      });

    expect((await tokenFor(other.privateKey)).status).toBe(401);
    expect((await tokenFor(app.privateKey, { iss: 43, iat: now, exp: now + 300 })).status).toBe(
      401,
    );
    expect(
      (await tokenFor(app.privateKey, { iss: 42, iat: now - 900, exp: now - 300 })).status,
    ).toBe(401);
    expect(
      (
        await call("POST", "/app/installations/8/access_tokens", undefined, {
          authorization: `bearer ${jwt(app.privateKey, { iss: 42, iat: now, exp: now + 300 })}`,
        })
      ).status,
    ).toBe(404);
    const granted = await tokenFor(app.privateKey);
    expect(granted.status).toBe(201);
    const token = String(granted.body.token);

    expect((await call("GET", R)).status).toBe(401);
    expect((await call("GET", R, undefined, { authorization: "token ghs_made_up" })).status).toBe(
      401,
    );
    expect((await call("GET", R, undefined, { authorization: `token ${token}` })).status).toBe(200);
  });
});

describe("webhooks", () => {
  let receiver: Server;
  let received: Array<{ headers: Record<string, unknown>; body: string }>;

  beforeEach(async () => {
    received = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  const target = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  it("delivers what happened, in order, signed with the webhook secret", async () => {
    standIn.connectApp({ url: target(), secret: "shh", appId: 42 });
    const pull = await repo.push("fix", { "a.txt": "two\n" }, "fix", "dana", { from: "main" });
    await repo.openPull("dana", { head: "fix", base: "main", title: "Fix" });
    repo.comment("mia", 1, "/release-hotfix");
    await standIn.hub.flushed();
    await standIn.webhooks.idle();
    expect(received.map((r) => `${r.headers["x-github-event"]}`)).toEqual([
      "push",
      "pull_request",
      "issue_comment",
    ]);
    for (const { headers, body } of received) {
      expect(headers["x-hub-signature-256"]).toBe(sign("shh", body).sha256);
      expect(headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    }
    const push = JSON.parse(received[0]?.body ?? "{}");
    expect(push).toMatchObject({
      ref: "refs/heads/fix",
      after: pull,
      created: true,
      repository: { full_name: "acme/shop" },
    });
    const opened = JSON.parse(received[1]?.body ?? "{}");
    expect(opened).toMatchObject({
      action: "opened",
      number: 1,
      pull_request: { head: { ref: "fix", sha: pull }, base: { ref: "main" } },
    });
    expect(standIn.webhooks.deliveries.map((d) => d.status)).toEqual([202, 202, 202]);
  });

  it("closing and reopening an issue (by a person or through the REST API) sends issues.closed and issues.reopened, once each", async () => {
    standIn.connectApp({ url: target(), secret: "shh" });
    const issue = repo.openIssue("quinn", { title: "Freeze", labels: ["release-freeze"] });
    repo.closeIssue("quinn", issue.number);
    repo.closeIssue("quinn", issue.number); // already closed: nothing happens
    await standIn.hub.flushed();
    await standIn.webhooks.idle();
    await call("PATCH", `${R}/issues/${issue.number}`, { state: "open" });
    await standIn.hub.flushed();
    await standIn.webhooks.idle();
    const actions = received.map((r) => {
      const body = JSON.parse(r.body) as {
        action: string;
        issue: { state: string; labels: Array<{ name: string }> };
      };
      return `${r.headers["x-github-event"]}.${body.action} ${body.issue.state} ${body.issue.labels.map((l) => l.name).join(",")}`;
    });
    expect(actions).toEqual([
      "issues.opened open release-freeze",
      "issues.closed closed release-freeze",
      "issues.reopened open release-freeze",
    ]);
  });

  it("editing an issue's body sends issues.edited with what it was; an edit that changes nothing sends nothing", async () => {
    standIn.connectApp({ url: target(), secret: "shh" });
    const issue = repo.openIssue("quinn", { title: "Freeze", body: "branch: release/1.3" });
    repo.editIssue("quinn", issue.number, { body: "branch: release/1.3" });
    await call("PATCH", `${R}/issues/${issue.number}`, { body: "branch: release/1.4" });
    await standIn.hub.flushed();
    await standIn.webhooks.idle();
    const edited = received
      .map(
        (r) => JSON.parse(r.body) as { action: string; issue: { body: string }; changes?: unknown },
      )
      .filter((b) => b.action === "edited");
    expect(edited).toEqual([
      expect.objectContaining({
        issue: expect.objectContaining({ body: "branch: release/1.4" }),
        changes: { body: { from: "branch: release/1.3" } },
      }),
    ]);
  });

  it("delivers each webhook twice when asked (redeliveries)", async () => {
    standIn.connectApp({ url: target(), secret: "shh" }, { duplicate: true });
    repo.openIssue("quinn", { title: "bug" });
    await standIn.hub.flushed();
    await standIn.webhooks.idle();
    expect(received).toHaveLength(2);
    expect(received[0]?.headers["x-github-delivery"]).toBe(
      received[1]?.headers["x-github-delivery"],
    );
  });
});

describe("fault injection", () => {
  it("answers an injected status N times, then the route again", async () => {
    const fault = standIn.fault({
      method: "GET",
      route: "/repos/{owner}/{repo}",
      times: 2,
      kind: { status: 500 },
    });
    expect((await call("GET", R)).status).toBe(500);
    expect((await call("GET", R)).status).toBe(500);
    expect((await call("GET", R)).status).toBe(200);
    expect(fault.fired).toHaveLength(2);
  });

  it("answers GitHub's 502 page and its secondary rate limit with retry-after", async () => {
    standIn.fault({ route: "/repos/{owner}/{repo}", kind: { status: 502 } });
    const bad = await call("GET", R);
    expect([bad.status, bad.headers.get("content-type")]).toEqual([
      502,
      "text/html; charset=utf-8",
    ]);
    standIn.fault({
      route: "/repos/{owner}/{repo}",
      kind: { secondaryRateLimit: true, retryAfterSeconds: 30 },
    });
    const limited = await call("GET", R);
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("30");
    expect(String(limited.body.message)).toMatch(/secondary rate limit/);
  });

  it("drops the connection before the route runs, or after it ran", async () => {
    const sha = await repo.headOf("main");
    const create = (name: string) =>
      call("POST", `${R}/git/refs`, { ref: `refs/heads/${name}`, sha });
    standIn.fault({ method: "POST", kind: { drop: "before" } });
    await expect(create("before")).rejects.toThrow();
    expect(await repo.git.readRef("refs/heads/before")).toBeNull();
    standIn.fault({ method: "POST", kind: { drop: "after" } });
    await expect(create("after")).rejects.toThrow();
    expect(await repo.git.readRef("refs/heads/after")).toBe(sha);
  });

  it("adds latency", async () => {
    standIn.setLatency(60);
    const started = performance.now();
    await call("GET", R);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe("GitHub's rules", () => {
  it("pages lists with a Link header", async () => {
    for (let i = 0; i < 5; i++)
      repo.comment("dana", repo.openIssue("dana", { title: `#${i}` }).number, "hi");
    const first = await call("GET", `${R}/issues?per_page=2`);
    expect(first.body).toHaveLength(2);
    expect(first.headers.get("link")).toMatch(/[?&]page=2[^>]*>; rel="next"/);
    const last = await call("GET", `${R}/issues?per_page=2&page=3`);
    expect(last.body).toHaveLength(1);
    expect(last.headers.get("link")).not.toMatch(/rel="next"/);
  });

  it("opens one PR per branch and refuses one with nothing to compare", async () => {
    await repo.push("fix", { "a.txt": "two\n" }, "fix", "dana", { from: "main" });
    expect(
      (await call("POST", `${R}/pulls`, { head: "acme:fix", base: "main", title: "Fix" })).status,
    ).toBe(201);
    const again = await call("POST", `${R}/pulls`, { head: "fix", base: "main", title: "Fix" });
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toMatch(/A pull request already exists for acme:fix/);
    await repo.branch("same", "main", "dana");
    const empty = await call("POST", `${R}/pulls`, {
      head: "same",
      base: "main",
      title: "Nothing",
    });
    expect(JSON.stringify(empty.body)).toMatch(/No commits between main and same/);
  });

  it("merges a PR with git: squash, 409 when the head moved, 405 when merged", async () => {
    await repo.push("fix", { "a.txt": "two\n" }, "fix", "dana", { from: "main" });
    await repo.push("fix", { "b.txt": "b\n" }, "more", "dana");
    const pr = await repo.openPull("dana", { head: "fix", base: "main", title: "Fix it" });
    const moved = await call("PUT", `${R}/pulls/1/merge`, {
      sha: "0".repeat(40),
      merge_method: "squash",
    });
    expect(moved.status).toBe(409);
    const merged = await call("PUT", `${R}/pulls/1/merge`, {
      sha: pr.pull.headSha,
      merge_method: "squash",
    });
    expect(merged.status).toBe(200);
    const commit = await repo.git.readCommit(String(merged.body.sha));
    expect(commit?.parents).toHaveLength(1);
    expect(commit?.message).toMatch(/^Fix it \(#1\)\n\n\* fix\n\n\* more$/);
    expect(await repo.git.treeOf(String(merged.body.sha))).toBe(
      await repo.git.treeOf(pr.pull.headSha),
    );
    expect((await call("GET", `${R}/pulls/1`)).body).toMatchObject({
      merged: true,
      state: "closed",
      merge_commit_sha: merged.body.sha,
    });
    expect((await call("PUT", `${R}/pulls/1/merge`, { merge_method: "squash" })).status).toBe(405);
    expect((await call("GET", `${R}/pulls/1/commits`)).body).toHaveLength(2);
  });

  it("lists open PRs to a base by last update; asks users and teams for a review as GitHub does", async () => {
    const hub = standIn.hub;
    hub.addTeam("acme", "qa", ["quinn"]);
    for (const login of ["quinn", "olga", "sam"]) hub.addUser(login);
    repo.grant("quinn", "write");
    repo.grant("olga", "write");
    await repo.push("a", { "a.txt": "a\n" }, "a", "dana", { from: "main" });
    await repo.push("b", { "b.txt": "b\n" }, "b", "dana", { from: "main" });
    await repo.openPull("dana", { head: "a", base: "main", title: "A" });
    await repo.openPull("dana", { head: "b", base: "main", title: "B" });
    const numbers = async (query: string) =>
      ((await call("GET", `${R}/pulls?${query}`)).body as Array<{ number: number }>).map(
        (p) => p.number,
      );
    expect(await numbers("state=open&base=main")).toEqual([2, 1]);
    const first = repo.state.issues.get(1);
    if (first) first.updatedAt = "2999-01-01T00:00:00Z"; // #1 changed last

    expect(await numbers("state=open&base=main&sort=updated&direction=desc")).toEqual([1, 2]);
    expect(await numbers("state=open&base=main&sort=updated")).toEqual([2, 1]); // asc by default
    expect((await call("GET", `${R}/pulls?sort=size`)).status).toBe(422);

    const ask = (body: object) => call("POST", `${R}/pulls/1/requested_reviewers`, body);
    expect((await ask({ reviewers: ["sam"] })).status).toBe(422); // not a collaborator
    expect((await ask({ team_reviewers: ["nobody"] })).status).toBe(422);
    expect((await ask({ reviewers: ["dana"] })).status).toBe(422); // the author
    const asked = await ask({ reviewers: ["olga"], team_reviewers: ["qa"] });
    expect(asked.status).toBe(201);
    expect(asked.body.requested_reviewers.map((u: { login: string }) => u.login)).toEqual(["olga"]);
    expect(asked.body.requested_teams.map((t: { slug: string }) => t.slug)).toEqual(["qa"]);
    // A member's review answers the team's request; the user's stays.
    repo.review("quinn", 1, "COMMENTED", "on it");
    expect((await call("GET", `${R}/pulls/1`)).body.requested_teams).toEqual([]);
    expect((await call("GET", `${R}/collaborators/olga`)).status).toBe(204);
    expect((await call("GET", `${R}/collaborators/sam`)).status).toBe(404);
  });

  it("keeps one release per tag and creates a published release's tag", async () => {
    const made = await call("POST", `${R}/releases`, {
      tag_name: "v1.0.0",
      target_commitish: "main",
      make_latest: "false",
    });
    expect(made.status).toBe(201);
    expect(await repo.git.resolveCommit("v1.0.0")).toBe(await repo.headOf("main"));
    const again = await call("POST", `${R}/releases`, { tag_name: "v1.0.0" });
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toMatch(/already_exists/);
    await call("POST", `${R}/releases`, { tag_name: "v2.0.0", draft: true });
    expect((await call("GET", `${R}/releases/tags/v2.0.0`)).status).toBe(404);
    expect(
      (await call("GET", `${R}/releases`)).body.map((r: { tag_name: string }) => r.tag_name),
    ).toEqual(["v2.0.0", "v1.0.0"]);
  });

  it("checks deployments' required contexts and lists statuses newest first", async () => {
    const sha = await repo.headOf("main");
    const refused = await call("POST", `${R}/deployments`, {
      ref: "main",
      auto_merge: false,
      required_contexts: ["build"],
    });
    expect(refused.status).toBe(409);
    await repo.check(sha, "build", "success");
    const made = await call("POST", `${R}/deployments`, {
      ref: "main",
      auto_merge: false,
      required_contexts: ["build"],
      environment: "staging",
    });
    expect(made.status).toBe(201);
    repo.reportDeployment("deployer", Number(made.body.id), "in_progress");
    repo.reportDeployment("deployer", Number(made.body.id), "success");
    const statuses = await call("GET", `${R}/deployments/${made.body.id}/statuses`);
    expect(statuses.body.map((s: { state: string }) => s.state)).toEqual([
      "success",
      "in_progress",
    ]);
  });

  it("lists the latest check run of each name and combines statuses", async () => {
    const sha = await repo.headOf("main");
    await repo.check(sha, "build", "failure");
    await repo.check(sha, "build", "success");
    const runs = await call("GET", `${R}/commits/${sha}/check-runs`);
    expect(runs.body).toMatchObject({
      total_count: 1,
      check_runs: [{ name: "build", conclusion: "success" }],
    });
    expect((await call("GET", `${R}/commits/${sha}/status`)).body).toMatchObject({
      state: "pending",
      total_count: 0,
    });
    await repo.setStatus("ci", sha, "lint", "success");
    await repo.setStatus("ci", sha, "e2e", "failure");
    expect((await call("GET", `${R}/commits/main/status`)).body).toMatchObject({
      state: "failure",
      total_count: 2,
    });
  });

  it("finds the open PRs of a commit, and refuses an unknown commit", async () => {
    const head = await repo.push("fix", { "a.txt": "two\n" }, "fix", "dana", { from: "main" });
    await repo.openPull("dana", { head: "fix", base: "main", title: "Fix" });
    expect(
      (await call("GET", `${R}/commits/${head}/pulls`)).body.map(
        (p: { number: number }) => p.number,
      ),
    ).toEqual([1]);
    expect((await call("GET", `${R}/commits/${"1".repeat(40)}/pulls`)).status).toBe(422);
  });
});
