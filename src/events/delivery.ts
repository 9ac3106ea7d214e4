/**
 * Every handler runs inside `handleDelivery`: it builds the GitHub port for the event's
 * repository, runs the use-case, and writes one structured log line per delivery — delivery
 * id, event, repository, PR, the decision and the GitHub requests it spent.
 */
import type { Context } from "probot";
import type { GitHubPort } from "../github/port.js";
import { createGitHubPort, type Octokit } from "../github/octokit-port.js";
import { loadPolicy, type PolicyLoad } from "../policy/load.js";

export interface AppConfig {
  /** This app's id: its own check runs are recognised by it. From APP_ID. */
  appId: number | null;
}

export interface Delivery {
  github: GitHubPort;
  config: AppConfig;
  /** The policy, loaded once per delivery on first use. */
  policy(): Promise<PolicyLoad>;
  /** The PR this delivery is about, for the log line. */
  setPull(number: number): void;
}

type AnyContext = Context;

export async function handleDelivery(
  context: AnyContext,
  config: AppConfig,
  run: (delivery: Delivery) => Promise<string>,
): Promise<void> {
  const repo = context.repo();
  const github = createGitHubPort(context.octokit as unknown as Octokit, repo);
  let pull: number | undefined;
  let policy: Promise<PolicyLoad> | undefined;
  const delivery: Delivery = {
    github,
    config,
    policy: () => (policy ??= loadPolicy(github)),
    setPull: (n) => {
      pull = n;
    },
  };
  const action = (context.payload as { action?: string }).action;
  const line = {
    delivery: context.id,
    event: action ? `${context.name}.${action}` : context.name,
    repo: `${repo.owner}/${repo.repo}`,
  };
  try {
    const decision = await run(delivery);
    context.log.info(
      { ...line, pr: pull, decision, requests: github.requestCount() },
      `${line.event}: ${decision}`,
    );
  } catch (error) {
    context.log.error(
      { ...line, pr: pull, decision: "error", requests: github.requestCount(), err: error },
      `${line.event}: failed: ${(error as Error).message}`,
    );
    throw error;
  }
}
