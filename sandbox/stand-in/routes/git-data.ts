/**
 * GitHub's Git Database API (`/repos/{o}/{r}/git/...`) over a real bare repository: blobs,
 * trees, commits, refs and annotated tags. Status codes and messages follow GitHub: 201 on
 * create, 404 for a missing object or ref on GET, 422 for an invalid request, an existing ref,
 * a missing ref on update/delete and a non-fast-forward update without `force`.
 */
import { ZERO_SHA, type Signature, type TreeChange } from "../git-repo.js";
import { HttpError, notFound, unprocessable, type RouteModule } from "../router.js";
import {
  appIdentity,
  gitCommitJson,
  nodeId,
  markSignedByGitHub,
  refJson,
  refMoved,
  scope,
  wrappedBase64,
} from "./shapes.js";

const REPO = "/repos/{owner}/{repo}";
const MODES = new Set(["100644", "100755", "040000", "160000", "120000"]);

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "Problems parsing JSON");
  }
  return body as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") {
    throw unprocessable(`Invalid request.\n\n"${field}" wasn't supplied.`);
  }
  return value;
}

function signature(value: unknown, field: string, fallback: Signature): Signature {
  if (value === undefined) return fallback;
  const v = value as Partial<Signature> | null;
  if (!v || typeof v.name !== "string" || typeof v.email !== "string") {
    throw unprocessable(`Invalid request.\n\n"${field}" needs "name" and "email".`);
  }
  if (v.date !== undefined && !Number.isFinite(Date.parse(v.date))) {
    throw unprocessable(`Invalid request.\n\n"${field}.date" is not a valid date.`);
  }
  return { name: v.name, email: v.email, date: v.date ?? fallback.date };
}

/** `heads/x` or `refs/heads/x` in a URL → `refs/heads/x`. */
function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

export const gitDataRoutes: RouteModule = (router, world) => {
  // ---- blobs ----
  router.get(`${REPO}/git/blobs/{sha}`, async (context) => {
    const repo = scope(world, context);
    const sha = context.params.sha ?? "";
    const content = await repo.git.readBlob(sha);
    if (!content) throw notFound();
    return {
      status: 200,
      body: {
        sha,
        node_id: nodeId("Blob", sha),
        size: content.length,
        url: `${repo.api}/git/blobs/${sha}`,
        content: wrappedBase64(content),
        encoding: "base64",
      },
    };
  });

  router.post(`${REPO}/git/blobs`, async (context) => {
    const repo = scope(world, context);
    const body = record(context.body);
    if (typeof body.content !== "string")
      throw unprocessable(`Invalid request.\n\n"content" wasn't supplied.`);
    const encoding = body.encoding ?? "utf-8";
    if (encoding !== "utf-8" && encoding !== "base64") {
      throw unprocessable(`Invalid request.\n\n"encoding" must be utf-8 or base64.`);
    }
    const bytes = Buffer.from(body.content, encoding === "base64" ? "base64" : "utf8");
    const sha = await repo.git.writeBlob(bytes);
    return { status: 201, body: { sha, url: `${repo.api}/git/blobs/${sha}` } };
  });

  // ---- trees ----
  router.get(`${REPO}/git/trees/{sha+}`, async (context) => {
    const repo = scope(world, context);
    const treeish = context.params.sha ?? "";
    const resolved = /^[0-9a-f]{40}$/.test(treeish)
      ? treeish
      : await repo.git.resolveCommit(treeish);
    const tree = resolved ? await repo.git.treeOf(resolved) : null;
    if (!tree) throw notFound();
    const recursive = context.query.has("recursive");
    const entries = (await repo.git.listTree(tree, recursive)) ?? [];
    return {
      status: 200,
      body: {
        sha: tree,
        url: `${repo.api}/git/trees/${tree}`,
        tree: entries.map((e) => ({
          path: e.path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.size === undefined ? {} : { size: e.size }),
          ...(e.type === "commit" ? {} : { url: `${repo.api}/git/${e.type}s/${e.sha}` }),
        })),
        truncated: false,
      },
    };
  });

  router.post(`${REPO}/git/trees`, async (context) => {
    const repo = scope(world, context);
    const body = record(context.body);
    if (!Array.isArray(body.tree))
      throw unprocessable(`Invalid request.\n\n"tree" wasn't supplied.`);
    let base: string | null = null;
    if (body.base_tree !== undefined && body.base_tree !== null) {
      base = typeof body.base_tree === "string" ? await repo.git.treeOf(body.base_tree) : null;
      if (!base)
        throw unprocessable("Invalid tree info", { errors: ["base_tree is not a valid tree"] });
    }
    const changes: TreeChange[] = [];
    for (const raw of body.tree as unknown[]) {
      const entry = record(raw);
      const path = entry.path;
      const mode = entry.mode;
      const type = entry.type;
      if (
        typeof path !== "string" ||
        path === "" ||
        path.startsWith("/") ||
        path.endsWith("/") ||
        path.includes("//")
      ) {
        throw unprocessable("Invalid tree info", {
          errors: [`tree.path ${String(path)} is invalid`],
        });
      }
      if (typeof mode !== "string" || !MODES.has(mode)) {
        throw unprocessable("Invalid tree info", {
          errors: [`tree.mode ${String(mode)} is invalid`],
        });
      }
      if (type !== "blob" && type !== "tree" && type !== "commit") {
        throw unprocessable("Invalid tree info", {
          errors: [`tree.type ${String(type)} is invalid`],
        });
      }
      const expectedType = mode === "040000" ? "tree" : mode === "160000" ? "commit" : "blob";
      if (type !== expectedType) {
        throw unprocessable("Invalid tree info", {
          errors: [`tree.mode ${mode} does not fit type ${type}`],
        });
      }
      if ("sha" in entry && "content" in entry) {
        throw unprocessable("Invalid tree info", {
          errors: ["tree entries take either sha or content"],
        });
      }
      if (entry.sha === null) {
        changes.push({ path, delete: true });
        continue;
      }
      if (typeof entry.content === "string") {
        if (type !== "blob")
          throw unprocessable("Invalid tree info", { errors: ["content needs type blob"] });
        const sha = await repo.git.writeBlob(Buffer.from(entry.content, "utf8"));
        changes.push({ path, mode, type, sha });
        continue;
      }
      const sha = entry.sha;
      if (typeof sha !== "string") {
        throw unprocessable("Invalid tree info", {
          errors: [`tree.sha for ${path} wasn't supplied`],
        });
      }
      if (type !== "commit" && (await repo.git.objectType(sha)) !== type) {
        throw unprocessable("GitRPC::BadObjectState", {
          errors: [`tree.sha ${sha} is not a valid ${type}`],
        });
      }
      changes.push({ path, mode, type, sha } as TreeChange);
    }
    const sha = await repo.git.buildTree(base, changes);
    const entries = (await repo.git.listTree(sha, false)) ?? [];
    return {
      status: 201,
      body: {
        sha,
        url: `${repo.api}/git/trees/${sha}`,
        tree: entries.map((e) => ({
          path: e.path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.size === undefined ? {} : { size: e.size }),
          url: `${repo.api}/git/${e.type}s/${e.sha}`,
        })),
        truncated: false,
      },
    };
  });

  // ---- commits ----
  router.get(`${REPO}/git/commits/{sha}`, async (context) => {
    const repo = scope(world, context);
    const commit = await repo.git.readCommit(context.params.sha ?? "");
    if (!commit) throw notFound();
    return { status: 200, body: gitCommitJson(repo, commit) };
  });

  router.post(`${REPO}/git/commits`, async (context) => {
    const repo = scope(world, context);
    const body = record(context.body);
    const message = requireString(body, "message");
    const tree = requireString(body, "tree");
    const parents = body.parents ?? [];
    if (!Array.isArray(parents) || parents.some((p) => typeof p !== "string")) {
      throw unprocessable(`Invalid request.\n\n"parents" must be an array of strings.`);
    }
    const [treeType, ...parentTypes] = await repo.git.objectTypes([tree, ...(parents as string[])]);
    if (treeType !== "tree") throw unprocessable("Tree SHA does not exist");
    if (parentTypes.some((type) => type !== "commit")) {
      throw unprocessable("Parent SHA does not exist or is not a commit object");
    }
    const app = appIdentity();
    const committer = signature(body.committer, "committer", app);
    const author = signature(body.author, "author", committer);
    const sha = await repo.git.writeCommit({
      tree,
      parents: parents as string[],
      message,
      author,
      committer,
    });
    // GitHub signs what the App creates with no custom author, committer or signature.
    if (body.author === undefined && body.committer === undefined && body.signature === undefined)
      markSignedByGitHub(sha, committer.date);
    const commit = await repo.git.readCommit(sha);
    if (!commit) throw new Error(`commit ${sha} vanished`);
    return {
      status: 201,
      headers: { location: `${repo.api}/git/commits/${sha}` },
      body: gitCommitJson(repo, commit),
    };
  });

  // ---- refs ----
  router.get(`${REPO}/git/ref/{ref+}`, async (context) => {
    const repo = scope(world, context);
    const ref = fullRef(context.params.ref ?? "");
    const sha = await repo.git.readRef(ref);
    if (!sha) throw notFound();
    return {
      status: 200,
      body: refJson(repo, ref, sha, (await repo.git.objectType(sha)) ?? "commit"),
    };
  });

  router.get(`${REPO}/git/matching-refs/{ref+}`, async (context) => {
    const repo = scope(world, context);
    const prefix = fullRef(context.params.ref ?? "");
    const refs = await repo.git.listRefs(prefix);
    return { status: 200, body: refs.map((r) => refJson(repo, r.ref, r.sha, r.type)) };
  });

  router.post(`${REPO}/git/refs`, async (context) => {
    const repo = scope(world, context);
    const body = record(context.body);
    const ref = requireString(body, "ref");
    const sha = requireString(body, "sha");
    if (
      !ref.startsWith("refs/") ||
      ref.split("/").length < 3 ||
      !(await repo.git.isValidRefName(ref))
    ) {
      throw unprocessable("Reference name is invalid");
    }
    const type = await repo.git.objectType(sha);
    if (!type) throw unprocessable("Object does not exist");
    if (ref.startsWith("refs/heads/") && type !== "commit")
      throw unprocessable("Object is not a commit");
    const created = await repo.git.exclusive(() => repo.git.swapRef(ref, sha, ZERO_SHA));
    if (!created) throw unprocessable("Reference already exists");
    await refMoved(world, repo, ref, null, sha);
    return {
      status: 201,
      headers: { location: `${repo.api}/git/${ref}` },
      body: refJson(repo, ref, sha, type),
    };
  });

  router.patch(`${REPO}/git/refs/{ref+}`, async (context) => {
    const repo = scope(world, context);
    const ref = fullRef(context.params.ref ?? "");
    const body = record(context.body);
    const sha = requireString(body, "sha");
    const force = body.force === true;
    const type = await repo.git.objectType(sha);
    if (!type) throw unprocessable("Object does not exist");
    const before = await repo.git.exclusive(async () => {
      const current = await repo.git.readRef(ref);
      if (!current) throw unprocessable("Reference does not exist");
      if (!force && current !== sha && !(await repo.git.isAncestor(current, sha))) {
        throw unprocessable("Update is not a fast forward");
      }
      if (!(await repo.git.swapRef(ref, sha, current)))
        throw unprocessable("Reference update failed");
      return current;
    });
    if (before !== sha) await refMoved(world, repo, ref, before, sha);
    return { status: 200, body: refJson(repo, ref, sha, type) };
  });

  router.delete(`${REPO}/git/refs/{ref+}`, async (context) => {
    const repo = scope(world, context);
    const ref = fullRef(context.params.ref ?? "");
    const before = await repo.git.exclusive(async () => {
      const current = await repo.git.readRef(ref);
      if (!current) throw unprocessable("Reference does not exist");
      if (!(await repo.git.deleteRef(ref, current))) throw unprocessable("Reference update failed");
      return current;
    });
    await refMoved(world, repo, ref, before, null);
    return { status: 204 };
  });

  // ---- annotated tags ----
  router.get(`${REPO}/git/tags/{tag_sha}`, async (context) => {
    const repo = scope(world, context);
    const sha = context.params.tag_sha ?? "";
    if ((await repo.git.objectType(sha)) !== "tag") throw notFound();
    const raw = (await repo.git.git(["cat-file", "tag", sha])).stdout.toString("utf8");
    const split = raw.indexOf("\n\n");
    const header = new Map<string, string>();
    for (const line of raw.slice(0, split === -1 ? raw.length : split).split("\n")) {
      const space = line.indexOf(" ");
      header.set(line.slice(0, space), line.slice(space + 1));
    }
    const tagger = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(header.get("tagger") ?? "");
    const object = header.get("object") ?? "";
    const type = header.get("type") ?? "commit";
    return {
      status: 200,
      body: {
        node_id: nodeId("Tag", sha),
        tag: header.get("tag") ?? "",
        sha,
        url: `${repo.api}/git/tags/${sha}`,
        message: split === -1 ? "" : raw.slice(split + 2),
        tagger: tagger
          ? {
              name: tagger[1],
              email: tagger[2],
              date: new Date(Number(tagger[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
            }
          : null,
        object: { sha: object, type, url: `${repo.api}/git/${type}s/${object}` },
        verification: {
          verified: false,
          reason: "unsigned",
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
    };
  });

  router.post(`${REPO}/git/tags`, async (context) => {
    const repo = scope(world, context);
    const body = record(context.body);
    const tag = requireString(body, "tag");
    const message =
      typeof body.message === "string" ? body.message : requireString(body, "message");
    const object = requireString(body, "object");
    const type = requireString(body, "type");
    if (!["commit", "tree", "blob"].includes(type))
      throw unprocessable(`Invalid request.\n\n"type" is invalid.`);
    if ((await repo.git.objectType(object)) !== type) throw unprocessable("Object does not exist");
    if (!(await repo.git.isValidRefName(`refs/tags/${tag}`)))
      throw unprocessable("Tag name is invalid");
    const tagger = signature(body.tagger, "tagger", appIdentity());
    const sha = await repo.git.writeTag({ tag, message, object, type, tagger });
    return {
      status: 201,
      headers: { location: `${repo.api}/git/tags/${sha}` },
      body: {
        node_id: nodeId("Tag", sha),
        tag,
        sha,
        url: `${repo.api}/git/tags/${sha}`,
        message,
        tagger,
        object: { sha: object, type, url: `${repo.api}/git/${type}s/${object}` },
        verification: {
          verified: false,
          reason: "unsigned",
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
    };
  });
};
