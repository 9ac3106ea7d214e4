/**
 * GitHub App authentication: the App signs a JWT (RS256, `iss` = its id) with its private key
 * and exchanges it for an installation token; every other request carries that token. With an
 * App registered (`standIn.registerApp`), the stand-in checks both: a JWT its public key does
 * not verify, an expired one or an unknown token gets GitHub's 401.
 *
 * An installation on "selected repositories" (`hub.hideFromInstallation`) gets 404 for every
 * `/repos/{owner}/{repo}/…` request about a repository outside its selection, existing or not —
 * checked here, once for all routes (`verifyRepositoryAccess`) — and lists only the selected ones.
 */
import { createVerify, randomBytes } from "node:crypto";
import type { Hub } from "../hub.js";
import { HttpError, notFound, type RouteContext, type RouteModule } from "../router.js";
import { userJson } from "../json.js";
import { nodeId } from "./shapes.js";
import { REPO } from "./common.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** Routes authenticated with the App's JWT rather than an installation token. */
export function needsJwt(method: string, path: string): boolean {
  return (
    path === "/app" ||
    path.startsWith("/app/") ||
    (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path))
  );
}

function unauthorized(message = "Bad credentials"): HttpError {
  return new HttpError(401, message);
}

function base64url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** Verifies the App's JWT as GitHub does: signature, issuer, not expired, not issued in the future. */
export function verifyAppJwt(hub: Hub, authorization: string | undefined): void {
  const app = hub.app;
  if (!app) return;
  const match = /^bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) {
    throw unauthorized("A JSON web token could not be decoded");
  }
  const [header, payload, signature] = (match[1] as string).split(".");
  if (!header || !payload || !signature)
    throw unauthorized("A JSON web token could not be decoded");
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(app.publicKey, base64url(signature))) {
    throw unauthorized("A JSON web token could not be decoded");
  }
  const claims = JSON.parse(base64url(payload).toString("utf8")) as {
    iss?: string | number;
    exp?: number;
    iat?: number;
  };
  const now = Date.now() / 1000;
  if (String(claims.iss) !== String(app.id)) {
    throw unauthorized(`'Issuer' claim ('iss') must be an Integer (or the App's id)`);
  }
  if (typeof claims.exp !== "number" || claims.exp < now) {
    throw unauthorized(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    );
  }
  if (typeof claims.iat === "number" && claims.iat > now + 60) {
    throw unauthorized(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    );
  }
}

/** Checks an installation token; throws GitHub's 401 for a missing, unknown or expired one. */
export function verifyInstallationToken(hub: Hub, authorization: string | undefined): void {
  if (!hub.app) return;
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? "");
  const token = match ? hub.tokens.get(match[1] as string) : undefined;
  if (!token || token.expiresAt < Date.now()) throw unauthorized();
}

const REPO_PATH = /^\/repos\/([^/]+)\/([^/]+)(?:\/|$)/;

/**
 * GitHub's answer to an installation token for a repository its installation does not cover:
 * 404, as for a repository that does not exist. `path` is the decoded request path.
 */
export function verifyRepositoryAccess(hub: Hub, path: string): void {
  const match = REPO_PATH.exec(path);
  if (match && !hub.installationCovers(match[1] as string, match[2] as string)) throw notFound();
}

function installationJson(hub: Hub, api: string, id: number) {
  const app = hub.app;
  if (!app) throw notFound();
  return {
    id,
    node_id: nodeId("Installation", String(id)),
    account: userJson(api, hub.user(app.owner)),
    repository_selection: hub.repositorySelection,
    access_tokens_url: `${api}/app/installations/${id}/access_tokens`,
    repositories_url: `${api}/installation/repositories`,
    html_url: `https://github.com/organizations/${app.owner}/settings/installations/${id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: hub.user(app.owner).id,
    target_type: "Organization",
    permissions: PERMISSIONS,
    events: [
      "pull_request",
      "pull_request_review",
      "check_run",
      "check_suite",
      "status",
      "push",
      "issue_comment",
      "deployment_status",
      "issues",
    ],
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    single_file_name: null,
    suspended_at: null,
    suspended_by: null,
  };
}

const PERMISSIONS = {
  checks: "write",
  contents: "write",
  deployments: "write",
  issues: "write",
  members: "read",
  metadata: "read",
  pull_requests: "write",
  statuses: "read",
};

export const appAuthRoutes: RouteModule = (router, world) => {
  const hub = world.hub;
  const jwt = (context: RouteContext) =>
    verifyAppJwt(hub, context.headers.authorization as string | undefined);

  router.post("/app/installations/{installation_id}/access_tokens", (context) => {
    jwt(context);
    const app = hub.app;
    const id = Number(context.params.installation_id);
    if (app && id !== app.installationId && !hub.anyInstallation) throw notFound();
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
    hub.tokens.set(token, { installationId: id, expiresAt });
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: PERMISSIONS,
        repository_selection: hub.repositorySelection,
      },
    };
  });

  router.get("/app", (context) => {
    jwt(context);
    const app = hub.app;
    if (!app) throw notFound();
    return {
      status: 200,
      body: {
        id: app.id,
        slug: app.slug,
        node_id: nodeId("App", String(app.id)),
        owner: userJson(context.apiUrl, hub.user(app.owner)),
        name: app.name,
        description: "",
        external_url: "https://github.com/apps/" + app.slug,
        html_url: "https://github.com/apps/" + app.slug,
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
        permissions: PERMISSIONS,
        events: [],
        installations_count: 1,
      },
    };
  });

  router.get("/app/installations", (context) => {
    jwt(context);
    const app = hub.app;
    return {
      status: 200,
      body: app ? [installationJson(hub, context.apiUrl, app.installationId)] : [],
    };
  });

  router.get(`${REPO}/installation`, (context) => {
    jwt(context);
    const owner = context.params.owner ?? "";
    const name = context.params.repo ?? "";
    // Not installed on a repository outside the selection.
    if (!hub.repo(owner, name) || !hub.installationCovers(owner, name) || !hub.app)
      throw notFound();
    return { status: 200, body: installationJson(hub, context.apiUrl, hub.app.installationId) };
  });

  router.get("/installation/repositories", (context) => {
    const repos = [...hub.repos.values()].filter((r) => hub.installationCovers(r.owner, r.name));
    return {
      status: 200,
      body: {
        total_count: repos.length,
        repository_selection: hub.repositorySelection,
        repositories: repos.map((r) => ({
          id: r.id,
          node_id: nodeId("Repository", `${r.owner}/${r.name}`),
          name: r.name,
          full_name: `${r.owner}/${r.name}`,
          private: false,
          owner: userJson(context.apiUrl, hub.user(r.owner)),
          html_url: `https://github.com/${r.owner}/${r.name}`,
          url: `${context.apiUrl}/repos/${r.owner}/${r.name}`,
          default_branch: r.git.defaultBranch,
        })),
      },
    };
  });
};
