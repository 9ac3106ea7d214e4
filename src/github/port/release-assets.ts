/**
 * Files attached to a GitHub Release (the hotfix's evidence). GitHub takes uploads on a host of
 * their own (`uploads.github.com`; `/api/uploads` on GitHub Enterprise Server), named by the
 * release's `upload_url`: the adapter posts there, never to the API host.
 */
export interface ReleaseAsset {
  id: number;
  name: string;
  label: string | null;
  size: number;
}

export interface ReleaseForAssets {
  id: number;
  /** The release's `upload_url` as GitHub gave it (a URI template ending in `{?name,label}`). */
  uploadUrl: string;
}

export interface ReleaseAssets {
  /** The release's assets (all pages). */
  listReleaseAssets(releaseId: number): Promise<ReleaseAsset[]>;
  /**
   * Uploads a file. GitHub refuses a second asset of the same name (422 `already_exists`): an
   * answer, not an exception.
   */
  uploadReleaseAsset(
    release: ReleaseForAssets,
    asset: { name: string; label: string; contentType: string; content: Buffer },
  ): Promise<ReleaseAsset | { alreadyExists: true }>;
  /** An asset's bytes, or null when it is gone. */
  downloadReleaseAsset(assetId: number): Promise<Buffer | null>;
  /** Renames an asset and sets its label. */
  updateReleaseAsset(assetId: number, fields: { name: string; label: string }): Promise<void>;
  /** Deletes an asset; "missing" when it was already gone. */
  deleteReleaseAsset(assetId: number): Promise<"deleted" | "missing">;
}
