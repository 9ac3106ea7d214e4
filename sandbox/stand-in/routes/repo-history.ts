/**
 * Repository-level REST routes answered from the same bare repository: the repository itself,
 * branches, commits, compare, merges and contents. `POST /merges` runs `git merge-tree
 * --write-tree`, so its 409s and merged trees are git's own.
 */
import type { CommitObject } from "../git-repo.js";
import {
  HttpError,
  notFound,
  unprocessable,
  type RouteContext,
  type RouteModule,
} from "../router.js";
import {
  appIdentity,
  commitJson,
  fakeId,
  fileJson,
  nodeId,
  refMoved,
  scope,
  wrappedBase64,
  type RepoScope,
} from "./shapes.js";
import { repoOf } from "./common.js";
import { isProtected } from "./rules.js";

const REPO = "/repos/{owner}/{repo}";

async function commitOrThrow(repo: RepoScope, sha: string): Promise<CommitObject> {
  const commit = await repo.git.readCommit(sha);
  if (!commit) throw new Error(`commit ${sha} vanished`);
  return commit;
}

function pageOf(query: URLSearchParams): { perPage: number; page: number } {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
  return { perPage, page };
}

export const repoHistoryRoutes: RouteModule = (router, world) => {
  router.get(REPO, (context) => {
    const repo = scope(world, context);
    const fullName = `${repo.owner}/${repo.name}`;
    return {
      status: 200,
      body: {
        id: fakeId(fullName),
        node_id: nodeId("Repository", fullName),
        name: repo.name,
        full_name: fullName,
        private: false,
        owner: { login: repo.owner, id: fakeId(repo.owner), type: "Organization" },
        html_url: repo.html,
        url: repo.api,
        fork: false,
        archived: false,
        disabled: false,
        visibility: "public",
        default_branch: repo.git.defaultBranch,
        allow_squash_merge: true,
        allow_merge_commit: true,
        allow_rebase_merge: true,
      },
    };
  });

  router.get(`${REPO}/branches/{branch+}`, async (context) => {
    const repo = scope(world, context);
    const branch = context.params.branch ?? "";
    const sha = await repo.git.readRef(`refs/heads/${branch}`);
    if (!sha) throw notFound("Branch not found");
    return {
      status: 200,
      body: {
        name: branch,
        commit: commitJson(repo, await commitOrThrow(repo, sha)),
        _links: { self: `${repo.api}/branches/${branch}`, html: `${repo.html}/tree/${branch}` },
        protected: isProtected(world.hub, repoOf(world, context), branch),
        protection: {
          enabled: isProtected(world.hub, repoOf(world, context), branch),
          required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
        },
        protection_url: `${repo.api}/branches/${branch}/protection`,
      },
    };
  });

  router.get(`${REPO}/commits`, async (context) => {
    const repo = scope(world, context);
    const start = context.query.get("sha") ?? repo.git.defaultBranch;
    const sha = await repo.git.resolveCommit(start);
    if (!sha) {
      if (!(await repo.git.readRef(`refs/heads/${repo.git.defaultBranch}`))) {
        throw new HttpError(409, "Git Repository is empty.");
      }
      throw notFound(`No commit found for SHA: ${start}`);
    }
    const { perPage, page } = pageOf(context.query);
    const shas = await repo.git.revList([
      `--max-count=${perPage}`,
      `--skip=${(page - 1) * perPage}`,
      sha,
    ]);
    const commits = await repo.git.readCommits(shas);
    return {
      status: 200,
      body: commits.map((c, i) => {
        if (!c) throw new Error(`commit ${shas[i]} vanished`);
        return commitJson(repo, c);
      }),
    };
  });

  router.get(`${REPO}/commits/{ref+}`, async (context) => {
    const repo = scope(world, context);
    const ref = context.params.ref ?? "";
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
    const commit = await commitOrThrow(repo, sha);
    const files = await repo.git.changedFiles(commit.parents[0] ?? null, sha);
    return { status: 200, body: commitJson(repo, commit, files) };
  });

  router.get(`${REPO}/compare/{basehead+}`, async (context) => {
    const repo = scope(world, context);
    const basehead = context.params.basehead ?? "";
    const split = basehead.indexOf("...");
    if (split === -1) throw notFound();
    const [baseName, headName] = [basehead.slice(0, split), basehead.slice(split + 3)];
    const base = await repo.git.resolveCommit(baseName);
    const head = await repo.git.resolveCommit(headName);
    if (!base || !head) throw notFound();
    const mergeBase = await repo.git.mergeBase(base, head);
    if (!mergeBase) throw notFound(`No common ancestor between ${baseName} and ${headName}.`);
    const ahead = await repo.git.revList(["--reverse", `${mergeBase}..${head}`]);
    const behind = await repo.git.revList([`${mergeBase}..${base}`]);
    const status =
      base === head
        ? "identical"
        : behind.length === 0
          ? "ahead"
          : ahead.length === 0
            ? "behind"
            : "diverged";
    const files = await repo.git.changedFiles(mergeBase, head);
    return {
      status: 200,
      body: {
        url: `${repo.api}/compare/${basehead}`,
        html_url: `${repo.html}/compare/${basehead}`,
        permalink_url: `${repo.html}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
        diff_url: `${repo.html}/compare/${basehead}.diff`,
        patch_url: `${repo.html}/compare/${basehead}.patch`,
        base_commit: commitJson(repo, await commitOrThrow(repo, base)),
        merge_base_commit: commitJson(repo, await commitOrThrow(repo, mergeBase)),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: await Promise.all(
          ahead.slice(0, 250).map(async (s) => commitJson(repo, await commitOrThrow(repo, s))),
        ),
        files: files.map((f) => fileJson(repo, head, f)),
      },
    };
  });

  router.post(`${REPO}/merges`, async (context) => {
    const repo = scope(world, context);
    const body = (context.body ?? {}) as Record<string, unknown>;
    const baseName = body.base;
    const headName = body.head;
    if (typeof baseName !== "string" || typeof headName !== "string") {
      throw unprocessable(`Invalid request.\n\n"base" and "head" are required.`);
    }
    const ref = `refs/heads/${baseName}`;
    const merged = await repo.git.exclusive(async () => {
      const base = await repo.git.readRef(ref);
      if (!base) throw notFound("Base does not exist");
      const head = await repo.git.resolveCommit(headName);
      if (!head) throw notFound("Head does not exist");
      if (await repo.git.isAncestor(head, base)) return { status: 204 as const };
      const merged = await repo.git.mergeTrees(base, head);
      if (!merged.clean) throw new HttpError(409, "Merge conflict");
      const message =
        typeof body.commit_message === "string" && body.commit_message !== ""
          ? body.commit_message
          : `Merge ${headName} into ${baseName}`;
      const identity = appIdentity();
      const sha = await repo.git.writeCommit({
        tree: merged.tree,
        parents: [base, head],
        message,
        author: identity,
        committer: identity,
      });
      if (!(await repo.git.swapRef(ref, sha, base)))
        throw new HttpError(409, "Reference update failed");
      return { status: 201 as const, base, sha };
    });
    if (merged.status === 204) return merged;
    await refMoved(world, repo, ref, merged.base, merged.sha);
    return { status: 201, body: commitJson(repo, await commitOrThrow(repo, merged.sha)) };
  });

  const contents = async (context: RouteContext) => {
    const repo = scope(world, context);
    const path = context.params.path ?? "";
    const refName = context.query.get("ref") ?? repo.git.defaultBranch;
    const commit = await repo.git.resolveCommit(refName);
    if (!commit) throw notFound(`No commit found for the ref ${refName}`);
    const entryJson = (e: { path: string; type: string; sha: string; size?: number }) => ({
      type: e.type === "tree" ? "dir" : e.type === "commit" ? "submodule" : "file",
      size: e.size ?? 0,
      name: e.path.split("/").pop() ?? e.path,
      path: e.path,
      sha: e.sha,
      url: `${repo.api}/contents/${e.path}?ref=${refName}`,
      git_url: `${repo.api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
      html_url: `${repo.html}/blob/${refName}/${e.path}`,
      download_url:
        e.type === "blob"
          ? `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${refName}/${e.path}`
          : null,
      _links: { self: `${repo.api}/contents/${e.path}?ref=${refName}`, git: null, html: null },
    });
    const listDir = async (treeish: string, prefix: string) => {
      const entries = (await repo.git.listTree(treeish, false)) ?? [];
      return entries.map((e) => entryJson({ ...e, path: `${prefix}${e.path}` }));
    };
    if (path === "") return { status: 200, body: await listDir(commit, "") };
    const [entry] = (await repo.git.listTree(commit, false, path)) ?? [];
    if (!entry || entry.path !== path) throw notFound();
    if (entry.type === "tree") return { status: 200, body: await listDir(entry.sha, `${path}/`) };
    if (entry.type !== "blob") return { status: 200, body: entryJson(entry) };
    const content = (await repo.git.readBlob(entry.sha)) ?? Buffer.alloc(0);
    return {
      status: 200,
      body: { ...entryJson(entry), encoding: "base64", content: wrappedBase64(content) },
    };
  };
  router.get(`${REPO}/contents`, contents);
  router.get(`${REPO}/contents/{path+}`, contents);
};
