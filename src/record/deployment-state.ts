/**
 * Pure: where a deployment stands, from its statuses as GitHub lists them. `inactive` only says
 * a newer deployment replaced this one in its environment (GitHub sets it automatically), so
 * it never hides what the deployer last reported.
 */
import type { DeploymentStatus } from "../github/port/deployments.js";

export type Progress = "waiting" | "running" | "success" | "failed";

const byTime = (a: DeploymentStatus, b: DeploymentStatus) =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id;

/** The latest status the deployer reported (not `inactive`), or null before its first. */
export function latestReported(statuses: readonly DeploymentStatus[]): DeploymentStatus | null {
  const reported = statuses.filter((s) => s.state !== "inactive").sort(byTime);
  return reported[reported.length - 1] ?? null;
}

export function progressOf(status: DeploymentStatus | null): Progress {
  if (!status) return "waiting";
  switch (status.state) {
    case "success":
      return "success";
    case "failure":
    case "error":
      return "failed";
    case "queued":
    case "pending":
      return "waiting";
    default:
      return "running";
  }
}

/** The first success: when the deployment went live (the monitoring window opens then). */
export function firstSuccess(statuses: readonly DeploymentStatus[]): DeploymentStatus | null {
  return [...statuses].sort(byTime).find((s) => s.state === "success") ?? null;
}

/** When a newer deployment replaced this one after it went live, or null. */
export function replacedAt(statuses: readonly DeploymentStatus[], after: string): string | null {
  const inactive = [...statuses]
    .sort(byTime)
    .find((s) => s.state === "inactive" && Date.parse(s.createdAt) >= Date.parse(after));
  return inactive?.createdAt ?? null;
}
