import type { Releases, Tag } from "../port/releases.js";
import type { RepoRef } from "../port.js";
import { GitHubError, isGitHubError } from "../errors.js";
import type { Octokit, Sender } from "./types.js";

/** Annotated tags can point at tags; git allows chains, so peel a few levels. */
const MAX_PEEL = 5;

export function releasesAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Releases {
  async function peel(type: string, sha: string): Promise<string> {
    for (let i = 0; i < MAX_PEEL && type === "tag"; i++) {
      const { data } = await send("GET /repos/{owner}/{repo}/git/tags/{tag_sha}", () =>
        octokit.rest.git.getTag({ ...repo, tag_sha: sha }),
      );
      type = data.object.type;
      sha = data.object.sha;
    }
    return sha;
  }

  async function getTag(name: string): Promise<Tag | null> {
    try {
      const { data } = await send("GET /repos/{owner}/{repo}/git/ref/{ref}", () =>
        octokit.rest.git.getRef({ ...repo, ref: `tags/${name}` }),
      );
      return { name, commitSha: await peel(data.object.type, data.object.sha) };
    } catch (error) {
      if (isGitHubError(error, 404)) return null;
      throw error;
    }
  }

  return {
    getTag,
    async listTagNames(prefix) {
      const refs = await send("GET /repos/{owner}/{repo}/git/matching-refs/{ref}", () =>
        octokit.paginate(octokit.rest.git.listMatchingRefs, {
          ...repo,
          ref: prefix ? `tags/${prefix}` : "tags",
        }),
      );
      return refs
        .map((r) => r.ref)
        .filter((r) => r.startsWith("refs/tags/"))
        .map((r) => r.slice("refs/tags/".length));
    },
    async createAnnotatedTag({ name, message, commitSha }) {
      const { data: object } = await send("POST /repos/{owner}/{repo}/git/tags", () =>
        octokit.rest.git.createTag({
          ...repo,
          tag: name,
          message,
          object: commitSha,
          type: "commit",
        }),
      );
      try {
        await send("POST /repos/{owner}/{repo}/git/refs", () =>
          octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${name}`, sha: object.sha }),
        );
        return { created: true, tag: { name, commitSha } };
      } catch (error) {
        if (!isGitHubError(error, 422)) throw error;
        const existing = await getTag(name);
        if (!existing) throw error;
        return { created: false, existing };
      }
    },
    async isReachable(sha, branch) {
      try {
        const { data } = await send("GET /repos/{owner}/{repo}/compare/{basehead}", () =>
          octokit.rest.repos.compareCommitsWithBasehead({
            ...repo,
            basehead: `${sha}...${branch}`,
            per_page: 1,
          }),
        );
        return data.status === "ahead" || data.status === "identical";
      } catch (error) {
        if (isGitHubError(error, 404)) return false;
        throw error;
      }
    },
    async commitsBetween(base, head) {
      try {
        const { data } = await send("GET /repos/{owner}/{repo}/compare/{basehead}", () =>
          octokit.rest.repos.compareCommitsWithBasehead({
            ...repo,
            basehead: `${base}...${head}`,
          }),
        );
        return { shas: data.commits.map((c) => c.sha), total: data.ahead_by };
      } catch (error) {
        if (isGitHubError(error, 404)) return null;
        throw error;
      }
    },
    async findRelease(tagName) {
      try {
        const { data } = await send("GET /repos/{owner}/{repo}/releases/tags/{tag}", () =>
          octokit.rest.repos.getReleaseByTag({ ...repo, tag: tagName }),
        );
        return {
          id: data.id,
          tagName: data.tag_name,
          url: data.html_url,
          draft: data.draft,
          uploadUrl: data.upload_url,
        };
      } catch (error) {
        if (!isGitHubError(error, 404)) throw error;
      }
      // Drafts have no tag yet, so the lookup by tag misses them; they are among the newest.
      const { data } = await send("GET /repos/{owner}/{repo}/releases", () =>
        octokit.rest.repos.listReleases({ ...repo, per_page: 100 }),
      );
      const draft = data.find((r) => r.tag_name === tagName);
      return draft
        ? {
            id: draft.id,
            tagName: draft.tag_name,
            url: draft.html_url,
            draft: draft.draft,
            uploadUrl: draft.upload_url,
          }
        : null;
    },
    async createRelease(input) {
      try {
        const { data } = await send("POST /repos/{owner}/{repo}/releases", () =>
          octokit.rest.repos.createRelease({
            ...repo,
            tag_name: input.tagName,
            target_commitish: input.targetSha,
            name: input.name,
            body: input.body,
            draft: input.draft,
            make_latest: input.makeLatest ? "true" : "false",
          }),
        );
        return {
          id: data.id,
          tagName: data.tag_name,
          url: data.html_url,
          draft: data.draft,
          uploadUrl: data.upload_url,
        };
      } catch (error) {
        if (
          isGitHubError(error, 422) &&
          /already_exists|already exists/i.test((error as GitHubError).message)
        ) {
          return { alreadyExists: true as const };
        }
        throw error;
      }
    },
    async mergePull(number, { sha, method, title }) {
      try {
        const { data } = await send("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", () =>
          octokit.rest.pulls.merge({
            ...repo,
            pull_number: number,
            sha,
            merge_method: method,
            ...(title ? { commit_title: title } : {}),
            // 405/409 are answers (not mergeable, head moved): not worth 3 retries over 14 s.
            request: { retries: 0 },
          }),
        );
        return { merged: true, sha: data.sha };
      } catch (error) {
        if (error instanceof GitHubError && [403, 405, 409, 422].includes(error.status)) {
          return { merged: false, status: error.status, message: error.message };
        }
        throw error;
      }
    },
  };
}
