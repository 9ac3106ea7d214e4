/**
 * Test fixture for the backport tests: the GitHub stand-in (checking every request against
 * GitHub's OpenAPI description via test/openapi/check-request.ts) with one real bare repository, the
 * real port (`createGitHubPort` over Probot's Octokit, retries and throttling off) pointed at
 * it, helpers that write history with git plumbing, and `gitCherryPick` — what real
 * `git cherry-pick -x` produces for the same commits, in a temporary clone.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { createGitHubPort } from "../../src/github/octokit-port.js";
import type { SendOptions } from "../../src/github/octokit/send.js";
import type { GitHubPort } from "../../src/github/port.js";
import { GitRepo, runGit, type Signature } from "../../sandbox/stand-in/git-repo.js";
import { startStandIn, type StandIn, type StandInOptions } from "../../sandbox/stand-in/server.js";

export const OWNER = "acme";
export const REPO = "api";

const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface Fixture {
  standIn: StandIn;
  git: GitRepo;
  github: GitHubPort;
  /** Requests the stand-in has answered since `mark()`. */
  requestsSinceMark(): StandIn["requests"];
  mark(): void;
  close(): Promise<void>;
}

export async function startFixture(
  options: StandInOptions & { enterprise?: boolean; send?: SendOptions } = {},
): Promise<Fixture> {
  const standIn = await startStandIn(options);
  const git = await standIn.createRepo(OWNER, REPO);
  const octokit = new TestOctokit({
    baseUrl: options.enterprise ? standIn.enterpriseUrl : standIn.url,
  });
  const github = createGitHubPort(octokit, { owner: OWNER, repo: REPO }, options.send);
  let from = 0;
  return {
    standIn,
    git,
    github,
    mark: () => {
      from = standIn.requests.length;
    },
    requestsSinceMark: () => standIn.requests.slice(from),
    close: () => standIn.close(),
  };
}

let clock = Date.parse("2024-03-01T10:00:00Z");

export function person(name: string): Signature {
  clock += 60_000;
  return {
    name,
    email: `${name.toLowerCase()}@example.com`,
    date: new Date(clock).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

/**
 * A commit on top of `parent` changing `files` (null deletes; `{ from }` renames). Returns its sha.
 */
export async function commit(
  git: GitRepo,
  parent: string | null,
  files: Record<string, string | null | { renameFrom: string; content?: string }>,
  message: string,
  author: Signature = person("Ada"),
): Promise<string> {
  const base = parent ? await git.treeOf(parent) : null;
  const changes = [];
  for (const [path, content] of Object.entries(files)) {
    if (content === null) {
      changes.push({ path, delete: true as const });
    } else if (typeof content === "string") {
      changes.push({
        path,
        mode: "100644",
        type: "blob" as const,
        sha: await git.writeBlob(Buffer.from(content)),
      });
    } else {
      const [old] = (await git.listTree(base ?? "", false, content.renameFrom)) ?? [];
      if (!old) throw new Error(`no ${content.renameFrom} to rename`);
      changes.push({ path: content.renameFrom, delete: true as const });
      const sha =
        content.content === undefined ? old.sha : await git.writeBlob(Buffer.from(content.content));
      changes.push({ path, mode: old.mode, type: "blob" as const, sha });
    }
  }
  const tree = await git.buildTree(base, changes);
  return git.writeCommit({
    tree,
    parents: parent ? [parent] : [],
    message,
    author,
    committer: author,
  });
}

export async function setBranch(git: GitRepo, branch: string, sha: string): Promise<void> {
  await git.git(["update-ref", `refs/heads/${branch}`, sha]);
}

export async function fileAt(git: GitRepo, rev: string, path: string): Promise<string | null> {
  const result = await git.git(["cat-file", "blob", `${rev}:${path}`], { okCodes: [128] });
  return result.code === 0 ? result.stdout.toString("utf8") : null;
}

/** Lines 1..n, one per line: a file where each commit can touch its own line. */
export function numbered(n: number, overrides: Record<number, string> = {}): string {
  return Array.from({ length: n }, (_, i) => overrides[i + 1] ?? `line ${i + 1}`).join("\n") + "\n";
}

const COMMITTER = {
  GIT_AUTHOR_NAME: "Git Test",
  GIT_AUTHOR_EMAIL: "git@example.com",
  GIT_COMMITTER_NAME: "Git Test",
  GIT_COMMITTER_EMAIL: "git@example.com",
};

export interface GitPick {
  /** The tree `git cherry-pick -x` produced, when every commit applied. */
  tree: string | null;
  /** HEAD's message after the picks. */
  message: string | null;
  /** Paths git left conflicted, with their work-tree content (markers and all). */
  conflicted: Record<string, string>;
}

/** Real `git cherry-pick -x` of `commits` onto `onto`, in a temporary clone of the stand-in repo. */
export async function gitCherryPick(
  git: GitRepo,
  onto: string,
  commits: string[],
): Promise<GitPick> {
  const dir = await mkdtemp(join(tmpdir(), "cherry-pick-"));
  try {
    const run = (args: string[], okCodes: number[] = []) =>
      runGit(dir, args, { env: COMMITTER }).then((result) => {
        if (result.code !== 0 && !okCodes.includes(result.code)) {
          throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
        }
        return result;
      });
    await run(["clone", "--quiet", "--no-checkout", git.dir, "."]);
    await run([
      "-c",
      "advice.detachedHead=false",
      "checkout",
      "--quiet",
      "-b",
      "pick",
      `origin/${onto}`,
    ]);
    const picked = await run(
      ["-c", "merge.conflictStyle=merge", "cherry-pick", "-x", ...commits],
      [1],
    );
    if (picked.code === 0) {
      const tree = (await run(["rev-parse", "HEAD^{tree}"])).stdout.toString().trim();
      const message = (await run(["log", "-1", "--format=%B"])).stdout
        .toString()
        .replace(/\n+$/, "");
      return { tree, message, conflicted: {} };
    }
    const names = (await run(["diff", "--name-only", "--diff-filter=U"])).stdout
      .toString()
      .split("\n")
      .filter(Boolean);
    const conflicted: Record<string, string> = {};
    for (const name of names) conflicted[name] = await readFile(join(dir, name), "utf8");
    return { tree: null, message: null, conflicted };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `git merge-tree --write-tree` of the cherry-pick (sibling of H on C^1, merged with C): the tree and conflicted files. */
export async function gitMergeTreePick(
  git: GitRepo,
  head: string,
  pick: string,
): Promise<{ clean: boolean; tree: string; files: Record<string, string> }> {
  const parent = (await git.readCommit(pick))?.parents[0];
  const headTree = await git.treeOf(head);
  if (!parent || !headTree) throw new Error("bad commits");
  const identity = person("Sibling");
  const sibling = await git.writeCommit({
    tree: headTree,
    parents: [parent],
    message: "sibling",
    author: identity,
    committer: identity,
  });
  const result = await git.git(
    ["-c", "merge.conflictStyle=merge", "merge-tree", "--write-tree", "--name-only", sibling, pick],
    {
      okCodes: [1],
    },
  );
  const lines = result.stdout.toString("utf8").split("\n");
  const tree = lines[0] ?? "";
  const files: Record<string, string> = {};
  if (result.code === 1) {
    for (const name of lines.slice(1)) {
      if (name === "") break; // the informational messages follow a blank line
      files[name] = (await fileAt(git, tree, name)) ?? "";
    }
  }
  return { clean: result.code === 0, tree, files };
}

/** Every file of a commit or tree, path → text. */
export async function filesOf(git: GitRepo, rev: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of (await git.listTree(rev, true)) ?? []) {
    if (entry.type === "blob")
      files[entry.path] = ((await git.readBlob(entry.sha)) ?? Buffer.alloc(0)).toString("utf8");
  }
  return files;
}

/** Conflict markers with their labels cut off: `<<<<<<< anything` → `<<<<<<<`. */
export function withoutLabels(text: string): string {
  return text.replace(/^(<<<<<<<|>>>>>>>) .*$/gm, "$1");
}

export async function tempBranches(git: GitRepo): Promise<string[]> {
  return (await git.listRefs("refs/heads/hotfix-bot/")).map((r) => r.ref);
}
