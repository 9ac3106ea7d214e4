/**
 * An AWS Lambda handler over a Probot 14 instance, for API Gateway (REST or HTTP API) and
 * Lambda function URLs. It does what @probot/adapter-aws-lambda-serverless does — verify the
 * signature, hand the delivery to Probot's webhooks — on Probot 14's public API: that adapter
 * (4.0.3) depends on probot ^13 and would load a second, older Probot. Unlike it, a bad
 * signature or body is answered 400 (not a Lambda error), and base64 bodies are decoded.
 *
 * Lambda freezes a function once it has answered, so work cannot go on after the answer here:
 * the handler answers when the work ends (see README "Deploy", the 10 s limit).
 */
import type { Probot } from "probot";

/** The fields used, common to API Gateway v1/v2 and function-URL events. */
export interface LambdaHttpEvent {
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  requestContext?: { http?: { method?: string } };
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const WEBHOOK_HEADERS = ["x-github-delivery", "x-github-event", "x-hub-signature-256"] as const;

const json = (statusCode: number, body: unknown): LambdaHttpResult => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

type ReceivedEvent = Parameters<Probot["webhooks"]["receive"]>[0];

export function createLambdaHandler(probot: Probot, loaded: Promise<void>) {
  return async (event: LambdaHttpEvent): Promise<LambdaHttpResult> => {
    await loaded;
    const method = (event.requestContext?.http?.method ?? event.httpMethod ?? "").toUpperCase();
    const path = event.rawPath ?? event.path ?? "/";
    if (method === "GET" && path.endsWith("/healthz")) return json(200, { status: "ok" });
    if (method !== "POST") return json(404, { error: `Unknown route: ${method} ${path}` });

    // Header names are case-insensitive; API Gateway v1 keeps the sender's case.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.headers ?? {}))
      if (value !== undefined) headers[name.toLowerCase()] = value;
    const missing = WEBHOOK_HEADERS.filter((name) => !headers[name]);
    if (missing.length > 0)
      return json(400, { error: `Required headers missing: ${missing.join(", ")}` });

    const body = event.isBase64Encoded
      ? Buffer.from(event.body ?? "", "base64").toString("utf8")
      : (event.body ?? "");
    const signature = headers["x-hub-signature-256"] as string;
    if (!(await probot.webhooks.verify(body, signature).catch(() => false)))
      return json(400, { error: "signature does not match event payload and secret" });
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return json(400, { error: "Invalid JSON" });
    }
    try {
      await probot.webhooks.receive({
        id: headers["x-github-delivery"],
        name: headers["x-github-event"],
        payload,
      } as ReceivedEvent);
    } catch (error) {
      // Logged by the handler; a 500 lets GitHub show the delivery as failed, for redelivery.
      return json(500, { error: (error as Error).message });
    }
    return json(200, { ok: true });
  };
}
