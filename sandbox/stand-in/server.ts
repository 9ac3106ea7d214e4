/**
 * A GitHub stand-in: an HTTP server on 127.0.0.1 that answers GitHub's REST API from route
 * modules, with git data in real bare repositories and everything else (issues, PRs, checks,
 * releases, deployments, people and teams) in the hub (hub.ts). Point Octokit at `url`
 * (GitHub.com layout) or `enterpriseUrl` (`/api/v3`, GitHub Enterprise Server layout — what
 * GHE_HOST produces).
 *
 * It is built to make tests fail loudly: a request no route answers gets 501 and is listed in
 * `unimplemented`; a handler crash gets 500; OpenAPI violations (see request-check.ts) are kept
 * in `violations`. `problems()` gathers all three — assert it is empty at the end of a test.
 *
 * With an App registered (`registerApp`) it authenticates like GitHub (JWT for `/app/…`,
 * installation tokens for the rest) and, once connected (`connectApp`, or `connectReplicas` for
 * several replicas of the App behind one webhook URL), delivers signed webhooks to it for every
 * change — the app's own and those of the people in `people.ts`. An installation that does not
 * cover a repository (`hub.hideFromInstallation`) gets 404 for all of `/repos/{owner}/{repo}/…`.
 */
import { releaseAssetsRoutes, UPLOADS_PREFIX } from "./routes/release-assets.js";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GitRepo } from "./git-repo.js";
import { Hub } from "./hub.js";
import type { AppRegistration } from "./model.js";
import { loadRequestChecker, type RequestChecker } from "./request-check.js";
import { HttpError, Router, type Reply, type RouteModule, type StandInWorld } from "./router.js";
import { accessRoutes } from "./routes/access.js";
import {
  appAuthRoutes,
  needsJwt,
  verifyAppJwt,
  verifyInstallationToken,
  verifyRepositoryAccess,
} from "./routes/app-auth.js";
import { checksRoutes } from "./routes/checks.js";
import { deploymentsRoutes } from "./routes/deployments.js";
import { gitDataRoutes } from "./routes/git-data.js";
import { issuesRoutes } from "./routes/issues.js";
import { pullsRoutes } from "./routes/pulls.js";
import { releasesRoutes } from "./routes/releases.js";
import { repoHistoryRoutes } from "./routes/repo-history.js";
import { rulesRoutes } from "./routes/rules.js";
import { graphqlRoutes } from "./routes/graphql.js";
import {
  WebhookDeliverer,
  type DeliveryOptions,
  type ReplicaOptions,
  type WebhookTarget,
} from "./webhooks.js";
import { faultInterceptor, type FaultSpec, type Fault } from "./faults.js";

/** Every built-in route module; a test's own modules take precedence over them. */
export const BUILT_IN_MODULES: RouteModule[] = [
  repoHistoryRoutes,
  gitDataRoutes,
  appAuthRoutes,
  pullsRoutes,
  issuesRoutes,
  checksRoutes,
  accessRoutes,
  releasesRoutes,
  deploymentsRoutes,
  releaseAssetsRoutes,
  rulesRoutes,
  graphqlRoutes,
];

const ENTERPRISE_PREFIX = "/api/v3";

export interface RecordedRequest {
  method: string;
  /** Path without prefix and query, decoded (`/repos/o/r/git/refs/heads/a/b`). */
  path: string;
  query: string;
  /** The route template that answered, or null when none did. */
  route: string | null;
  status: number;
  body: unknown;
  /** Time from receiving the request to answering it. */
  ms?: number;
}

export interface InterceptedRequest {
  method: string;
  path: string;
  route: string | null;
  params: Record<string, string>;
  body: unknown;
}

/** Runs before the route; return a Reply to answer instead of it (fault injection, races). */
export type Interceptor = (
  request: InterceptedRequest,
) => Reply | undefined | void | Promise<Reply | undefined | void>;

export interface StandInOptions {
  /** Route modules of a test; their routes take precedence over the built-in ones. */
  modules?: RouteModule[];
  /** Override the OpenAPI checker; `null` turns checking off. Default: request-check.ts. */
  checkRequest?: RequestChecker | null;
}

export interface StandIn {
  url: string;
  enterpriseUrl: string;
  readonly requests: RecordedRequest[];
  readonly unimplemented: RecordedRequest[];
  readonly violations: { request: string; problems: string[] }[];
  readonly router: Router;
  /** The in-memory GitHub: people, teams, issues, PRs, checks, releases, deployments, journal. */
  readonly hub: Hub;
  readonly webhooks: WebhookDeliverer;
  createRepo(owner: string, name: string, options?: { defaultBranch?: string }): Promise<GitRepo>;
  repo(owner: string, name: string): GitRepo | undefined;
  intercept(interceptor: Interceptor): () => void;
  /** Injects a fault (status, secondary rate limit, latency, dropped connection) N times. */
  fault(spec: FaultSpec): Fault;
  /** Delay every answer by `ms` (a network round trip); 0 turns it off. */
  setLatency(ms: number): void;
  /** Hosts a GitHub App: its JWT and installation tokens are required from now on. */
  registerApp(app: AppRegistration): void;
  /** Delivers webhooks to the app from now on (null: stop). */
  connectApp(target: WebhookTarget | null, options?: DeliveryOptions): void;
  /**
   * Several replicas of the App behind one webhook URL from now on: each delivery goes to the
   * replicas `options.route` names (default: all), every copy with the same delivery id and body,
   * all at the same moment. Payload URLs follow the first target's layout. [] stops delivering.
   */
  connectReplicas(targets: readonly WebhookTarget[], options?: ReplicaOptions): void;
  /** Unimplemented routes, handler crashes and OpenAPI violations, as readable lines. */
  problems(): string[];
  close(): Promise<void>;
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const hub = new Hub();
  const world: StandInWorld = {
    repo: (owner, name) => hub.repo(owner, name)?.git,
    store: new Map(),
    hub,
  };
  const router = new Router();
  for (const module of options.modules ?? []) module(router, world);
  const builtIn = new Router();
  for (const module of BUILT_IN_MODULES) module(builtIn, world);
  const webhooks = new WebhookDeliverer(null);
  hub.onWebhook((event) => webhooks.send(event));
  hub.accepting = () => webhooks.connected;
  webhooks.countRequests = () => requests.length;
  let notModified = 0;
  webhooks.countCounted = () => requests.length - notModified;
  let latencyMs = 0;
  const checker =
    options.checkRequest === undefined ? await loadRequestChecker() : options.checkRequest;

  const requests: RecordedRequest[] = [];
  const unimplemented: RecordedRequest[] = [];
  const violations: { request: string; problems: string[] }[] = [];
  const crashes: string[] = [];
  const interceptors: Interceptor[] = [];
  const intercept = (interceptor: Interceptor) => {
    interceptors.push(interceptor);
    return () => {
      const at = interceptors.indexOf(interceptor);
      if (at !== -1) interceptors.splice(at, 1);
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      crashes.push(`stand-in failed to answer ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const host = `http://${req.headers.host ?? "127.0.0.1"}`;
    const url = new URL(req.url ?? "/", host);
    const enterprise =
      url.pathname === ENTERPRISE_PREFIX || url.pathname.startsWith(`${ENTERPRISE_PREFIX}/`);
    const rawPath = enterprise ? url.pathname.slice(ENTERPRISE_PREFIX.length) || "/" : url.pathname;
    const uploads = url.pathname.startsWith(`${UPLOADS_PREFIX}/`);
    const apiUrl = enterprise
      ? `${host}${ENTERPRISE_PREFIX}`
      : uploads
        ? `${host}${UPLOADS_PREFIX}`
        : host;
    const text = await readBody(req);

    let body: unknown = undefined;
    let reply: Reply;
    let route: string | null = null;
    let path = rawPath;
    try {
      path = rawPath.split("/").map(decodeURIComponent).join("/");
    } catch {
      // keep the raw path in the record; the router answers 400
    }
    try {
      // An upload's body is the file, not JSON.
      if (text.length > 0 && uploads) body = text;
      else if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, "Problems parsing JSON");
        }
      }
      if (checker) {
        const found = checker({ method, url: `${rawPath}${url.search}`, body });
        if (found.length > 0) violations.push({ request: `${method} ${path}`, problems: found });
      }
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const match = router.match(method, rawPath) ?? builtIn.match(method, rawPath);
      route = match?.template ?? null;
      const params = match?.params ?? {};
      let intercepted: Reply | undefined = undefined;
      for (const interceptor of [...interceptors]) {
        intercepted = (await interceptor({ method, path, route, params, body })) ?? undefined;
        if (intercepted) break;
      }
      const authorization = req.headers.authorization;
      if (intercepted?.drop === "before") {
        dropped(req, res, { method, path, query: url.search, route, status: 0, body });
        return;
      }
      if (intercepted && !intercepted.drop) reply = intercepted;
      else if (!match) {
        reply = {
          status: 501,
          body: {
            message:
              `GitHub stand-in: no route for ${method} ${path}. ` +
              `Add one in a route module under sandbox/stand-in/routes/.`,
          },
        };
      } else {
        if (needsJwt(method, path)) verifyAppJwt(hub, authorization);
        else {
          verifyInstallationToken(hub, authorization);
          verifyRepositoryAccess(hub, uploads ? path.slice(UPLOADS_PREFIX.length) : path);
        }
        reply = await match.handler({
          method,
          path: rawPath,
          params,
          query: url.searchParams,
          body,
          headers: req.headers,
          apiUrl,
        });
      }
      if (intercepted?.drop === "after") {
        dropped(req, res, { method, path, query: url.search, route, status: 0, body });
        return;
      }
    } catch (error) {
      if (error instanceof HttpError) {
        reply = {
          status: error.status,
          body: {
            message: error.message,
            documentation_url: "https://docs.github.com/rest",
            status: String(error.status),
            ...error.extra,
          },
        };
      } else {
        crashes.push(
          `${method} ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        reply = { status: 500, body: { message: `stand-in crashed: ${String(error)}` } };
      }
    }

    // Conditional requests as GitHub answers them: every 200 to a GET carries an ETag, and a GET
    // naming the current one in `If-None-Match` is answered 304 with no body — which GitHub does
    // not count against the rate limit. The ETag varies with the `Accept` header and, as
    // GitHub's does, with the token: an installation's next token (hourly) gets full answers.
    if (method === "GET" && reply.status === 200 && reply.body !== undefined && !reply.raw) {
      const etag = `"${createHash("sha1")
        .update(`${req.headers.authorization ?? ""}\n${req.headers.accept ?? ""}\n`)
        .update(JSON.stringify(reply.body))
        .digest("hex")}"`;
      const asked = String(req.headers["if-none-match"] ?? "")
        .split(",")
        .map((e) => e.trim().replace(/^W\//, ""));
      reply = asked.includes(etag)
        ? { status: 304, headers: { ...reply.headers, etag } }
        : { ...reply, headers: { ...reply.headers, etag } };
    }

    const record: RecordedRequest = {
      method,
      path,
      query: url.search,
      route,
      status: reply.status,
      body,
      ms: performance.now() - started,
    };
    requests.push(record);
    if (reply.status === 304) notModified++;
    if (reply.status === 501) unimplemented.push(record);

    const headers: Record<string, string> = {
      "x-github-request-id": `STANDIN:${requests.length}`,
      ...reply.headers,
    };
    if (reply.raw !== undefined) {
      res.writeHead(reply.status, {
        "content-length": String(Buffer.byteLength(reply.raw)),
        ...headers,
      });
      res.end(reply.raw);
      return;
    }
    if (reply.status === 204 || reply.status === 304 || reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const json = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(json)),
      ...headers,
    });
    res.end(json);
  }

  /** The connection ends with no answer: what a client sees when a proxy or GitHub drops it. */
  function dropped(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void {
    requests.push(record);
    res.socket?.destroy();
    req.socket.destroy();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  hub.apiUrl = url;

  return {
    url,
    enterpriseUrl: `${url}${ENTERPRISE_PREFIX}`,
    requests,
    unimplemented,
    violations,
    router,
    hub,
    webhooks,
    async createRepo(owner, name, repoOptions = {}) {
      if (hub.repo(owner, name)) throw new Error(`stand-in: ${owner}/${name} already exists`);
      const repo = await GitRepo.create(repoOptions.defaultBranch ?? "main");
      hub.addRepo(owner, name, repo);
      return repo;
    },
    repo: world.repo,
    intercept,
    fault(spec) {
      const { interceptor, fault } = faultInterceptor(spec);
      fault.remove = intercept(interceptor);
      return fault;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    registerApp(app) {
      hub.registerApp(app);
    },
    connectApp(target, deliveryOptions = {}) {
      if (target) hub.apiUrl = target.enterprise === false ? url : `${url}${ENTERPRISE_PREFIX}`;
      webhooks.connect(target);
      webhooks.setOptions(deliveryOptions);
    },
    connectReplicas(targets, replicaOptions = {}) {
      const { route, ...deliveryOptions } = replicaOptions;
      const first = targets[0];
      if (first) hub.apiUrl = first.enterprise === false ? url : `${url}${ENTERPRISE_PREFIX}`;
      webhooks.connectReplicas(targets, route);
      webhooks.setOptions(deliveryOptions);
    },
    problems() {
      return [
        ...unimplemented.map((r) => `unimplemented route: ${r.method} ${r.path}`),
        ...crashes,
        ...hub.emissionErrors,
        ...webhooks.routeErrors,
        ...violations.map((v) => `OpenAPI violation in ${v.request}: ${v.problems.join("; ")}`),
      ];
    },
    async close() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((e) => (e ? reject(e) : resolve())),
      );
      webhooks.connect(null);
      server.closeAllConnections(); // Octokit keeps connections alive; close() would wait for them
      await closed;
      await Promise.all([...hub.repos.values()].map((repo) => repo.git.destroy()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
