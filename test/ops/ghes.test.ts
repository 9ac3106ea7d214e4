/**
 * GitHub Enterprise Server: GHE_HOST / GHE_PROTOCOL, through the code path `npm start` takes
 * (Probot's `run` reading the environment), against a local HTTP server standing in for the
 * instance's API under /api/v3 — a real server on 127.0.0.1, not nock.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { run, type Server as ProbotServer } from "probot";
import { createApp } from "../../src/app.js";
import { httpRequest } from "./raw-http.js";
import { freePort } from "../../sandbox/app-host.js";

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

const SECRET = "ghes-secret";
const POLICY = 'hotfix:\n  targets: ["master"]\n';

/** The few answers of a GitHub Enterprise instance this delivery needs. */
function startStandIn(): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: req.headers.authorization,
    });
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (
      req.method === "POST" &&
      /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(req.url ?? "")
    )
      return json(201, { token: "ghs_enterprise_token", expires_at: "2099-01-01T00:00:00Z" });
    if (
      req.method === "GET" &&
      /^\/api\/v3\/repos\/Codertocat\/Hello-World\/contents\/\.github(%2F|\/)hotfix\.yml/.test(
        req.url ?? "",
      )
    )
      return json(200, {
        type: "file",
        encoding: "base64",
        size: POLICY.length,
        content: Buffer.from(POLICY).toString("base64"),
        path: ".github/hotfix.yml",
      });
    json(404, { message: "Not Found" });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as AddressInfo).port, seen }),
    ),
  );
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("GitHub Enterprise Server (GHE_HOST, GHE_PROTOCOL)", () => {
  it("sends every API request to the instance's /api/v3, authenticated as the installation", async () => {
    const standIn = await startStandIn();
    closers.push(() => new Promise((resolve) => standIn.server.close(() => resolve())));
    const privateKey = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    }).privateKey;
    const probot: ProbotServer = await run(createApp({ appId: 123 }), {
      env: {
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: `127.0.0.1:${standIn.port}`,
        GHE_PROTOCOL: "http",
        HOST: "127.0.0.1",
        PORT: String(await freePort()), // "0" would be read as unset, i.e. 3000
      },
      log: pino({ level: "silent" }),
    });
    closers.push(() => probot.stop());

    const examples = JSON.parse(
      readFileSync(
        createRequire(import.meta.url).resolve(
          "@octokit/webhooks-examples/api.github.com/index.json",
        ),
        "utf8",
      ),
    ) as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
    const payload = examples
      .find((e) => e.name === "pull_request")!
      .examples.find((p) => p.action === "labeled" && p.installation !== undefined)!;
    const body = JSON.stringify(payload);
    const { status } = await httpRequest(`http://127.0.0.1:${probot.port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "ghes-1",
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      },
      body,
    });

    expect(status).toBe(200);
    expect(standIn.seen.map((s) => `${s.method} ${s.url.split("?")[0]}`)).toEqual([
      "POST /api/v3/app/installations/1/access_tokens",
      "GET /api/v3/repos/Codertocat/Hello-World/contents/.github%2Fhotfix.yml",
    ]);
    expect(standIn.seen[0]?.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i); // the App's JWT
    expect(standIn.seen[1]?.authorization).toBe("token ghs_enterprise_token");
  });
});
