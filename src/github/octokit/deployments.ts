import type {
  Deployment,
  DeploymentState,
  DeploymentStatus,
  Deployments,
} from "../port/deployments.js";
import type { RepoRef } from "../port.js";
import { GitHubError } from "../errors.js";
import type { Octokit, Sender } from "./types.js";

interface RawDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
  creator?: { login: string } | null;
}

interface RawDeploymentStatus {
  id: number;
  state: string;
  description?: string | null;
  log_url?: string | null;
  target_url?: string | null;
  environment_url?: string | null;
  created_at: string;
}

export const toDeployment = (d: RawDeployment): Deployment => ({
  id: d.id,
  ref: d.ref,
  sha: d.sha,
  environment: d.environment,
  payload: d.payload,
  createdAt: d.created_at,
  creator: d.creator?.login ?? null,
});

export const toDeploymentStatus = (s: RawDeploymentStatus): DeploymentStatus => ({
  id: s.id,
  state: s.state as DeploymentState,
  description: s.description ?? "",
  // An empty string is what GitHub stores when the deployer gave no URL.
  url: s.log_url || s.target_url || s.environment_url || null,
  createdAt: s.created_at,
});

export function deploymentsAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Deployments {
  return {
    async listDeployments({ ref, sha, environment, limit = 100 }) {
      const { data } = await send("GET /repos/{owner}/{repo}/deployments", () =>
        octokit.rest.repos.listDeployments({
          ...repo,
          ...(ref === undefined ? {} : { ref }),
          ...(sha === undefined ? {} : { sha }),
          ...(environment === undefined ? {} : { environment }),
          per_page: Math.min(100, Math.max(1, limit)),
        }),
      );
      return data.map((d) => toDeployment(d as RawDeployment));
    },
    async listDeploymentStatuses(deploymentId) {
      const { data } = await send(
        "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
        () =>
          octokit.rest.repos.listDeploymentStatuses({
            ...repo,
            deployment_id: deploymentId,
            per_page: 100,
          }),
      );
      return data.map((s) => toDeploymentStatus(s as RawDeploymentStatus));
    },
    async createDeployment(request) {
      try {
        const response = await send("POST /repos/{owner}/{repo}/deployments", () =>
          octokit.rest.repos.createDeployment({
            ...repo,
            ref: request.ref,
            environment: request.environment,
            task: "deploy",
            // GitHub's default (true) merges the default branch into the ref first.
            auto_merge: false,
            required_contexts: [...request.requiredContexts],
            payload: request.payload,
            description: request.description,
            production_environment: request.productionEnvironment,
            // 409 (required contexts not green) is an answer: not worth 3 retries over 14 s.
            request: { retries: 0 },
          }),
        );
        if (!("id" in response.data)) {
          // 202: GitHub merged something, which auto_merge: false rules out; say so, don't guess.
          return { created: false, status: response.status, message: response.data.message ?? "" };
        }
        return { created: true, deployment: toDeployment(response.data as RawDeployment) };
      } catch (error) {
        if (error instanceof GitHubError && (error.status === 409 || error.status === 422)) {
          return { created: false, status: error.status, message: error.message };
        }
        throw error;
      }
    },
  };
}
