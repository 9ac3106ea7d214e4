import type { ProbotOctokit } from "probot";

/** The authenticated client Probot hands a webhook handler. Only src/github/octokit/ sees it. */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export type Sender = <T>(route: string, call: () => Promise<T>) => Promise<T>;
