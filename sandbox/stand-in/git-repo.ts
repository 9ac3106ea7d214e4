/**
 * A real bare git repository driven through plumbing commands, so that every object the
 * stand-in hands out was made — and every merge computed — by git itself, not by a model of it.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ZERO_SHA = "0".repeat(40);

/** Isolate git from the machine's configuration (a global `merge.conflictStyle` would change merges). */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
};

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export class GitCommandError extends Error {
  override readonly name = "GitCommandError";
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  }
}

export interface Signature {
  name: string;
  email: string;
  /** ISO 8601 in UTC, as GitHub writes it: `2024-05-01T12:00:00Z`. */
  date: string;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  /** The message as stored, without the one trailing newline git tools add. */
  message: string;
}

export interface ChangedFile {
  status: string;
  path: string;
  previousPath?: string;
  sha: string;
  additions: number;
  deletions: number;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

/** What POST /git/trees asks for, one path at a time. */
export type TreeChange =
  | { path: string; mode: string; type: "blob" | "commit"; sha: string }
  | { path: string; mode: string; type: "tree"; sha: string }
  | { path: string; delete: true };

export function runGit(
  cwd: string,
  args: string[],
  options: { input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: { ...process.env, ...GIT_ENV, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin.on("error", () => undefined); // git may exit before reading all input
    child.stdin.end(options.input ?? "");
  });
}

/** `@<epoch> +0000` for git's *_DATE variables, from GitHub's ISO dates. */
export function gitDate(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not a date: ${iso}`);
  return `@${Math.floor(ms / 1000)} +0000`;
}

function isoFromEpoch(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function parseSignature(line: string): Signature {
  const match = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(line);
  if (!match) throw new Error(`unreadable signature: ${line}`);
  return { name: match[1] ?? "", email: match[2] ?? "", date: isoFromEpoch(Number(match[3])) };
}

/** Revisions come from URLs: refuse anything git could read as an option or a range. */
export function isSafeRevision(rev: string): boolean {
  return /^[^-\s:^~?*[\\][^\s:^~?*[\\]*$/.test(rev) && !rev.includes("..") && !rev.includes("@{");
}

function parseCommit(sha: string, raw: string): CommitObject {
  const split = raw.indexOf("\n\n");
  const header = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? "" : raw.slice(split + 2);
  let tree = "";
  const parents: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  for (const line of header.split("\n")) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parseSignature(value);
    else if (key === "committer") committer = parseSignature(value);
  }
  if (!author || !committer) throw new Error(`commit ${sha} has no author or committer`);
  return { sha, tree, parents, author, committer, message: body.replace(/\n$/, "") };
}

const isSha = (text: string) => /^[0-9a-f]{40}$/.test(text);

/** Answers kept per repository: at most this many, then the memo starts over. */
const MEMO_LIMIT = 20_000;

export class GitRepo {
  /** Ref updates are serialised per repository; `update-ref` also checks the old value. */
  private lock: Promise<unknown> = Promise.resolve();
  /**
   * Answers about objects named by full shas never change (git objects are immutable), so
   * they are kept: a git process costs milliseconds, and a request may need several.
   */
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly commits = new Map<string, CommitObject>();

  private cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      hit = compute();
      this.memo.set(key, hit);
      // A missing object may be written later: only what exists is remembered.
      hit.then(
        (value) => value === null && this.memo.delete(key),
        () => this.memo.delete(key),
      );
    }
    return hit;
  }

  private constructor(
    readonly dir: string,
    readonly defaultBranch: string,
  ) {}

  static async create(defaultBranch = "main"): Promise<GitRepo> {
    const dir = await mkdtemp(join(tmpdir(), "stand-in-repo-"));
    const repo = new GitRepo(dir, defaultBranch);
    await repo.git(["init", "--quiet", "--bare", "--initial-branch", defaultBranch, "."]);
    return repo;
  }

  /** A copy in a new temporary directory: a snapshot to go back to. */
  async copy(): Promise<GitRepo> {
    const dir = await mkdtemp(join(tmpdir(), "stand-in-repo-"));
    await cp(this.dir, dir, { recursive: true });
    const copy = new GitRepo(dir, this.defaultBranch);
    // The copy holds the same objects: what is known about them now holds there too.
    for (const [key, value] of this.memo) copy.memo.set(key, value);
    for (const [sha, commit] of this.commits) copy.commits.set(sha, commit);
    return copy;
  }

  async destroy(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Run git here; a non-zero exit throws unless it is one of `okCodes`. */
  async git(
    args: string[],
    options: { input?: Buffer | string; env?: Record<string, string>; okCodes?: number[] } = {},
  ): Promise<GitResult> {
    const result = await runGit(this.dir, args, options);
    if (result.code !== 0 && !(options.okCodes ?? []).includes(result.code)) {
      throw new GitCommandError(args, result);
    }
    return result;
  }

  private async text(args: string[], input?: Buffer | string): Promise<string> {
    return (await this.git(args, input === undefined ? {} : { input })).stdout
      .toString("utf8")
      .trim();
  }

  /** Run `work` with the repository's ref lock held. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  // ---- objects ----

  async objectType(sha: string): Promise<string | null> {
    if (!isSha(sha)) return this.objectTypeUncached(sha);
    return this.cached(`objectType ${sha}`, () => this.objectTypeUncached(sha));
  }

  private async objectTypeUncached(sha: string): Promise<string | null> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return null;
    const result = await this.git(["cat-file", "-t", sha], { okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  /** Types of several objects through one `cat-file --batch-check`; null where missing. */
  async objectTypes(shas: string[]): Promise<(string | null)[]> {
    const asked = shas.filter((sha) => /^[0-9a-f]{40}$/.test(sha));
    const out =
      asked.length > 0
        ? await this.text(["cat-file", "--batch-check"], `${asked.join("\n")}\n`)
        : "";
    const types = new Map<string, string>();
    for (const line of out.split("\n")) {
      const [sha = "", type = ""] = line.split(" ");
      if (type !== "missing") types.set(sha, type);
    }
    return shas.map((sha) => types.get(sha) ?? null);
  }

  async writeBlob(content: Buffer): Promise<string> {
    return this.written("blob", await this.text(["hash-object", "-w", "--stdin"], content));
  }

  /** What was just written exists with that type: no need to ask git later. */
  private written(type: string, sha: string): string {
    if (isSha(sha)) this.memo.set(`objectType ${sha}`, Promise.resolve(type));
    return sha;
  }

  async readBlob(sha: string): Promise<Buffer | null> {
    if (!isSha(sha)) return this.readBlobUncached(sha);
    return this.cached(`readBlob ${sha}`, () => this.readBlobUncached(sha));
  }

  private async readBlobUncached(sha: string): Promise<Buffer | null> {
    if ((await this.objectType(sha)) !== "blob") return null;
    return (await this.git(["cat-file", "blob", sha])).stdout;
  }

  async readCommit(sha: string): Promise<CommitObject | null> {
    const [commit] = await this.readCommits([sha]);
    return commit ?? null;
  }

  /** Several commits through one `cat-file --batch`; null for anything that is not a commit. */
  async readCommits(shas: string[]): Promise<(CommitObject | null)[]> {
    const missing = shas.filter((sha) => !this.commits.has(sha));
    if (missing.length > 0) {
      const read = await this.readCommitsUncached([...new Set(missing)]);
      [...new Set(missing)].forEach((sha, i) => {
        const commit = read[i];
        if (commit) this.commits.set(sha, commit);
      });
    }
    return shas.map((sha) => this.commits.get(sha) ?? null);
  }

  private async readCommitsUncached(shas: string[]): Promise<(CommitObject | null)[]> {
    const valid = shas.map((sha) => /^[0-9a-f]{40}$/.test(sha));
    const asked = shas.filter((_, i) => valid[i]);
    const out =
      asked.length > 0
        ? (await this.git(["cat-file", "--batch"], { input: `${asked.join("\n")}\n` })).stdout
        : Buffer.alloc(0);
    const found = new Map<string, CommitObject>();
    let at = 0;
    for (const sha of asked) {
      const newline = out.indexOf(0x0a, at);
      const header = out.subarray(at, newline).toString("utf8").split(" ");
      at = newline + 1;
      if (header[1] === "missing" || header.length < 3) continue;
      const size = Number(header[2]);
      const body = out.subarray(at, at + size).toString("utf8");
      at += size + 1;
      if (header[1] === "commit") found.set(sha, parseCommit(sha, body));
    }
    return shas.map((sha, i) => (valid[i] ? (found.get(sha) ?? null) : null));
  }

  async writeCommit(input: {
    tree: string;
    parents: string[];
    message: string;
    author: Signature;
    committer: Signature;
  }): Promise<string> {
    const args = ["commit-tree", input.tree, ...input.parents.flatMap((p) => ["-p", p]), "-F", "-"];
    const result = await this.git(args, {
      input: input.message,
      env: {
        GIT_AUTHOR_NAME: input.author.name,
        GIT_AUTHOR_EMAIL: input.author.email,
        GIT_AUTHOR_DATE: gitDate(input.author.date),
        GIT_COMMITTER_NAME: input.committer.name,
        GIT_COMMITTER_EMAIL: input.committer.email,
        GIT_COMMITTER_DATE: gitDate(input.committer.date),
      },
    });
    return this.written("commit", result.stdout.toString("utf8").trim());
  }

  async writeTag(input: {
    tag: string;
    message: string;
    object: string;
    type: string;
    tagger: Signature;
  }): Promise<string> {
    const seconds = Math.floor(Date.parse(input.tagger.date) / 1000);
    const text =
      `object ${input.object}\ntype ${input.type}\ntag ${input.tag}\n` +
      `tagger ${input.tagger.name} <${input.tagger.email}> ${seconds} +0000\n\n${input.message}\n`;
    return this.written("tag", await this.text(["mktag"], text));
  }

  /** Entries of a tree (or the tree of a commit); `recursive` lists subtrees and their contents. */
  async listTree(treeish: string, recursive: boolean, path?: string): Promise<TreeEntry[] | null> {
    if (!isSha(treeish)) return this.listTreeUncached(treeish, recursive, path);
    return this.cached(`listTree ${treeish} ${recursive} ${path ?? ""}`, () =>
      this.listTreeUncached(treeish, recursive, path),
    );
  }

  private async listTreeUncached(
    treeish: string,
    recursive: boolean,
    path?: string,
  ): Promise<TreeEntry[] | null> {
    const type = await this.objectType(treeish);
    if (type !== "tree" && type !== "commit") return null;
    const args = ["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), treeish];
    if (path !== undefined) args.push("--", path);
    const out = (await this.git(args)).stdout.toString("utf8");
    return out
      .split("\0")
      .filter(Boolean)
      .map((record) => {
        const tab = record.indexOf("\t");
        const [mode = "", type = "", sha = "", size = "-"] = record.slice(0, tab).split(/ +/);
        const entry: TreeEntry = {
          path: record.slice(tab + 1),
          mode,
          type: type as TreeEntry["type"],
          sha,
        };
        if (size !== "-") entry.size = Number(size);
        return entry;
      });
  }

  async treeOf(commitish: string): Promise<string | null> {
    if (!isSha(commitish)) return this.treeOfUncached(commitish);
    return this.cached(`treeOf ${commitish}`, () => this.treeOfUncached(commitish));
  }

  private async treeOfUncached(commitish: string): Promise<string | null> {
    const result = await this.git(["rev-parse", "--verify", "--quiet", `${commitish}^{tree}`], {
      okCodes: [1, 128],
    });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  /**
   * Build a tree from `base` (or nothing) plus changes, through a throwaway index: git checks
   * modes and paths and writes every intermediate tree itself.
   */
  async buildTree(base: string | null, changes: TreeChange[]): Promise<string> {
    const index = join(
      this.dir,
      `stand-in-index-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.git(base ? ["read-tree", base] : ["read-tree", "--empty"], { env });
      const current = base ? ((await this.listTree(base, true)) ?? []) : [];
      const lines: string[] = [];
      const removeUnder = (path: string) => {
        for (const entry of current) {
          if (entry.type !== "tree" && (entry.path === path || entry.path.startsWith(`${path}/`))) {
            lines.push(`0 ${ZERO_SHA}\t${entry.path}`);
          }
        }
      };
      for (const change of changes) {
        if ("delete" in change) {
          removeUnder(change.path);
        } else if (change.type === "tree") {
          removeUnder(change.path);
          for (const entry of (await this.listTree(change.sha, true)) ?? []) {
            if (entry.type !== "tree")
              lines.push(`${entry.mode} ${entry.sha}\t${change.path}/${entry.path}`);
          }
        } else {
          // update-index reads mode 040000 as "splice in this tree", never what a blob wants
          if (change.mode === "040000")
            throw new Error(`${change.path}: a ${change.type} cannot have mode 040000`);
          lines.push(`${change.mode} ${change.sha}\t${change.path}`);
        }
      }
      if (lines.length > 0) {
        await this.git(["update-index", "--index-info"], { env, input: `${lines.join("\n")}\n` });
      }
      return this.written(
        "tree",
        (await this.git(["write-tree"], { env })).stdout.toString("utf8").trim(),
      );
    } finally {
      await rm(index, { force: true });
    }
  }

  // ---- refs and history ----

  /** The commit a revision (sha, branch, tag, full ref) names, or null. */
  async resolveCommit(rev: string): Promise<string | null> {
    if (!isSafeRevision(rev)) return null;
    if (isSha(rev) && this.commits.has(rev)) return rev;
    const result = await this.git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
      okCodes: [1, 128],
    });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  /** The object a full ref (`refs/heads/x`) points at, or null. */
  async readRef(ref: string): Promise<string | null> {
    if (!ref.startsWith("refs/") || !isSafeRevision(ref)) return null;
    const result = await this.git(["rev-parse", "--verify", "--quiet", ref], { okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  async listRefs(prefix: string): Promise<{ ref: string; sha: string; type: string }[]> {
    const out = await this.text([
      "for-each-ref",
      "--format=%(refname) %(objectname) %(objecttype)",
    ]);
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [ref = "", sha = "", type = ""] = line.split(" ");
        return { ref, sha, type };
      })
      .filter((entry) => entry.ref.startsWith(prefix));
  }

  async isValidRefName(ref: string): Promise<boolean> {
    const result = await this.git(["check-ref-format", ref], { okCodes: [1] });
    return result.code === 0;
  }

  /**
   * Compare-and-swap a ref: `expected` is the value it must hold now (ZERO_SHA: must not exist).
   * Returns false when it held something else.
   */
  async swapRef(ref: string, next: string, expected: string): Promise<boolean> {
    const result = await this.git(["update-ref", ref, next, expected], { okCodes: [1, 128] });
    return result.code === 0;
  }

  async deleteRef(ref: string, expected: string): Promise<boolean> {
    const result = await this.git(["update-ref", "-d", ref, expected], { okCodes: [1, 128] });
    return result.code === 0;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    if (!(isSha(ancestor) && isSha(descendant)))
      return this.isAncestorUncached(ancestor, descendant);
    return this.cached(`isAncestor ${ancestor} ${descendant}`, () =>
      this.isAncestorUncached(ancestor, descendant),
    );
  }

  private async isAncestorUncached(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.git(["merge-base", "--is-ancestor", ancestor, descendant], {
      okCodes: [1],
    });
    return result.code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    if (!(isSha(a) && isSha(b))) return this.mergeBaseUncached(a, b);
    return this.cached(`mergeBase ${a} ${b}`, () => this.mergeBaseUncached(a, b));
  }

  private async mergeBaseUncached(a: string, b: string): Promise<string | null> {
    const result = await this.git(["merge-base", a, b], { okCodes: [1] });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  async revList(args: string[]): Promise<string[]> {
    return (await this.text(["rev-list", ...args])).split("\n").filter(Boolean);
  }

  /** A real 3-way merge without a work tree (git ≥ 2.38); the merge base is git's choice. */
  async mergeTrees(ours: string, theirs: string): Promise<{ clean: boolean; tree: string }> {
    if (!(isSha(ours) && isSha(theirs))) return this.mergeTreesUncached(ours, theirs);
    return this.cached(`mergeTrees ${ours} ${theirs}`, () => this.mergeTreesUncached(ours, theirs));
  }

  private async mergeTreesUncached(
    ours: string,
    theirs: string,
  ): Promise<{ clean: boolean; tree: string }> {
    const result = await this.git(["merge-tree", "--write-tree", "--no-messages", ours, theirs], {
      okCodes: [1],
    });
    const tree = result.stdout.toString("utf8").split("\n")[0] ?? "";
    return { clean: result.code === 0, tree };
  }

  /** Files a commit changed against `from` (its first parent by default), with rename detection. */
  async changedFiles(from: string | null, to: string): Promise<ChangedFile[]> {
    if (!((from === null || isSha(from)) && isSha(to))) return this.changedFilesUncached(from, to);
    return this.cached(`changedFiles ${from} ${to}`, () => this.changedFilesUncached(from, to));
  }

  private async changedFilesUncached(
    from: string | null,
    to: string,
  ): Promise<
    {
      status: string;
      path: string;
      previousPath?: string;
      sha: string;
      additions: number;
      deletions: number;
    }[]
  > {
    const range = from ? [from, to] : ["--root", to];
    const raw = (
      await this.git(["diff-tree", "-r", "-M", "-z", "--no-commit-id", "--raw", ...range])
    ).stdout
      .toString("utf8")
      .split("\0");
    const numstat = (
      await this.git(["diff-tree", "-r", "-M", "-z", "--no-commit-id", "--numstat", ...range])
    ).stdout
      .toString("utf8")
      .split("\0");
    const counts = new Map<string, { additions: number; deletions: number }>();
    for (let i = 0; i < numstat.length; i++) {
      const record = numstat[i] ?? "";
      const match = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(record);
      if (!match) continue;
      let path = match[3] ?? "";
      if (path === "") {
        // a rename: the two paths follow as their own records
        i += 2;
        path = numstat[i] ?? "";
      }
      counts.set(path, { additions: Number(match[1]) || 0, deletions: Number(match[2]) || 0 });
    }
    const files = [];
    for (let i = 0; i < raw.length; i++) {
      const record = raw[i] ?? "";
      if (!record.startsWith(":")) continue;
      const [, , , sha = "", status = ""] = record.slice(1).split(" ");
      const letter = status.charAt(0);
      let path = raw[++i] ?? "";
      let previousPath: string | undefined;
      if (letter === "R" || letter === "C") {
        previousPath = path;
        path = raw[++i] ?? "";
      }
      files.push({
        status: letter,
        path,
        ...(previousPath === undefined ? {} : { previousPath }),
        sha,
        ...(counts.get(path) ?? { additions: 0, deletions: 0 }),
      });
    }
    return files;
  }
}
