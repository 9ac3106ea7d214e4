/**
 * Release assets as GitHub keeps them: uploads go to the uploads host — `/api/uploads` on this
 * server, the GitHub Enterprise Server layout (`uploads.github.com` on GitHub.com) — named by the
 * release's `upload_url`; a POST of assets to the API host is not a route (GitHub answers 404,
 * the stand-in 501 and lists it as unimplemented). An asset name is unique per release (422
 * `already_exists`); `name` is required; the body is the file's bytes. Assets are listed, read
 * (JSON, or the bytes with `Accept: application/octet-stream`), renamed and relabelled, deleted.
 */
import { HttpError, notFound, type RouteModule } from "../router.js";
import type { ReleaseAsset, RepoState } from "../model.js";
import { isoNow } from "../model.js";
import { userJson, WEB } from "../json.js";
import { bodyOf, callerOf, numberParam, optionalString, paged, REPO, repoOf } from "./common.js";
import { nodeId } from "./shapes.js";

export const UPLOADS_PREFIX = "/api/uploads";

export const releaseAssetsRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  const json = (api: string, repo: RepoState, asset: ReleaseAsset) => {
    const release = repo.releases.find((r) => r.id === asset.releaseId);
    const full = `${repo.owner}/${repo.name}`;
    return {
      url: `${api}/repos/${full}/releases/assets/${asset.id}`,
      browser_download_url: `${WEB}/${full}/releases/download/${release?.tagName ?? "untagged"}/${encodeURIComponent(asset.name)}`,
      id: asset.id,
      node_id: nodeId("ReleaseAsset", String(asset.id)),
      name: asset.name,
      label: asset.label,
      state: "uploaded",
      content_type: asset.contentType,
      size: Buffer.byteLength(asset.content),
      digest: null,
      download_count: 0,
      created_at: asset.createdAt,
      updated_at: asset.updatedAt,
      uploader: userJson(api, hub.user(asset.uploader)),
    };
  };
  const assetsOf = (repo: RepoState) => (repo.releaseAssets ??= []);
  const assetOf = (repo: RepoState, id: number) => {
    const asset = assetsOf(repo).find((a) => a.id === id);
    if (!asset) throw notFound();
    return asset;
  };
  // The API root for `url` fields of an upload's answer (it arrives on the uploads host).
  const apiOf = (context: { apiUrl: string }) =>
    context.apiUrl.endsWith(UPLOADS_PREFIX)
      ? `${context.apiUrl.slice(0, -UPLOADS_PREFIX.length)}/api/v3`
      : context.apiUrl;

  router.get(`${REPO}/releases/{release_id}/assets`, (context) => {
    const repo = repoOf(world, context);
    const id = numberParam(context, "release_id");
    if (!repo.releases.some((r) => r.id === id)) throw notFound();
    return paged(
      context,
      assetsOf(repo)
        .filter((a) => a.releaseId === id)
        .map((a) => json(context.apiUrl, repo, a)),
    );
  });

  router.post(`${UPLOADS_PREFIX}${REPO}/releases/{release_id}/assets`, (context) => {
    const repo = repoOf(world, context);
    const id = numberParam(context, "release_id");
    if (!repo.releases.some((r) => r.id === id)) throw notFound();
    const name = context.query.get("name");
    if (!name)
      throw new HttpError(422, "Validation Failed", {
        errors: [{ field: "name", code: "missing" }],
      });
    if (assetsOf(repo).some((a) => a.releaseId === id && a.name === name)) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "ReleaseAsset", code: "already_exists", field: "name" }],
      });
    }
    const contentType = String(context.headers["content-type"] ?? "");
    if (!contentType) throw new HttpError(422, "Content-Type header is required");
    const now = isoNow();
    const asset: ReleaseAsset = {
      id: hub.id(),
      releaseId: id,
      name,
      label: context.query.get("label") ?? "",
      contentType,
      content: typeof context.body === "string" ? context.body : JSON.stringify(context.body ?? ""),
      uploader: callerOf(world, context),
      createdAt: now,
      updatedAt: now,
    };
    assetsOf(repo).push(asset);
    hub.note(
      repo,
      asset.uploader,
      `attached ${name} to release ${repo.releases.find((r) => r.id === id)?.tagName ?? id}`,
    );
    return { status: 201, body: json(apiOf(context), repo, asset) };
  });

  router.get(`${REPO}/releases/assets/{asset_id}`, (context) => {
    const repo = repoOf(world, context);
    const asset = assetOf(repo, numberParam(context, "asset_id"));
    if (String(context.headers.accept ?? "").includes("application/octet-stream")) {
      // GitHub may redirect to the bytes or stream them; the stand-in streams them.
      return {
        status: 200,
        raw: asset.content,
        headers: { "content-type": "application/octet-stream" },
      };
    }
    return { status: 200, body: json(context.apiUrl, repo, asset) };
  });

  router.patch(`${REPO}/releases/assets/{asset_id}`, (context) => {
    const repo = repoOf(world, context);
    const asset = assetOf(repo, numberParam(context, "asset_id"));
    const body = bodyOf(context);
    const name = optionalString(body, "name");
    if (name !== undefined && name !== asset.name) {
      if (assetsOf(repo).some((a) => a.releaseId === asset.releaseId && a.name === name))
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "ReleaseAsset", code: "already_exists", field: "name" }],
        });
      asset.name = name;
    }
    const label = optionalString(body, "label");
    if (label !== undefined) asset.label = label;
    asset.updatedAt = isoNow();
    return { status: 200, body: json(context.apiUrl, repo, asset) };
  });

  router.delete(`${REPO}/releases/assets/{asset_id}`, (context) => {
    const repo = repoOf(world, context);
    const asset = assetOf(repo, numberParam(context, "asset_id"));
    repo.releaseAssets = assetsOf(repo).filter((a) => a !== asset);
    return { status: 204 };
  });
};
