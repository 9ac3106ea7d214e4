import type { ReleaseAssets } from "../port/release-assets.js";
import type { RepoRef } from "../port.js";
import { GitHubError, isGitHubError } from "../errors.js";
import type { Octokit, Sender } from "./types.js";

interface RawAsset {
  id: number;
  name: string;
  label?: string | null;
  size: number;
}

const toAsset = (a: RawAsset) => ({ id: a.id, name: a.name, label: a.label ?? null, size: a.size });

/**
 * Where GitHub takes a release's uploads when the release did not say (`upload_url`): on
 * GitHub.com the `uploads.` host, on GitHub Enterprise Server `/api/uploads` beside `/api/v3`.
 */
export function uploadUrlFor(baseUrl: string, repo: RepoRef, releaseId: number): string {
  const path = `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}/releases/${releaseId}/assets{?name,label}`;
  const base = new URL(baseUrl);
  if (base.hostname === "api.github.com") return `https://uploads.github.com${path}`;
  const root = base.pathname.replace(/\/api\/v3\/?$/, "").replace(/\/$/, "");
  return `${base.origin}${root}/api/uploads${path}`;
}

export function releaseAssetsAdapter(octokit: Octokit, repo: RepoRef, send: Sender): ReleaseAssets {
  return {
    async listReleaseAssets(releaseId) {
      const assets = await send("GET /repos/{owner}/{repo}/releases/{release_id}/assets", () =>
        octokit.paginate(octokit.rest.repos.listReleaseAssets, {
          ...repo,
          release_id: releaseId,
          per_page: 100,
        }),
      );
      return assets.map((a) => toAsset(a as RawAsset));
    },
    async uploadReleaseAsset(release, asset) {
      const url =
        release.uploadUrl ??
        uploadUrlFor(octokit.request.endpoint.DEFAULTS.baseUrl, repo, release.id);
      try {
        const { data } = await send("POST /repos/{owner}/{repo}/releases/{release_id}/assets", () =>
          octokit.request({
            method: "POST",
            // The URI template GitHub gave: octokit fills in `{?name,label}`.
            url,
            name: asset.name,
            label: asset.label,
            headers: {
              "content-type": asset.contentType,
              "content-length": asset.content.length,
            },
            data: asset.content,
          }),
        );
        return toAsset(data as RawAsset);
      } catch (error) {
        if (
          isGitHubError(error, 422) &&
          /already_exists|already exists/i.test((error as GitHubError).message)
        )
          return { alreadyExists: true as const };
        throw error;
      }
    },
    async downloadReleaseAsset(assetId) {
      try {
        // GitHub answers with the bytes, or redirects to them (fetch follows; the token is not
        // sent to the other host).
        const { data } = await send("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", () =>
          octokit.request("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", {
            ...repo,
            asset_id: assetId,
            headers: { accept: "application/octet-stream" },
          }),
        );
        return Buffer.from(data as unknown as ArrayBuffer);
      } catch (error) {
        if (isGitHubError(error, 404)) return null;
        throw error;
      }
    },
    async updateReleaseAsset(assetId, fields) {
      await send("PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}", () =>
        octokit.rest.repos.updateReleaseAsset({ ...repo, asset_id: assetId, ...fields }),
      );
    },
    async deleteReleaseAsset(assetId) {
      try {
        await send("DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}", () =>
          octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: assetId }),
        );
        return "deleted";
      } catch (error) {
        if (isGitHubError(error, 404)) return "missing";
        throw error;
      }
    },
  };
}
