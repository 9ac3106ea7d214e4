import type { GitHubPort } from "../github/port.js";
import type { DeployPolicy, Policy } from "../policy/schema.js";
import type { Tracking } from "../tracking/tracking-comment.js";

/** Everything a deploy step needs; built per delivery (or per repository in a sweep). */
export interface DeployContext {
  github: GitHubPort;
  policy: Policy;
  deploy: DeployPolicy;
  /** The hotfix PR's tracking comment. */
  tracking: Tracking;
  /** `https://github.com/owner/repo`: links in the tracking comment. */
  repoUrl: string;
  /** This app's id: its own check runs are never monitoring signals. */
  ownAppId: number | null;
  now: Date;
}

/** The released hotfix a deployment belongs to. */
export interface HotfixRef {
  pr: number;
  tag: string;
  version: string;
  /** Who released it: mentioned when something needs a person. */
  releasedBy: string;
}

export const deploymentsPage = (repoUrl: string) => `${repoUrl}/deployments`;
