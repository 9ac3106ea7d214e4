import { afterAll, afterEach, beforeAll, beforeEach } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import nock from "nock";
import { Probot, ProbotOctokit, type ApplicationFunction, type Context } from "probot";
import { checkRequest, matchOperation } from "../openapi/check-request.js";

/**
 * The nock harness for tests that talk to GitHub. Every request a test intercepts is checked
 * against GitHub's OpenAPI description (test/openapi/check-request.ts): nock replies to
 * whatever it was told to, so without this a wrong route, a missing required field or a
 * misspelt field GitHub would silently ignore passes every test and fails in production.
 *
 *   useGitHubNock();                        // once, at the top of the test file
 *   const probot = await testProbot(app);
 *   const api = mockInstallationToken(githubApi()).post("/repos/o/r/check-runs").reply(201, {});
 *   await probot.receive({ id: "1", name: "pull_request", payload });
 *   // afterEach fails the test on any violation, unmocked request or unused mock
 */

export interface RecordedRequest {
  method: string;
  /** The full URL as requested. */
  url: string;
  /** Path and query as sent (a GitHub Enterprise `/api/v3` prefix is kept). */
  path: string;
  /** Parsed JSON, or the raw text when it is not JSON; `undefined` when nothing was sent. */
  body: unknown;
  /** "POST /repos/{owner}/{repo}/check-runs"; `undefined` when GitHub has no such operation. */
  route: string | undefined;
  operationId: string | undefined;
}

interface Violation {
  request: string;
  problem: string;
}

const DEFAULT_HOST = "api.github.com";

const state = {
  installed: false,
  requests: [] as RecordedRequest[],
  violations: [] as Violation[],
  /** Hosts treated as GitHub in this test: api.github.com plus every githubApi() base URL. */
  hosts: new Set([DEFAULT_HOST]),
};

function parseBody(text: string, contentType: string | null): unknown {
  if (text === "") return undefined;
  if (contentType === null || /json/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function record(method: string, url: string, bodyText: string, contentType: string | null): void {
  const body = parseBody(bodyText, contentType);
  const parsed = new URL(url);
  const operation = matchOperation({ method, url });
  state.requests.push({
    method,
    url,
    path: parsed.pathname + parsed.search,
    body,
    route: operation?.route,
    operationId: operation?.operationId,
  });
  // The raw text goes to the checker so that a body that is not JSON is reported as such.
  for (const problem of checkRequest({ method, url, body: bodyText })) {
    state.violations.push({ request: `${method} ${url}`, problem });
  }
}

/**
 * An unanswered request to GitHub fails the test even when the app catches the error it got.
 * Other hosts are left to nock's own `disableNetConnect` error.
 */
function onNoMatch(request: Request): void {
  if (!state.hosts.has(new URL(request.url).host)) return;
  const label = `${request.method} ${request.url}`;
  state.violations.push({
    request: label,
    problem: "not mocked: no nock interceptor matched this request",
  });
  for (const problem of checkRequest({ method: request.method, url: request.url })) {
    if (!problem.startsWith("missing request body"))
      state.violations.push({ request: label, problem });
  }
}

/**
 * A nock scope for GitHub's REST API whose every intercepted request is recorded and checked.
 * `baseUrl` may carry a path, e.g. `https://ghe.example.com/api/v3` for GitHub Enterprise.
 */
export function githubApi(baseUrl = "https://api.github.com"): nock.Scope {
  if (!state.installed) {
    throw new Error("githubApi() needs useGitHubNock() at the top of the test file");
  }
  state.hosts.add(new URL(baseUrl).host);
  const scope = nock(baseUrl);
  scope.on("request", (req: Request, _interceptor: unknown, body: string) => {
    record(req.method, req.url, body, req.headers.get("content-type"));
  });
  return scope;
}

/** Every request intercepted in the current test, in order. */
export function recordedRequests(): RecordedRequest[] {
  return [...state.requests];
}

/** How many requests each route received in the current test ("API calls spent"). */
export function requestCountsByRoute(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { route, method, path } of state.requests) {
    const key = route ?? `${method} ${path} (no such operation)`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function formatViolations(violations: Violation[]): string[] {
  return violations.map(({ request, problem }) => `${request}: ${problem}`);
}

/** Returns the violations so far and forgets them: for tests that expect a bad request. */
export function takeOpenApiViolations(): string[] {
  const taken = formatViolations(state.violations);
  state.violations = [];
  return taken;
}

/** Fails with every violation so far (checked automatically after each test). */
export function assertNoOpenApiViolations(): void {
  if (state.violations.length === 0) return;
  throw new Error(
    `Requests to GitHub that do not match its OpenAPI description:\n  - ` +
      formatViolations(state.violations).join("\n  - "),
  );
}

/**
 * What `useGitHubNock` runs after each test: fails on violations, unmocked requests and mocks
 * that were never requested, after resetting so one failure does not leak into the next test.
 */
export function verifyGitHubNock(): void {
  const problems = [
    ...formatViolations(state.violations),
    ...nock.pendingMocks().map((mock) => `mocked but never requested: ${mock}`),
  ];
  resetGitHubNock();
  if (problems.length > 0) {
    throw new Error(`GitHub mocks did not check out:\n  - ${problems.join("\n  - ")}`);
  }
}

function resetGitHubNock(): void {
  nock.cleanAll();
  state.requests = [];
  state.violations = [];
  state.hosts = new Set([DEFAULT_HOST]);
}

/** Registers the hooks that make the checks impossible to forget. Call once per test file. */
export function useGitHubNock(): void {
  state.installed = true;
  beforeAll(() => {
    nock.emitter.on("no match", onNoMatch);
  });
  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubNock();
  });
  afterEach(() => {
    verifyGitHubNock();
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
  });
}

let privateKey: string | undefined;

/** A throwaway RSA key, generated once per test file (2048-bit generation takes ~100 ms). */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
  return privateKey;
}

/**
 * Retries and throttling off, in the function form: the object form of `defaults` is silently
 * overridden by Probot's own defaults, and tests then wait a second per write.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface TestProbotOptions {
  /** e.g. `https://ghe.example.com/api/v3`; pair it with `githubApi()` of the same URL. */
  baseUrl?: string;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
}

/** A Probot (app id 123, test key) with `app` loaded; feed it with `probot.receive(...)`. */
export async function testProbot(
  app: ApplicationFunction,
  options: TestProbotOptions = {},
): Promise<Probot> {
  const probot = new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    Octokit: TestOctokit,
    // Handler errors still reach the test: `probot.receive` rejects with them.
    logLevel: options.logLevel ?? "fatal",
    ...(options.baseUrl && { baseUrl: options.baseUrl }),
  });
  await probot.load(app);
  return probot;
}

/**
 * Mocks the installation token Probot fetches before its first request for an installation.
 * Without `installationId` any installation matches.
 */
export function mockInstallationToken(scope: nock.Scope, installationId?: number): nock.Scope {
  const path =
    installationId === undefined
      ? /\/app\/installations\/\d+\/access_tokens$/
      : `/app/installations/${installationId}/access_tokens`;
  return scope.post(path).reply(201, {
    token: "ghs_test_installation_token",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: {
      checks: "write",
      contents: "write",
      issues: "write",
      metadata: "read",
      pull_requests: "write",
    },
    repository_selection: "all",
  });
}

/** "pull_request", or "pull_request.closed" to pick an action. */
export type WebhookEventName = Context["name"];
export type WebhookPayload<E extends WebhookEventName> = Context<E>["payload"];

interface WebhookExamples {
  name: string;
  actions: string[];
  examples: Array<Record<string, unknown>>;
}

let examples: WebhookExamples[] | undefined;

function webhookExamples(): WebhookExamples[] {
  const file = createRequire(import.meta.url).resolve(
    "@octokit/webhooks-examples/api.github.com/index.json",
  );
  examples ??= JSON.parse(readFileSync(file, "utf8")) as WebhookExamples[];
  return examples;
}

/**
 * A real payload from `@octokit/webhooks-examples` (recorded from GitHub, written by no one
 * here), as a deep copy the test may change. Throws, naming what exists, when none matches.
 */
export function loadWebhookExample<E extends WebhookEventName>(
  event: E,
  predicate: (payload: WebhookPayload<E>) => boolean = () => true,
): WebhookPayload<E> {
  const [name, action] = event.split(".");
  const entry = webhookExamples().find((e) => e.name === name);
  if (!entry) throw new Error(`@octokit/webhooks-examples has no "${name}" event`);
  const found = entry.examples.find(
    (example) =>
      (action === undefined || example.action === action) &&
      predicate(example as WebhookPayload<E>),
  );
  if (!found) {
    const actions = entry.examples.map((example) => String(example.action ?? "(no action)"));
    throw new Error(
      `no "${event}" example matches; ${entry.examples.length} "${name}" examples have actions: ` +
        [...new Set(actions)].join(", "),
    );
  }
  return structuredClone(found) as WebhookPayload<E>;
}
