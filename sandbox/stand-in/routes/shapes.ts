/**
 * JSON shaped like GitHub's REST responses (field names and types from the REST docs), built
 * from git objects. Only fields a client could reasonably read are filled; ids are stable fakes.
 */
import { createHash } from "node:crypto";
import type { CommitObject, GitRepo, Signature } from "../git-repo.js";
import { notFound, type RouteContext, type StandInWorld } from "../router.js";

export interface RepoScope {
  git: GitRepo;
  owner: string;
  name: string;
  /** `${apiUrl}/repos/owner/name` */
  api: string;
  html: string;
  /** The GitHub user matched to a git identity's email, as a commit's `author` shows it. */
  account?: (email: string) => object | null;
}

export function scope(world: StandInWorld, context: RouteContext): RepoScope {
  const owner = context.params.owner ?? "";
  const name = context.params.repo ?? "";
  const git = world.repo(owner, name);
  if (!git) throw notFound();
  return {
    git,
    owner,
    name,
    api: `${context.apiUrl}/repos/${owner}/${name}`,
    html: `https://github.com/${owner}/${name}`,
    account: (email) => world.hub.accountJson(context.apiUrl, email),
  };
}

export function fakeId(text: string): number {
  return createHash("sha1").update(text).digest().readUInt32BE(0) % 1_000_000_000;
}

export function nodeId(kind: string, text: string): string {
  return Buffer.from(`${kind}:${text}`).toString("base64").replace(/=+$/, "");
}

/** The identity GitHub records when an API client does not name a committer. */
export function appIdentity(): Signature {
  return {
    name: "stand-in[bot]",
    email: "stand-in[bot]@users.noreply.github.com",
    date: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

const unverified = {
  verified: false,
  reason: "unsigned",
  signature: null,
  payload: null,
  verified_at: null,
};

/**
 * Commits GitHub signed: created through the Git Data API by the App with no custom author,
 * committer or signature (GitHub's "signature verification for bots"). Keyed by sha.
 */
const signedByGitHub = new Map<string, string>();

export function markSignedByGitHub(sha: string, at: string): void {
  signedByGitHub.set(sha, at);
}

export function verificationOf(sha: string) {
  const at = signedByGitHub.get(sha);
  return at
    ? {
        verified: true,
        reason: "valid",
        signature:
          "-----BEGIN PGP SIGNATURE-----\n(stand-in: signed by GitHub)\n-----END PGP SIGNATURE-----",
        payload: null,
        verified_at: at,
      }
    : unverified;
}

/** `GET /repos/{o}/{r}/git/commits/{sha}` and `POST /git/commits`. */
export function gitCommitJson(repo: RepoScope, commit: CommitObject) {
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${repo.api}/git/commits/${commit.sha}`,
    html_url: `${repo.html}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${repo.api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repo.api}/git/commits/${sha}`,
      html_url: `${repo.html}/commit/${sha}`,
    })),
    verification: verificationOf(commit.sha),
  };
}

export interface FileChange {
  status: string;
  path: string;
  previousPath?: string;
  sha: string;
  additions: number;
  deletions: number;
}

const STATUS: Record<string, string> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

export function fileJson(repo: RepoScope, ref: string, file: FileChange) {
  return {
    sha: file.sha,
    filename: file.path,
    status: STATUS[file.status] ?? "changed",
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${repo.html}/blob/${ref}/${file.path}`,
    raw_url: `${repo.html}/raw/${ref}/${file.path}`,
    contents_url: `${repo.api}/contents/${file.path}?ref=${ref}`,
    ...(file.previousPath === undefined ? {} : { previous_filename: file.previousPath }),
  };
}

/** `GET /repos/{o}/{r}/commits/{ref}` (with files), list entries and `POST /merges` (without). */
export function commitJson(repo: RepoScope, commit: CommitObject, files?: FileChange[]) {
  const json = {
    url: `${repo.api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    html_url: `${repo.html}/commit/${commit.sha}`,
    comments_url: `${repo.api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${repo.api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${repo.api}/git/trees/${commit.tree}` },
      verification: verificationOf(commit.sha),
    },
    // The GitHub users matched by email (`web-flow` for GitHub's own commits), or null.
    author: repo.account?.(commit.author.email) ?? null,
    committer: repo.account?.(commit.committer.email) ?? null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repo.api}/commits/${sha}`,
      html_url: `${repo.html}/commit/${sha}`,
    })),
  };
  if (!files) return json;
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    ...json,
    stats: { additions, deletions, total: additions + deletions },
    files: files.map((file) => fileJson(repo, commit.sha, file)),
  };
}

export function refJson(repo: RepoScope, ref: string, sha: string, type: string) {
  const kind = type === "tag" ? "tags" : type === "commit" ? "commits" : `${type}s`;
  return {
    ref,
    node_id: nodeId("Ref", ref),
    url: `${repo.api}/git/${ref}`,
    object: { sha, type, url: `${repo.api}/git/${kind}/${sha}` },
  };
}

/** Tells the hub a ref moved (push and synchronize webhooks), as the App's bot. */
export async function refMoved(
  world: StandInWorld,
  repo: RepoScope,
  ref: string,
  before: string | null,
  after: string | null,
): Promise<void> {
  const state = world.hub.repo(repo.owner, repo.name);
  if (state) await world.hub.refUpdated(state, ref, before, after, world.hub.botLogin());
}

/** Base64 the way GitHub sends file and blob content: wrapped every 60 characters. */
export function wrappedBase64(content: Buffer): string {
  const flat = content.toString("base64");
  return flat.replace(/(.{60})/g, "$1\n") + (flat.length % 60 === 0 && flat.length > 0 ? "" : "\n");
}
