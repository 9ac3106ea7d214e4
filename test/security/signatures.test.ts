/**
 * SECURITY.md "Webhook signatures": a delivery without a valid x-hub-signature-256 for the
 * configured secret is answered 400 by Probot's real server and no handler runs.
 */
import { describe, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import { createApp } from "../../src/app.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  useGitHubNock,
} from "../helpers/github-nock.js";
import { policyFile } from "../events/github-mocks.js";
import {
  deliver,
  post,
  signature,
  useProbotServer,
  type RunningServer,
} from "../ops/probot-server.js";

useGitHubNock();

const startServer = useProbotServer();

const event = () => ({
  id: `sig-${Math.random()}`,
  name: "pull_request",
  payload: loadWebhookExample("pull_request.labeled", (p) => p.installation !== undefined),
});
const handled = (s: RunningServer) => s.logs.some((l) => l.delivery !== undefined);

describe("webhook signatures", () => {
  it("control: a correctly signed delivery is handled (so the refusals below mean something)", async () => {
    const server = await startServer(createApp({ appId: 123 }));
    policyFile(mockInstallationToken(githubApi()), 'hotfix:\n  targets: ["master"]\n');
    expect((await deliver(server.url, event())).status).toBe(200);
    expect(recordedRequests()).toHaveLength(2);
    expect(handled(server)).toBe(true);
  });

  it.each([
    ["no signature", () => false as const],
    ["a signature made with another secret", (body: string) => signature(body, "not-the-secret")],
    ["a signature of another body (tampered payload)", () => signature('{"action":"opened"}')],
    ["a malformed signature", () => "sha256=xyz"],
  ])("refuses %s with 400 and does nothing", async (_name, sign) => {
    const server = await startServer(createApp({ appId: 123 }));
    const delivery = event();
    const answer = await deliver(server.url, delivery, {
      sign: sign(JSON.stringify(delivery.payload)),
    });
    expect(answer.status).toBe(400);
    expect(recordedRequests()).toEqual([]);
    expect(handled(server)).toBe(false);
  });

  it("refuses the legacy SHA-1 header alone (x-hub-signature) with 400", async () => {
    const server = await startServer(createApp({ appId: 123 }));
    const body = JSON.stringify(event().payload);
    const { status } = await post(
      `${server.url}/api/github/webhooks`,
      {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "sha1-only",
        "x-hub-signature": `sha1=${createHmac("sha1", "test-webhook-secret").update(body).digest("hex")}`,
      },
      body,
    );
    expect(status).toBe(400);
    expect(recordedRequests()).toEqual([]);
    expect(handled(server)).toBe(false);
  });
});
