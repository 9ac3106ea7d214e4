/**
 * Deployments and their statuses. Creating one checks `required_contexts` as GitHub does (by
 * default every context on the commit must be green; 409 with the failing contexts otherwise)
 * and sends `deployment.created`; a status sends `deployment_status.created`, and a success
 * marks earlier successful deployments to the same (non-production) environment inactive.
 */
import { HttpError, notFound, type RouteModule } from "../router.js";
import type { DeploymentStatus } from "../model.js";
import {
  bodyOf,
  callerOf,
  numberParam,
  optionalString,
  paged,
  REPO,
  repoOf,
  requiredString,
  stringList,
} from "./common.js";

const STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

export const deploymentsRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  router.get(`${REPO}/deployments`, (context) => {
    const repo = repoOf(world, context);
    const q = (name: string) => context.query.get(name);
    const list = repo.deployments
      .filter((d) => !q("sha") || d.sha === q("sha"))
      .filter((d) => !q("ref") || d.ref === q("ref"))
      .filter((d) => !q("task") || d.task === q("task"))
      .filter((d) => !q("environment") || d.environment === q("environment"))
      .map((d) => hub.deploymentJson(context.apiUrl, repo, d));
    return paged(context, list);
  });

  router.post(`${REPO}/deployments`, async (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const description = optionalString(body, "description");
    const environment = optionalString(body, "environment");
    const deployment = await hub.createDeployment(
      repo,
      {
        ref: requiredString(body, "ref"),
        task: optionalString(body, "task") ?? "deploy",
        autoMerge: body.auto_merge !== false,
        ...(body.required_contexts === undefined
          ? {}
          : { requiredContexts: stringList(body.required_contexts, "required_contexts") }),
        payload: body.payload ?? {},
        ...(environment === undefined ? {} : { environment }),
        description: description ?? null,
        ...(typeof body.production_environment === "boolean"
          ? { productionEnvironment: body.production_environment }
          : {}),
        ...(typeof body.transient_environment === "boolean"
          ? { transientEnvironment: body.transient_environment }
          : {}),
      },
      callerOf(world, context),
    );
    return { status: 201, body: hub.deploymentJson(context.apiUrl, repo, deployment) };
  });

  router.get(`${REPO}/deployments/{deployment_id}`, (context) => {
    const repo = repoOf(world, context);
    const deployment = repo.deployments.find((d) => d.id === numberParam(context, "deployment_id"));
    if (!deployment) throw notFound();
    return { status: 200, body: hub.deploymentJson(context.apiUrl, repo, deployment) };
  });

  router.get(`${REPO}/deployments/{deployment_id}/statuses`, (context) => {
    const repo = repoOf(world, context);
    const deployment = repo.deployments.find((d) => d.id === numberParam(context, "deployment_id"));
    if (!deployment) throw notFound();
    const statuses = [...deployment.statuses]
      .reverse()
      .map((s) => hub.deploymentStatusJson(context.apiUrl, repo, deployment, s));
    return paged(context, statuses);
  });

  router.post(`${REPO}/deployments/{deployment_id}/statuses`, (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const state = requiredString(body, "state");
    if (!STATES.includes(state)) {
      throw new HttpError(
        422,
        `Invalid request.\n\n${state} is not a member of ${JSON.stringify(STATES)}.`,
      );
    }
    const id = numberParam(context, "deployment_id");
    const pick = (field: string) => optionalString(body, field);
    const status = hub.createDeploymentStatus(
      repo,
      id,
      {
        state: state as DeploymentStatus["state"],
        ...(pick("description") === undefined
          ? {}
          : { description: pick("description") as string }),
        ...(pick("log_url") === undefined ? {} : { logUrl: pick("log_url") as string }),
        ...(pick("target_url") === undefined ? {} : { targetUrl: pick("target_url") as string }),
        ...(pick("environment_url") === undefined
          ? {}
          : { environmentUrl: pick("environment_url") as string }),
        ...(pick("environment") === undefined
          ? {}
          : { environment: pick("environment") as string }),
        autoInactive: body.auto_inactive !== false,
      },
      callerOf(world, context),
    );
    const deployment = repo.deployments.find((d) => d.id === id);
    if (!deployment) throw notFound();
    return {
      status: 201,
      body: hub.deploymentStatusJson(context.apiUrl, repo, deployment, status),
    };
  });
};
