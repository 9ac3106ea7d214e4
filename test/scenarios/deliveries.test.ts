/**
 * What reaches the running app over HTTP: a delivery without a valid `X-Hub-Signature-256` is
 * refused before any handler runs (no GitHub request follows), and every recorded payload of
 * @octokit/webhooks-examples — 329 payloads of 58 events, written by no one here — is
 * answered without a crash or a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { unpaced } from "../../src/backport/pace-writes.js";
import {
  newAppCredentials,
  startAppInProcess,
  type AppCredentials,
  type AppHost,
} from "../../sandbox/app-host.js";
import { RepoHandle } from "../../sandbox/stand-in/people.js";
import { webhookExamples } from "../../sandbox/stand-in/payloads.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { deliveryHeaders, sign } from "../../sandbox/stand-in/webhooks.js";

let standIn: StandIn;
let app: AppHost;
let credentials: AppCredentials;

const allPayloads = () =>
  webhookExamples().flatMap((entry) =>
    entry.examples.map((payload) => ({ event: entry.name, payload: structuredClone(payload) })),
  );

beforeAll(async () => {
  standIn = await startStandIn();
  // GitHub delivers to an App only for its installations; the recorded payloads name many.
  standIn.hub.anyInstallation = true;
  // The repositories the payloads name exist (without a policy), and so do the commits they name.
  for (const { payload } of allPayloads()) {
    const repository = payload.repository as
      { name: string; owner: { login: string }; default_branch?: string } | undefined;
    if (!repository) continue;
    const owner = repository.owner.login;
    const branch = repository.default_branch ?? "main";
    if (!standIn.hub.repo(owner, repository.name)) {
      await standIn.createRepo(owner, repository.name, { defaultBranch: branch });
      const repo = new RepoHandle(standIn, owner, repository.name);
      await repo.push(branch, { "README.md": "# hello\n" }, "Initial commit", owner);
    }
    const state = standIn.hub.repo(owner, repository.name);
    for (const sha of JSON.stringify(payload).match(/\b[0-9a-f]{40}\b/g) ?? []) {
      state?.assumedCommits.add(sha);
    }
  }
  credentials = newAppCredentials("Codertocat");
  app = await startAppInProcess(standIn, credentials, { config: { backportPacer: unpaced } });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await standIn?.close();
});

async function deliver(event: string, body: string, headers: Record<string, string>) {
  const response = await fetch(app.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": event, ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** A real delivery the app answers 200 to when correctly signed (its repository has no policy). */
const example = () =>
  webhookExamples()
    .find((e) => e.name === "pull_request")
    ?.examples.find((p) => p.action === "labeled" && p.installation !== undefined) as Record<
    string,
    unknown
  >;

describe("signatures", () => {
  const body = JSON.stringify(example());
  const signed = (secret: string, text = body) =>
    deliveryHeaders("pull_request", "sig-1", text, { secret });

  it.each([
    ["no signature at all", () => ({ "x-github-delivery": "sig-1" })],
    ["a signature made with another secret", () => signed("not-the-secret")],
    ["a signature of another body", () => signed(credentials.webhookSecret, `${body} `)],
    [
      "only the legacy SHA-1 signature",
      () => {
        const { "x-hub-signature-256": _sha256, ...rest } = signed(credentials.webhookSecret);
        return rest;
      },
    ],
    [
      "a malformed signature",
      () => ({ ...signed(credentials.webhookSecret), "x-hub-signature-256": "sha256=zz" }),
    ],
  ])("refuses a delivery with %s, before any GitHub request", async (_, headers) => {
    const before = standIn.requests.length;
    const answer = await deliver("pull_request", body, headers());
    expect(answer.status).toBe(400);
    expect(standIn.requests.length).toBe(before);
  });

  it("accepts the same delivery correctly signed (the refusals are about the signature)", async () => {
    const answer = await deliver("pull_request", body, signed(credentials.webhookSecret));
    expect(answer.status).toBe(200);
    expect(sign(credentials.webhookSecret, body).sha256).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

/**
 * Delivers every recorded payload to the real app; returns the answers that were not 2xx and
 * the stand-in's requests made meanwhile.
 */
async function deliverAll(label: string) {
  const payloads = allPayloads();
  expect(payloads.length).toBeGreaterThanOrEqual(329);
  const from = standIn.requests.length;
  const notOk: string[] = [];
  for (const [i, { event, payload }] of payloads.entries()) {
    // GitHub always says which installation a delivery to an App is for.
    payload.installation ??= {
      id: credentials.installationId,
      node_id: "MDIzOkludGVncmF0aW9uNzc=",
    };
    const body = JSON.stringify(payload);
    const id = createHash("sha1").update(`${label}${i}`).digest("hex");
    const answer = await deliver(
      event,
      body,
      deliveryHeaders(event, id, body, {
        secret: credentials.webhookSecret,
        appId: credentials.appId,
      }),
    );
    if (answer.status < 200 || answer.status >= 300) {
      notOk.push(
        `${event}.${String(payload.action ?? "")} #${i}: ${answer.status} ${answer.text.slice(0, 200)}`,
      );
    }
  }
  return { notOk, requests: standIn.requests.slice(from) };
}

describe("every recorded webhook payload", () => {
  it("is answered 2xx for repositories without a policy, and every GitHub request the app makes is a real one", async () => {
    const { notOk, requests } = await deliverAll("no-policy");
    expect(notOk).toEqual([]);
    expect(standIn.problems()).toEqual([]);
    // No policy anywhere: the policy reads answer 404, and so do the files of the PRs that some
    // payloads name but that do not exist here (the policy-file check looks for a new policy).
    const notFound = new Set(
      requests.filter((r) => r.status === 404).map((r) => `${r.method} ${r.route}`),
    );
    expect([...notFound].sort()).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path+}",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
    ]);
  }, 60_000);

  it("is answered 2xx for repositories the installation cannot read: nothing to do there", async () => {
    const repos = new Set<string>();
    for (const { payload } of allPayloads()) {
      const repository = payload.repository as
        { name: string; owner: { login: string } } | undefined;
      if (repository) repos.add(`${repository.owner.login}/${repository.name}`);
    }
    for (const full of repos) {
      const [owner, name] = full.split("/") as [string, string];
      standIn.hub.hideFromInstallation(owner, name);
    }
    try {
      const { notOk, requests } = await deliverAll("unreadable");
      expect(notOk).toEqual([]);
      expect(standIn.problems()).toEqual([]);
      // Every request about those repositories was a read answered 404: no write was tried.
      const about = requests.filter(
        (r) => /^\/repos\//.test(r.path) && !r.path.endsWith("/installation"),
      );
      expect(about.length).toBeGreaterThan(0);
      expect(about.filter((r) => r.method !== "GET")).toEqual([]);
      expect(new Set(about.map((r) => r.status))).toEqual(new Set([404]));
    } finally {
      for (const full of repos) {
        const [owner, name] = full.split("/") as [string, string];
        standIn.hub.showToInstallation(owner, name);
      }
    }
  }, 60_000);
});
