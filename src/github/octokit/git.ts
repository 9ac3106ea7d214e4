import type { CommitInfo, GitData, Person, TreeItem, TreeWrite } from "../port/git.js";
import type { RepoRef } from "../port.js";
import type { Actor } from "../model.js";
import { isGitHubError } from "../errors.js";
import { toActor } from "../map.js";
import type { Octokit, Sender } from "./types.js";

type TreeMode = "100644" | "100755" | "040000" | "160000" | "120000";

interface RestCommit {
  sha: string;
  parents: { sha: string }[];
  commit: {
    message: string;
    tree: { sha: string };
    author?: { name?: string; email?: string; date?: string } | null;
    committer?: { name?: string; email?: string; date?: string } | null;
  };
  /** The GitHub accounts GitHub matched to the git author and committer, by email. */
  author?: { login?: string; type?: string } | null;
  committer?: { login?: string; type?: string } | null;
}

/** GitHub's `author`/`committer` of a commit: a user, `null` or `{}` when it matched none. */
function account(raw: RestCommit["author"]): Actor | null {
  return typeof raw?.login === "string" ? toActor({ login: raw.login, type: raw.type }) : null;
}

interface GitCommit {
  sha: string;
  message: string;
  tree: { sha: string };
  parents: { sha: string }[];
  author?: { name?: string; email?: string; date?: string } | null;
  committer?: { name?: string; email?: string; date?: string } | null;
}

function person(
  raw: { name?: string; email?: string; date?: string } | null | undefined,
): Person | null {
  if (!raw || raw.name === undefined || raw.email === undefined || raw.date === undefined)
    return null;
  return { name: raw.name, email: raw.email, date: raw.date };
}

/** `GET /commits`, `GET /pulls/{n}/commits`, `GET /branches/{b}` shape. */
function fromRestCommit(c: RestCommit): CommitInfo {
  return {
    sha: c.sha,
    treeSha: c.commit.tree.sha,
    parentShas: c.parents.map((p) => p.sha),
    message: c.commit.message,
    author: person(c.commit.author),
    committer: person(c.commit.committer),
    authorUser: account(c.author),
    committerUser: account(c.committer),
  };
}

/** Git database (`/git/commits`) shape. */
function fromGitCommit(c: GitCommit): CommitInfo {
  return {
    sha: c.sha,
    treeSha: c.tree.sha,
    parentShas: c.parents.map((p) => p.sha),
    message: c.message,
    author: person(c.author),
    committer: person(c.committer),
  };
}

async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isGitHubError(error, 404)) return null;
    throw error;
  }
}

const PAGE = 100;

export function gitAdapter(octokit: Octokit, repo: RepoRef, send: Sender): GitData {
  const api = { owner: repo.owner, repo: repo.repo };

  return {
    async getBranchHead(branch) {
      const found = await orNull(() =>
        send("GET /repos/{owner}/{repo}/branches/{branch}", () =>
          octokit.rest.repos.getBranch({ ...api, branch }),
        ),
      );
      if (!found) return null;
      const { commit } = found.data;
      return { name: found.data.name, sha: commit.sha, treeSha: commit.commit.tree.sha };
    },

    async getCommit(sha) {
      const found = await orNull(() =>
        send("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", () =>
          octokit.rest.git.getCommit({ ...api, commit_sha: sha }),
        ),
      );
      return found ? fromGitCommit(found.data) : null;
    },

    async listCommits(ref, count) {
      const commits: CommitInfo[] = [];
      const size = Math.min(PAGE, count); // pages must keep one size for `page` to line up
      for (let page = 1; commits.length < count; page++) {
        const { data } = await send("GET /repos/{owner}/{repo}/commits", () =>
          octokit.rest.repos.listCommits({ ...api, sha: ref, per_page: size, page }),
        );
        commits.push(...data.map((c) => fromRestCommit(c)));
        if (data.length < size) break;
      }
      return commits.slice(0, count);
    },

    async listPullCommits(pullNumber) {
      const commits: CommitInfo[] = [];
      for (let page = 1; ; page++) {
        const { data } = await send("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", () =>
          octokit.rest.pulls.listCommits({ ...api, pull_number: pullNumber, per_page: PAGE, page }),
        );
        commits.push(...data.map((c) => fromRestCommit(c)));
        if (data.length < PAGE) return commits;
      }
    },

    async getTree(sha, options = {}) {
      const found = await orNull(() =>
        send("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", () =>
          octokit.rest.git.getTree({
            ...api,
            tree_sha: sha,
            ...(options.recursive ? { recursive: "1" } : {}),
          }),
        ),
      );
      if (!found) return null;
      const items: TreeItem[] = [];
      for (const entry of found.data.tree) {
        if (entry.path === undefined || entry.sha === undefined || entry.mode === undefined)
          continue;
        const type = entry.type as TreeItem["type"];
        items.push({
          path: entry.path,
          mode: entry.mode,
          type,
          sha: entry.sha,
          ...(entry.size === undefined ? {} : { size: entry.size }),
        });
      }
      return { sha: found.data.sha, items, truncated: found.data.truncated };
    },

    async getBlob(sha) {
      const found = await orNull(() =>
        send("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", () =>
          octokit.rest.git.getBlob({ ...api, file_sha: sha }),
        ),
      );
      if (!found) return null;
      const { content, encoding } = found.data;
      return Buffer.from(content, encoding === "base64" ? "base64" : "utf8");
    },

    async getFileAt(path, ref) {
      const found = await orNull(() =>
        send("GET /repos/{owner}/{repo}/contents/{path}", () =>
          octokit.rest.repos.getContent({ ...api, path, ref }),
        ),
      );
      if (!found || Array.isArray(found.data) || found.data.type !== "file") return null;
      const data = found.data;
      // Files over 1 MB come without content; the blob API still serves them.
      if (!("content" in data) || (data.content === "" && data.size > 0))
        return this.getBlob(data.sha);
      return Buffer.from(data.content, "base64");
    },

    async createBlob(content) {
      const { data } = await send("POST /repos/{owner}/{repo}/git/blobs", () =>
        octokit.rest.git.createBlob({
          ...api,
          content: content.toString("base64"),
          encoding: "base64",
        }),
      );
      return data.sha;
    },

    async createTree({ baseTreeSha, writes }) {
      const tree = writes.map((w: TreeWrite) => ({
        path: w.path,
        mode: w.mode as TreeMode,
        type: w.type,
        ...("content" in w ? { content: w.content } : { sha: w.sha }),
      }));
      const { data } = await send("POST /repos/{owner}/{repo}/git/trees", () =>
        octokit.rest.git.createTree({
          ...api,
          tree,
          ...(baseTreeSha ? { base_tree: baseTreeSha } : {}),
        }),
      );
      return data.sha;
    },

    async createCommit({ message, treeSha, parentShas, author }) {
      const { data } = await send("POST /repos/{owner}/{repo}/git/commits", () =>
        octokit.rest.git.createCommit({
          ...api,
          message,
          tree: treeSha,
          parents: parentShas,
          ...(author ? { author } : {}),
        }),
      );
      return fromGitCommit(data);
    },

    async listBranchesWithPrefix(prefix) {
      const refs = await send("GET /repos/{owner}/{repo}/git/matching-refs/{ref}", () =>
        octokit.paginate(octokit.rest.git.listMatchingRefs, { ...api, ref: `heads/${prefix}` }),
      );
      return refs
        .filter((r) => r.ref.startsWith(`refs/heads/${prefix}`))
        .map((r) => ({ name: r.ref.slice("refs/heads/".length), sha: r.object.sha }));
    },

    async createBranch(branch, sha) {
      try {
        await send("POST /repos/{owner}/{repo}/git/refs", () =>
          octokit.rest.git.createRef({ ...api, ref: `refs/heads/${branch}`, sha }),
        );
        return "created";
      } catch (error) {
        if (isGitHubError(error, 422) && /already exists/i.test(error.message)) return "exists";
        throw error;
      }
    },

    async moveBranch(branch, sha, { force }) {
      try {
        await send("PATCH /repos/{owner}/{repo}/git/refs/{ref}", () =>
          octokit.rest.git.updateRef({ ...api, ref: `heads/${branch}`, sha, force }),
        );
        return { moved: true };
      } catch (error) {
        // 422 is GitHub's answer for "not a fast forward", "does not exist" and a lost race.
        if (isGitHubError(error, 422)) return { moved: false, reason: error.message };
        throw error;
      }
    },

    async deleteBranch(branch) {
      try {
        await send("DELETE /repos/{owner}/{repo}/git/refs/{ref}", () =>
          octokit.rest.git.deleteRef({ ...api, ref: `heads/${branch}` }),
        );
        return "deleted";
      } catch (error) {
        if (
          isGitHubError(error, 404) ||
          (isGitHubError(error, 422) && /does not exist/i.test(error.message))
        ) {
          return "missing";
        }
        throw error;
      }
    },

    async merge({ base, head, message }) {
      try {
        const response = await send("POST /repos/{owner}/{repo}/merges", () =>
          octokit.rest.repos.merge({
            ...api,
            base,
            head,
            ...(message ? { commit_message: message } : {}),
            // 409 is GitHub's answer "conflict", not a failure: Probot's retry plugin would
            // repeat it 3 times over 14 s (it retries every status but 400/401/403/404/410/422/451).
            request: { retries: 0 },
          }),
        );
        // Octokit types only 201, but GitHub answers 204 when head is already in base.
        if ((response.status as number) === 204) return { kind: "up-to-date" };
        return { kind: "merged", sha: response.data.sha, treeSha: response.data.commit.tree.sha };
      } catch (error) {
        if (isGitHubError(error, 409)) return { kind: "conflict" };
        throw error;
      }
    },
  };
}
