import type { RepoFiles } from "../port/files.js";
import type { RepoRef } from "../port.js";
import { isGitHubError } from "../errors.js";
import type { Octokit, Sender } from "./types.js";

export function filesAdapter(octokit: Octokit, repo: RepoRef, send: Sender): RepoFiles {
  return {
    async readFile(path, options = {}) {
      const where = options.repo ?? repo;
      try {
        const { data } = await send("GET /repos/{owner}/{repo}/contents/{path}", () =>
          octokit.rest.repos.getContent({
            ...where,
            path,
            ...(options.ref ? { ref: options.ref } : {}),
          }),
        );
        if (Array.isArray(data) || data.type !== "file") return null;
        const text =
          "content" in data && data.content
            ? Buffer.from(data.content, "base64").toString("utf8")
            : "";
        const at = options.ref ? `@${options.ref}` : "";
        return {
          text,
          size: data.size,
          sha: data.sha,
          source: `${where.owner}/${where.repo}:${path}${at}`,
        };
      } catch (error) {
        // Missing, or unreadable (a repository the installation cannot see answers 404; one it
        // may not read the contents of, 403): either way there is no file for hotfix-bot. A 403
        // that is a rate limit (it says when to retry) is not an answer about the file.
        if (isGitHubError(error, 404)) return null;
        if (isGitHubError(error, 403) && error.retryAfterSeconds === undefined) return null;
        throw error;
      }
    },
  };
}
