import type { Branches } from "../port/branches.js";
import type { RepoRef } from "../port.js";
import type { Octokit, Sender } from "./types.js";

export function branchesAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Branches {
  return {
    async listBranches() {
      const branches = await send("GET /repos/{owner}/{repo}/branches", () =>
        octokit.paginate(octokit.rest.repos.listBranches, { ...repo, per_page: 100 }),
      );
      return branches.map((b) => b.name);
    },
  };
}
