import type { IssueRead } from "../port/issue-read.js";
import type { RepoRef } from "../port.js";
import { isGitHubError } from "../errors.js";
import type { Octokit, Sender } from "./types.js";

export function issueReadAdapter(octokit: Octokit, repo: RepoRef, send: Sender): IssueRead {
  return {
    async getIssue(number) {
      try {
        const { data } = await send("GET /repos/{owner}/{repo}/issues/{issue_number}", () =>
          octokit.rest.issues.get({ ...repo, issue_number: number }),
        );
        return {
          number: data.number,
          title: data.title,
          body: data.body ?? "",
          createdAt: data.created_at,
          url: data.html_url,
          state: data.state === "closed" ? "closed" : "open",
          isPull: Boolean(data.pull_request),
        };
      } catch (error) {
        // 404: no such issue; 410: deleted. Either way there is nothing to start from.
        if (isGitHubError(error, 404) || isGitHubError(error, 410)) return null;
        throw error;
      }
    },
  };
}
