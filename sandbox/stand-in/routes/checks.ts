/**
 * Check runs (list for a ref — by default the latest run of each name and app —, create,
 * update, get) and commit statuses (create, and the combined status of a ref: the latest
 * status of each context, `failure` if any failed, `pending` if any is pending or there are
 * none). Runs created through REST belong to the calling App.
 */
import { HttpError, notFound, type RouteContext, type RouteModule } from "../router.js";
import type { CheckRun, CommitStatus, RepoState } from "../model.js";
import { statusJson } from "../json.js";
import {
  bodyOf,
  callerOf,
  numberParam,
  optionalString,
  paged,
  REPO,
  repoOf,
  requiredString,
} from "./common.js";

const STATUSES = ["queued", "in_progress", "completed"];
const CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "stale",
  "timed_out",
];

function outputOf(body: Record<string, unknown>) {
  const output = body.output as Record<string, unknown> | undefined;
  if (output === undefined) return undefined;
  if (typeof output !== "object" || output === null) {
    throw new HttpError(422, `Invalid request.\n\n"output" is not an object.`);
  }
  if (typeof output.title !== "string" || typeof output.summary !== "string") {
    throw new HttpError(422, `Invalid request.\n\n"title" and "summary" are required in "output".`);
  }
  const annotations = output.annotations;
  if (Array.isArray(annotations) && annotations.length > 50) {
    throw new HttpError(422, "Invalid request.\n\nOnly 50 annotations are allowed per request.");
  }
  return {
    title: output.title,
    summary: output.summary,
    text: typeof output.text === "string" ? output.text : null,
    annotations: Array.isArray(annotations) ? annotations : [],
  };
}

function statusAndConclusion(body: Record<string, unknown>) {
  const status = optionalString(body, "status");
  if (status !== undefined && !STATUSES.includes(status)) {
    throw new HttpError(
      422,
      `Invalid request.\n\n${status} is not a member of ${JSON.stringify(STATUSES)}.`,
    );
  }
  const conclusion = optionalString(body, "conclusion");
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion)) {
    throw new HttpError(
      422,
      `Invalid request.\n\n${conclusion} is not a member of ${JSON.stringify(CONCLUSIONS)}.`,
    );
  }
  if (status === "completed" && conclusion === undefined) {
    throw new HttpError(
      422,
      "Invalid request.\n\nWhen status is completed, a conclusion is required.",
    );
  }
  return {
    ...(status === undefined ? {} : { status: status as CheckRun["status"] }),
    ...(conclusion === undefined ? {} : { conclusion }),
  };
}

async function shaOf(world: Parameters<RouteModule>[1], repo: RepoState, context: RouteContext) {
  const ref = context.params.ref ?? "";
  const sha = await world.hub.resolve(repo, ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

/** The latest status of each context on a commit, newest first. */
function latestStatuses(repo: RepoState, sha: string): CommitStatus[] {
  const latest = new Map<string, CommitStatus>();
  for (const s of repo.statuses) if (s.sha === sha) latest.set(s.context, s);
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

export const checksRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  router.get(`${REPO}/commits/{ref+}/check-runs`, async (context) => {
    const repo = repoOf(world, context);
    const sha = await shaOf(world, repo, context);
    const name = context.query.get("check_name");
    const status = context.query.get("status");
    const appId = context.query.get("app_id");
    let runs = repo.checkRuns.filter((r) => r.headSha === sha);
    if ((context.query.get("filter") ?? "latest") === "latest") {
      const latest = new Map<string, CheckRun>();
      for (const run of runs) latest.set(`${run.app.id} ${run.name}`, run);
      runs = [...latest.values()];
    }
    runs = runs
      .filter((r) => (name ? r.name === name : true))
      .filter((r) => (status ? r.status === status : true))
      .filter((r) => (appId ? String(r.app.id) === appId : true))
      .sort((a, b) => b.id - a.id);
    const page = paged(
      context,
      runs.map((r) => hub.checkRunJson(context.apiUrl, repo, r)),
    );
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  });

  router.post(`${REPO}/check-runs`, async (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const output = outputOf(body);
    const run = await hub.createCheckRun(
      repo,
      {
        headSha: requiredString(body, "head_sha"),
        name: requiredString(body, "name"),
        ...statusAndConclusion(body),
        detailsUrl: optionalString(body, "details_url") ?? null,
        externalId: optionalString(body, "external_id") ?? "",
        ...(output ? { output } : {}),
        app: hub.checkApp(),
      },
      callerOf(world, context),
    );
    return { status: 201, body: hub.checkRunJson(context.apiUrl, repo, run) };
  });

  router.get(`${REPO}/check-runs/{check_run_id}`, (context) => {
    const repo = repoOf(world, context);
    const run = repo.checkRuns.find((r) => r.id === numberParam(context, "check_run_id"));
    if (!run) throw notFound();
    return { status: 200, body: hub.checkRunJson(context.apiUrl, repo, run) };
  });

  router.patch(`${REPO}/check-runs/{check_run_id}`, (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const output = outputOf(body);
    const name = optionalString(body, "name");
    const run = hub.updateCheckRun(
      repo,
      numberParam(context, "check_run_id"),
      {
        ...(name === undefined ? {} : { name }),
        ...statusAndConclusion(body),
        ...(output ? { output } : {}),
        app: hub.checkApp(),
      },
      callerOf(world, context),
    );
    return { status: 200, body: hub.checkRunJson(context.apiUrl, repo, run) };
  });

  router.get(`${REPO}/commits/{ref+}/status`, async (context) => {
    const repo = repoOf(world, context);
    const sha = await shaOf(world, repo, context);
    const latest = latestStatuses(repo, sha);
    const state = latest.some((s) => s.state === "failure" || s.state === "error")
      ? "failure"
      : latest.length === 0 || latest.some((s) => s.state === "pending")
        ? "pending"
        : "success";
    const page = paged(
      context,
      latest.map((s) => statusJson(context.apiUrl, repo, s, hub.user)),
    );
    return {
      ...page,
      body: {
        state,
        statuses: page.body,
        sha,
        total_count: latest.length,
        repository: { id: repo.id, full_name: `${repo.owner}/${repo.name}` },
        commit_url: `${context.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}`,
        url: `${context.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}/status`,
      },
    };
  });

  router.post(`${REPO}/statuses/{sha}`, async (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const state = requiredString(body, "state");
    if (!["error", "failure", "pending", "success"].includes(state)) {
      throw new HttpError(422, `Invalid request.\n\n${state} is not a valid state.`);
    }
    const status = await hub.createStatus(
      repo,
      context.params.sha ?? "",
      {
        state: state as CommitStatus["state"],
        context: optionalString(body, "context") ?? "default",
        description: optionalString(body, "description") ?? null,
        targetUrl: optionalString(body, "target_url") ?? null,
      },
      callerOf(world, context),
    );
    return { status: 201, body: statusJson(context.apiUrl, repo, status, hub.user) };
  });
};
