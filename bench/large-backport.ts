/**
 * The API-only backport against a clone-based one, on a large generated history, side by side
 * in one run.
 *
 * The history (`git fast-import`): 20,000 files in 200 directories, then 20,000 commits, each
 * changing one file; `release/1.0` branches off 1,000 commits before `main` and gets the fix
 * (a change to a file `main` has not touched since). Carrying the fix to `main`:
 *   - API-only: hotfix-bot's backport engine (src/backport/cherry-pick.ts) through its GitHub
 *     port, against the stand-in answering every request after 50 ms (a realistic round trip);
 *   - clone-based: `git clone` from a local remote (file://, git's pack protocol, no network
 *     latency at all), `git cherry-pick -x`, `git push` — what clone-based backport tools do.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { backportTempBranch } from "../src/record/names.js";
import { cherryPick } from "../src/backport/cherry-pick.js";
import { unpaced } from "../src/backport/pace-writes.js";
import { createGitHubPort } from "../src/github/octokit-port.js";
import { GIT_ENV, runGit } from "../sandbox/stand-in/git-repo.js";
import { startStandIn } from "../sandbox/stand-in/server.js";

export interface LargeBackportResult {
  commits: number;
  files: number;
  generateSeconds: number;
  latencyMs: number;
  api: { seconds: number; requests: number };
  clone: { seconds: number; cloneSeconds: number };
  /** clone time / API time */
  ratio: number;
}

const FILES = 20_000;
const COMMITS = 20_000;
const RELEASE_AT = COMMITS - 1_000;

const path = (i: number) =>
  `src/d${String(i % 200).padStart(3, "0")}/f${String(i).padStart(5, "0")}.txt`;
const content = (i: number, version: number) =>
  `file ${i}\nversion ${version}\n${"x".repeat(40)}\n`;

/** The fast-import stream, written in chunks (it is ~10 MB). */
async function fastImport(dir: string): Promise<Map<number, string>> {
  const marksFile = join(dir, "bench-marks");
  const child = spawn("git", ["fast-import", "--quiet", `--export-marks=${marksFile}`], {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  const write = (text: string) =>
    new Promise<void>((resolve) =>
      child.stdin.write(text) ? resolve() : child.stdin.once("drain", resolve),
    );
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const committer = (n: number) =>
    `committer Bench <bench@example.com> ${1_700_000_000 + n * 60} +0000\n`;

  let chunk = `commit refs/heads/main\nmark :1\n${committer(0)}${data("Initial import")}`;
  for (let i = 0; i < FILES; i++) chunk += `M 100644 inline ${path(i)}\n${data(content(i, 0))}`;
  await write(`${chunk}\n`);
  chunk = "";
  for (let n = 2; n <= COMMITS; n++) {
    const file = n % FILES;
    chunk += `commit refs/heads/main\nmark :${n}\n${committer(n)}${data(`Change ${path(file)}`)}M 100644 inline ${path(file)}\n${data(content(file, n))}\n`;
    if (chunk.length > 1_000_000) {
      await write(chunk);
      chunk = "";
    }
  }
  // The release line and the fix on it: a file main has not touched in its last 1,000 commits.
  const fixed = 5;
  chunk += `reset refs/heads/release/1.0\nfrom :${RELEASE_AT}\n\n`;
  chunk += `commit refs/heads/release/1.0\nmark :${COMMITS + 1}\n${committer(COMMITS + 1)}${data("Fix the file-5 crash")}from :${RELEASE_AT}\nM 100644 inline ${path(fixed)}\n${data(`${content(fixed, 0)}fixed\n`)}\n`;
  await write(chunk);
  child.stdin.end();
  if ((await done) !== 0) throw new Error(`git fast-import failed: ${stderr}`);
  const marks = new Map<number, string>();
  const raw = await readFile(marksFile, "utf8");
  for (const line of raw.split("\n")) {
    const [mark, sha] = line.split(" ");
    if (mark && sha) marks.set(Number(mark.slice(1)), sha);
  }
  return marks;
}

const BenchOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

async function git(cwd: string, args: string[]): Promise<void> {
  const result = await runGit(cwd, args, {
    env: {
      GIT_AUTHOR_NAME: "Bench",
      GIT_AUTHOR_EMAIL: "b@e",
      GIT_COMMITTER_NAME: "Bench",
      GIT_COMMITTER_EMAIL: "b@e",
    },
  });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
}

export async function largeBackport(latencyMs = 50): Promise<LargeBackportResult> {
  const standIn = await startStandIn({ checkRequest: null });
  const work = await mkdtemp(join(tmpdir(), "bench-clone-"));
  try {
    const repo = await standIn.createRepo("acme", "big");
    const generating = performance.now();
    const marks = await fastImport(repo.dir);
    const generateSeconds = (performance.now() - generating) / 1000;
    const fix = marks.get(COMMITS + 1) as string;
    const commits = Number(
      (await repo.git(["rev-list", "--count", "--all"])).stdout.toString().trim(),
    );
    const files = Number(
      (await repo.git(["ls-tree", "-r", "--name-only", "main"])).stdout
        .toString()
        .trim()
        .split("\n").length,
    );

    // API-only, through the app's engine and port, 50 ms per request.
    const github = createGitHubPort(new BenchOctokit({ baseUrl: standIn.url }), {
      owner: "acme",
      repo: "big",
    });
    standIn.setLatency(latencyMs);
    const fromRequests = standIn.requests.length;
    const apiStart = performance.now();
    const commit = await github.getCommit(fix);
    if (!commit) throw new Error("the fix commit is not readable");
    const picked = await cherryPick(github, {
      commits: [commit],
      onto: "main",
      branch: "backport/1-to-main",
      temp: backportTempBranch(1, "main", commit.sha),
      pacer: unpaced,
    });
    const apiSeconds = (performance.now() - apiStart) / 1000;
    const apiRequests = standIn.requests.length - fromRequests;
    standIn.setLatency(0);
    if (picked.kind !== "picked")
      throw new Error(`the API backport did not apply: ${picked.reason}`);

    // Clone-based: clone, cherry-pick, push.
    const cloneStart = performance.now();
    await git(work, ["clone", "--quiet", `file://${repo.dir}`, "clone"]);
    const cloneSeconds = (performance.now() - cloneStart) / 1000;
    const dir = join(work, "clone");
    await git(dir, ["checkout", "--quiet", "-b", "backport/clone", "origin/main"]);
    await git(dir, ["cherry-pick", "-x", fix]);
    await git(dir, ["push", "--quiet", "origin", "HEAD:refs/heads/backport/clone"]);
    const clone = (performance.now() - cloneStart) / 1000;

    // Both carried the same change: the same tree.
    const [apiTree, cloneTree] = await Promise.all([
      repo.treeOf("backport/1-to-main"),
      repo.treeOf("backport/clone"),
    ]);
    if (apiTree !== cloneTree)
      throw new Error(`the two backports differ: ${apiTree} vs ${cloneTree}`);
    return {
      commits,
      files,
      generateSeconds,
      latencyMs,
      api: { seconds: apiSeconds, requests: apiRequests },
      clone: { seconds: clone, cloneSeconds },
      ratio: clone / apiSeconds,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    await standIn.close();
  }
}
