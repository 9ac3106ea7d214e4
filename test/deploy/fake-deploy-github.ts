/**
 * A small stateful GitHub behind nock for the deploy tests. It keeps deployments and their
 * statuses, the PR's comments, tags, check runs, commit statuses and issues in memory and
 * answers in GitHub's shapes — deployments and statuses are built from the real `deployment`
 * and `deployment_status` webhook examples, which share the REST shape — so a test can deliver
 * events in any order, repeat them, restart the app and look at the end state. Every request
 * still goes through the harness's OpenAPI check (githubApi()).
 *
 * `deployerReports` plays the external deployer: it stores a status as the deployer's API call
 * would and returns the `deployment_status` delivery GitHub would then send.
 */
import { createHash } from "node:crypto";
import type nock from "nock";
import { githubApi, loadWebhookExample } from "../helpers/github-nock.js";
import { renderTracking } from "../../src/tracking/render.js";
import type { TrackingState } from "../../src/tracking/state.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const PR = 2;
export const TAG = "v1.4.3";
export const VERSION = "1.4.3";
export const MERGE_SHA = createHash("sha1").update("merge 2").digest("hex");
const BASE = `/repos/${OWNER}/${REPO}`;
const WEB = `https://github.com/${OWNER}/${REPO}`;

type Json = Record<string, unknown>;

export interface DeployFake {
  policy: string;
  permissions: Record<string, string>;
  /** Tag name → commit sha. */
  tags: Record<string, string>;
  deployments: Json[];
  /** Deployment id → statuses, oldest first. */
  statuses: Map<number, Json[]>;
  comments: Array<{ id: number; body: string; user: { login: string; type: string } }>;
  reactions: Array<{ comment: number; content: string }>;
  checkRuns: Record<string, Json[]>;
  commitStatuses: Record<string, Json[]>;
  issues: Json[];
  pull: Json;
  /** When set, POST /deployments answers this (e.g. 409 for red required contexts). */
  refuseDeployments?: { status: number; message: string };
  /** Routes the test does not expect: any request to them fails the test. */
  unexpected: string[];
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
let ids = 9000;

const deploymentTemplate = () =>
  loadWebhookExample("deployment.created", (p) => p.installation !== undefined)
    .deployment as unknown as Json;
const statusTemplate = () =>
  loadWebhookExample("deployment_status.created", (p) => p.installation !== undefined)
    .deployment_status as unknown as Json;

/** The PR as released by /release-hotfix: merged into release/1.4, tracking comment written. */
export function releasedFake(policy: string, overrides: Partial<DeployFake> = {}): DeployFake {
  const pull = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined)
    .pull_request as unknown as Json & { head: Json; base: Json };
  Object.assign(pull, {
    state: "closed",
    merged: true,
    merged_at: "2026-11-26T12:00:00Z",
    merge_commit_sha: MERGE_SHA,
    title: "Fix login crash",
    labels: [{ name: "hotfix" }],
  });
  pull.head.ref = "hotfix/login";
  pull.base.ref = "release/1.4";
  const tracking: TrackingState = {
    stages: {
      gate: { state: "done", text: "all requirements met", at: "2026-11-26T12:00:00Z" },
      merge: { state: "done", text: "merged", at: "2026-11-26T12:00:00Z" },
      tag: { state: "done", text: `\`${TAG}\``, at: "2026-11-26T12:00:00Z" },
      release: { state: "done", text: "release", at: "2026-11-26T12:00:00Z" },
    },
    facts: {
      releasedBy: "maintainer",
      tag: TAG,
      version: VERSION,
      mergeSha: MERGE_SHA,
      base: "release/1.4",
      releaseUrl: `${WEB}/releases/tag/${TAG}`,
    },
  };
  return {
    policy,
    permissions: { maintainer: "maintain", dev: "write" },
    tags: {
      "v1.4.1": sha1("1.4.1"),
      "v1.4.2": sha1("1.4.2"),
      [TAG]: MERGE_SHA,
      "v2.0.0": sha1("2.0.0"),
    },
    deployments: [],
    statuses: new Map(),
    comments: [
      {
        id: ids++,
        body: renderTracking(tracking),
        user: { login: "hotfix-bot[bot]", type: "Bot" },
      },
    ],
    reactions: [],
    checkRuns: {},
    commitStatuses: {},
    issues: [],
    pull,
    unexpected: [],
    ...overrides,
  };
}

/** The deployer's report on a deployment, stored, and the delivery GitHub sends for it. */
export function deployerReports(
  state: DeployFake,
  deploymentId: number,
  deploymentState: string,
  at: Date,
  description = "",
) {
  const deployment = state.deployments.find((d) => d.id === deploymentId);
  if (!deployment) throw new Error(`no deployment ${deploymentId}`);
  const status = {
    ...statusTemplate(),
    id: ids++,
    state: deploymentState,
    description,
    environment: deployment.environment,
    target_url: "",
    log_url: `https://ci.example/deploy/${deploymentId}`,
    created_at: iso(at),
    updated_at: iso(at),
    deployment_url: `https://api.github.com${BASE}/deployments/${deploymentId}`,
  };
  state.statuses.set(deploymentId, [...(state.statuses.get(deploymentId) ?? []), status]);
  const payload = loadWebhookExample(
    "deployment_status.created",
    (p) => p.installation !== undefined,
  );
  (payload as unknown as Json).deployment = structuredClone(deployment);
  (payload as unknown as Json).deployment_status = structuredClone(status);
  return { id: `ds-${status.id}`, name: "deployment_status" as const, payload };
}

/** A deployment someone else made before (e.g. an earlier release's), with our payload shape. */
export function seedDeployment(
  state: DeployFake,
  input: { ref: string; environment: string; payload: unknown; at: Date; sha?: string },
): Json {
  const deployment = {
    ...deploymentTemplate(),
    id: ids++,
    ref: input.ref,
    sha: input.sha ?? state.tags[input.ref] ?? sha1(input.ref),
    environment: input.environment,
    original_environment: input.environment,
    payload: input.payload,
    created_at: iso(input.at),
    updated_at: iso(input.at),
  };
  state.deployments.push(deployment);
  return deployment;
}

export const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
export const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

function json(body: string | undefined): Json {
  return body ? (JSON.parse(body) as Json) : {};
}

export function fakeDeployGitHub(state: DeployFake): nock.Scope {
  const api = githubApi();
  const route = (method: string, path: string, body: Json): [number, unknown] => {
    const url = new URL(path, "https://api.github.com");
    const p = decodeURIComponent(url.pathname).replace(BASE, "");
    const q = url.searchParams;
    let m: RegExpMatchArray | null;
    const key = `${method} ${p}`;
    if (state.unexpected.some((u) => key.startsWith(u))) {
      throw new Error(`the test expects no ${key}`);
    }
    // The app's own routes: installation tokens, and what the sweep enumerates.
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(p)) {
      return [
        201,
        {
          token: "ghs_test_installation_token",
          expires_at: iso(new Date(Date.now() + 3_600_000)),
          permissions: {},
          repository_selection: "all",
        },
      ];
    }
    if (method === "GET" && p === "/app/installations") {
      return [
        200,
        [{ id: 1, account: { login: OWNER, type: "User" }, app_id: 123, target_type: "User" }],
      ];
    }
    if (method === "GET" && p === "/installation/repositories") {
      return [
        200,
        {
          total_count: 1,
          repository_selection: "all",
          repositories: [
            {
              id: 1,
              name: REPO,
              full_name: `${OWNER}/${REPO}`,
              owner: { login: OWNER },
              html_url: WEB,
            },
          ],
        },
      ];
    }
    if (method === "GET" && p.startsWith("/contents/.github/hotfix.yml")) {
      return [
        200,
        {
          type: "file",
          size: state.policy.length,
          encoding: "base64",
          content: Buffer.from(state.policy).toString("base64"),
        },
      ];
    }
    if (method === "GET" && (m = p.match(/^\/collaborators\/([^/]+)\/permission$/))) {
      const permission = state.permissions[m[1] as string] ?? "read";
      return [
        200,
        {
          permission: permission === "maintain" ? "write" : permission,
          role_name: permission,
          user: { login: m[1] },
        },
      ];
    }
    if (method === "GET" && p === `/pulls/${PR}`) return [200, state.pull];
    if (method === "GET" && p === `/issues/${PR}/comments`)
      return [200, state.comments.map(commentJson)];
    if (method === "POST" && p === `/issues/${PR}/comments`) {
      const comment = {
        id: ids++,
        body: String(body.body),
        user: { login: "hotfix-bot[bot]", type: "Bot" },
      };
      state.comments.push(comment);
      return [201, commentJson(comment)];
    }
    if (method === "PATCH" && (m = p.match(/^\/issues\/comments\/(\d+)$/))) {
      const comment = state.comments.find((c) => c.id === Number(m?.[1]));
      if (!comment) return [404, { message: "Not Found" }];
      comment.body = String(body.body);
      return [200, commentJson(comment)];
    }
    if (method === "POST" && (m = p.match(/^\/issues\/comments\/(\d+)\/reactions$/))) {
      state.reactions.push({ comment: Number(m[1]), content: String(body.content) });
      return [201, { id: ids++, content: body.content }];
    }
    if (method === "GET" && p === "/deployments") {
      // GitHub lists newest first and filters on each parameter given.
      const found = state.deployments
        .filter(
          (d) =>
            (!q.has("ref") || d.ref === q.get("ref")) &&
            (!q.has("sha") || d.sha === q.get("sha")) &&
            (!q.has("environment") || d.environment === q.get("environment")),
        )
        .slice()
        .reverse()
        .slice(0, Number(q.get("per_page") ?? 30));
      return [200, found];
    }
    if (method === "POST" && p === "/deployments") {
      if (state.refuseDeployments)
        return [state.refuseDeployments.status, { message: state.refuseDeployments.message }];
      const ref = String(body.ref);
      const commit = state.tags[ref];
      if (!commit) return [422, { message: `No ref found for: ${ref}` }];
      const deployment = {
        ...deploymentTemplate(),
        id: ids++,
        ref,
        sha: commit,
        task: body.task ?? "deploy",
        environment: body.environment,
        original_environment: body.environment,
        payload: body.payload,
        description: body.description,
        production_environment: body.production_environment,
        transient_environment: false,
        created_at: iso(new Date()),
        updated_at: iso(new Date()),
        creator: { login: "hotfix-bot[bot]", type: "Bot" },
      };
      state.deployments.push(deployment);
      return [201, deployment];
    }
    if (method === "GET" && (m = p.match(/^\/deployments\/(\d+)\/statuses$/))) {
      return [200, [...(state.statuses.get(Number(m[1])) ?? [])].reverse()];
    }
    if (method === "GET" && (m = p.match(/^\/git\/matching-refs\/tags\/?(.*)$/))) {
      const prefix = m[1] ?? "";
      return [
        200,
        Object.entries(state.tags)
          .filter(([n]) => n.startsWith(prefix))
          .map(([n, s]) => ({ ref: `refs/tags/${n}`, object: { sha: s, type: "commit" } })),
      ];
    }
    if (method === "GET" && (m = p.match(/^\/commits\/([0-9a-f]+)\/check-runs$/))) {
      const runs = state.checkRuns[m[1] as string] ?? [];
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (method === "GET" && (m = p.match(/^\/commits\/([0-9a-f]+)\/status$/))) {
      const list = state.commitStatuses[m[1] as string] ?? [];
      return [200, { state: "success", sha: m[1], total_count: list.length, statuses: list }];
    }
    if (method === "GET" && (m = p.match(/^\/commits\/([0-9a-f]+)\/pulls$/))) return [200, []];
    if (method === "GET" && p === "/issues") {
      const label = q.get("labels") ?? "";
      const since = Date.parse(q.get("since") ?? "1970-01-01T00:00:00Z");
      return [
        200,
        state.issues.filter(
          (i) =>
            (i.labels as Array<{ name: string }>).some((l) => l.name === label) &&
            Date.parse(String(i.updated_at)) >= since,
        ),
      ];
    }
    return [501, { message: `fake GitHub does not implement ${method} ${path}` }];
  };
  api.persist();
  for (const method of ["GET", "POST", "PATCH", "DELETE"] as const) {
    api
      .intercept(/.*/, method)
      .optionally()
      .reply(async (request: unknown) => {
        const req = request as Request;
        const url = new URL(req.url);
        const [status, reply] = route(method, url.pathname + url.search, json(await req.text()));
        if (status === 501) throw new Error(String((reply as { message: string }).message));
        return [status, reply as nock.Body];
      });
  }
  return api;
}

function commentJson(c: DeployFake["comments"][number]) {
  return {
    id: c.id,
    body: c.body,
    user: c.user,
    html_url: `${WEB}/pull/${PR}#issuecomment-${c.id}`,
    created_at: "2026-11-26T12:00:00Z",
  };
}

/** A check run as GitHub lists it, by another app. */
export function checkRunJson(
  name: string,
  conclusion: string,
  startedAt: Date,
  headSha = MERGE_SHA,
): Json {
  const id = ids++;
  return {
    id,
    name,
    head_sha: headSha,
    status: "completed",
    conclusion,
    html_url: `${WEB}/runs/${id}`,
    details_url: `https://ci.example/${id}`,
    started_at: iso(startedAt),
    completed_at: iso(new Date(startedAt.getTime() + 60_000)),
    app: { id: 29310, slug: "ci" },
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    pull_requests: [],
  };
}

/** An issue as GitHub lists it (from the real `issues` example). */
export function issueJson(number: number, labels: string[], createdAt: Date): Json {
  const issue = loadWebhookExample("issues.opened").issue as unknown as Json;
  return {
    ...issue,
    number,
    title: "Login broken again after the hotfix",
    html_url: `${WEB}/issues/${number}`,
    labels: labels.map((name, i) => ({ id: i + 1, name, color: "d73a4a", default: false })),
    created_at: iso(createdAt),
    updated_at: iso(createdAt),
  };
}
