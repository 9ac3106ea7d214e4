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
        return { text, size: data.size, source: `${where.owner}/${where.repo}:${path}${at}` };
      } catch (error) {
        if (isGitHubError(error, 404)) return null;
        throw error;
      }
    },
  };
}
