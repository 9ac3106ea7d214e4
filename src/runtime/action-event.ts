/**
 * Which app event a GitHub Actions trigger stands for. Most triggers carry the webhook payload
 * of the event of the same name; two need translating:
 * - `pull_request_target` is `pull_request` run with the base repository's token (the only way
 *   a fork's PR gets a token that may write the check run);
 * - `workflow_run` (completed) stands in for `check_suite` (completed): GitHub starts no
 *   workflow for a check suite that GitHub Actions created, so a CI workflow finishing is seen
 *   only through `workflow_run`.
 */
export interface AppEvent {
  name: string;
  payload: Record<string, unknown>;
}

interface WorkflowRunPayload {
  action?: string;
  workflow_run?: { head_sha?: string; pull_requests?: unknown[]; conclusion?: string | null };
}

export function toAppEvent(trigger: string, payload: Record<string, unknown>): AppEvent {
  if (trigger === "pull_request_target") return { name: "pull_request", payload };
  if (trigger === "workflow_run") {
    const { action, workflow_run: run } = payload as WorkflowRunPayload;
    if (action !== "completed" || !run?.head_sha) return { name: trigger, payload };
    return {
      name: "check_suite",
      payload: {
        ...payload,
        action: "completed",
        check_suite: {
          head_sha: run.head_sha,
          pull_requests: run.pull_requests ?? [],
          conclusion: run.conclusion ?? null,
          // Not this app's suite: with GITHUB_TOKEN, CI and hotfix-bot both write as GitHub Actions.
          app: null,
        },
      },
    };
  }
  return { name: trigger, payload };
}
