/**
 * The AWS Lambda entry as Lambda loads it: `lib/lambda.js` configured by the environment,
 * invoked with function-URL / API Gateway events. GitHub is mocked by nock.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import type { LambdaHttpEvent, LambdaHttpResult } from "../../src/runtime/lambda-handler.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  testPrivateKey,
  useGitHubNock,
} from "../helpers/github-nock.js";
import { policyFile } from "../events/github-mocks.js";

useGitHubNock();

const SECRET = "lambda-secret";
let handler: (event: LambdaHttpEvent) => Promise<LambdaHttpResult>;
let sweep: () => Promise<{ exitCode: number }>;
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, {
    APP_ID: "123",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: "fatal",
  });
  ({ handler, sweep } = await import("../../src/lambda.js"));
});
afterAll(() => {
  process.env = saved;
});

const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

/** A function-URL (payload format 2.0) event carrying a real pull_request delivery. */
function functionUrlEvent(id: string, overrides: Partial<LambdaHttpEvent> = {}): LambdaHttpEvent {
  const body = JSON.stringify(
    loadWebhookExample("pull_request.labeled", (p) => p.installation !== undefined),
  );
  return {
    rawPath: "/api/github/webhooks",
    requestContext: { http: { method: "POST" } },
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": id,
      "x-hub-signature-256": sign(body),
    },
    body,
    isBase64Encoded: false,
    ...overrides,
  };
}

const expectPolicyRead = () =>
  policyFile(mockInstallationToken(githubApi()), 'hotfix:\n  targets: ["master"]\n');

describe("AWS Lambda entry (lib/lambda.handler)", () => {
  it("verifies a signed delivery, runs the app to the end, then answers 200", async () => {
    expectPolicyRead();
    const result = await handler(functionUrlEvent("lambda-1"));
    expect(result).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    // The work ran before the answer: Lambda would freeze anything left running.
    expect(recordedRequests().map((r) => r.route)).toEqual([
      "POST /app/installations/{installation_id}/access_tokens",
      "GET /repos/{owner}/{repo}/contents/{path}",
    ]);
  });

  it("accepts API Gateway (REST) events: mixed-case headers and a base64 body", async () => {
    // The warm function still holds the installation token from the first invocation.
    policyFile(githubApi(), 'hotfix:\n  targets: ["master"]\n');
    const event = functionUrlEvent("lambda-2");
    const result = await handler({
      httpMethod: "POST",
      path: "/api/github/webhooks",
      headers: {
        "Content-Type": "application/json",
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": "lambda-2",
        "X-Hub-Signature-256": event.headers!["x-hub-signature-256"],
      },
      body: Buffer.from(event.body!).toString("base64"),
      isBase64Encoded: true,
    });
    expect(result.statusCode).toBe(200);
  });

  it.each([
    ["a wrong signature", { "x-hub-signature-256": sign("something else") }],
    ["no signature", { "x-hub-signature-256": undefined }],
  ])("refuses %s with 400 and does nothing", async (_name, headers) => {
    const event = functionUrlEvent("lambda-bad");
    const result = await handler({ ...event, headers: { ...event.headers, ...headers } });
    expect(result.statusCode).toBe(400);
    expect(recordedRequests()).toEqual([]);
  });

  it("answers GET /healthz without GitHub, and 404 to other methods", async () => {
    expect(
      (await handler({ rawPath: "/healthz", requestContext: { http: { method: "GET" } } }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await handler({
          rawPath: "/api/github/webhooks",
          requestContext: { http: { method: "GET" } },
        })
      ).statusCode,
    ).toBe(404);
    expect(recordedRequests()).toEqual([]);
  });

  it("lib/lambda.sweep (an EventBridge schedule's target) sweeps every installation", async () => {
    githubApi().get("/app/installations").query(true).reply(200, []);
    expect(await sweep()).toEqual({ exitCode: 0 });
    expect(recordedRequests().map((r) => r.route)).toEqual(["GET /app/installations"]);
  });
});
