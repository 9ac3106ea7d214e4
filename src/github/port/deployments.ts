/**
 * GitHub Deployments: hotfix-bot creates deployments, an external deployer (a workflow on the
 * `deployment` event, Argo, Spinnaker…) performs them and reports statuses back. Names are
 * ours; the adapter maps them to REST.
 */

export type DeploymentState =
  "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";

export interface Deployment {
  id: number;
  /** The ref as it was requested (our deployments name a tag, e.g. `v1.4.3`). */
  ref: string;
  sha: string;
  environment: string;
  /** The deployment's payload as GitHub stores it (an object, or a string for old clients). */
  payload: unknown;
  createdAt: string;
  creator: string | null;
}

export interface DeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string;
  /** The deployer's link: log, target or environment URL, whichever it gave. */
  url: string | null;
  createdAt: string;
}

export interface DeploymentRequest {
  ref: string;
  environment: string;
  payload: Record<string, unknown>;
  description: string;
  /** Contexts GitHub must see succeeded on the ref; always sent (GitHub's default is "all"). */
  requiredContexts: readonly string[];
  productionEnvironment: boolean;
}

export type DeploymentCreation =
  | { created: true; deployment: Deployment }
  /**
   * GitHub refused: 409 when a required context is not green (or the ref would need a merge),
   * 422 when the ref or environment is invalid. An answer, not an exception.
   */
  | { created: false; status: number; message: string };

export interface Deployments {
  /** Deployments matching every filter given, newest first (at most `limit`, default 100). */
  listDeployments(filter: {
    ref?: string;
    sha?: string;
    environment?: string;
    limit?: number;
  }): Promise<Deployment[]>;
  /** A deployment's statuses, newest first (the latest 100). */
  listDeploymentStatuses(deploymentId: number): Promise<DeploymentStatus[]>;
  /**
   * A deployment that never merges anything into the ref (`auto_merge: false`) and requires
   * exactly `requiredContexts`.
   */
  createDeployment(request: DeploymentRequest): Promise<DeploymentCreation>;
}
