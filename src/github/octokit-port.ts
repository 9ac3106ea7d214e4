import type { GitHubPort, RepoRef } from "./port.js";
import type { Octokit, Sender } from "./octokit/types.js";
import { send, type SendOptions } from "./octokit/send.js";
import { filesAdapter } from "./octokit/files.js";
import { pullsAdapter } from "./octokit/pulls.js";
import { checksAdapter } from "./octokit/checks.js";
import { accessAdapter } from "./octokit/access.js";
import { gitAdapter } from "./octokit/git.js";
import { issuesAdapter } from "./octokit/issues.js";
import { releasesAdapter } from "./octokit/releases.js";
import { branchesAdapter } from "./octokit/branches.js";
import { deploymentsAdapter } from "./octokit/deployments.js";
import { issueReadAdapter } from "./octokit/issue-read.js";
import { releaseAssetsAdapter } from "./octokit/release-assets.js";
import { rulesAdapter } from "./octokit/rules.js";
import { mergeQueueAdapter } from "./octokit/merge-queue.js";

export type { Octokit } from "./octokit/types.js";

const READS = new Set(["GET", "HEAD"]);

/** The GitHub port over an authenticated Octokit, scoped to one repository. */
export function createGitHubPort(
  octokit: Octokit,
  repo: RepoRef,
  options: SendOptions = {},
): GitHubPort {
  let requests = 0;
  let writes = 0;
  octokit.hook.before("request", (request: { method?: string }) => {
    requests++;
    if (!READS.has((request.method ?? "GET").toUpperCase())) writes++;
  });
  const sender: Sender = (route, call) => send(route, call, options);
  return {
    repo,
    requestCount: () => requests,
    writeCount: () => writes,
    ...filesAdapter(octokit, repo, sender),
    ...pullsAdapter(octokit, repo, sender),
    ...checksAdapter(octokit, repo, sender),
    ...accessAdapter(octokit, repo, sender),
    ...gitAdapter(octokit, repo, sender),
    ...issuesAdapter(octokit, repo, sender),
    ...releasesAdapter(octokit, repo, sender),
    ...branchesAdapter(octokit, repo, sender),
    ...deploymentsAdapter(octokit, repo, sender),
    ...issueReadAdapter(octokit, repo, sender),
    ...releaseAssetsAdapter(octokit, repo, sender),
    ...rulesAdapter(octokit, repo, sender),
    ...mergeQueueAdapter(octokit, repo, sender),
  };
}
