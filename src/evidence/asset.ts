/**
 * The evidence asset on the GitHub Release, written safely to repeat. GitHub keeps one asset per
 * name and cannot overwrite one, so:
 * - the asset's label describes the stages it holds: the same label is the same content, and
 *   nothing is uploaded again;
 * - a new version is uploaded under a second name first, then the old one is deleted and the new
 *   one renamed: at no moment is there no evidence, and a run cut midway is finished by the next
 *   (the newest complete document is the one under the second name, while it exists).
 */
import type { GitHubPort } from "../github/port.js";
import type { ReleaseAsset, ReleaseForAssets } from "../github/port/release-assets.js";
import { stagesLabel } from "./build.js";
import { EVIDENCE_ASSET, evidenceSchema, type Evidence } from "./schema.js";

export const EVIDENCE_NEXT = "hotfix-evidence.next.json";

export type EvidenceWrite = "uploaded" | "unchanged" | "replaced";

export function evidenceBytes(doc: Evidence): Buffer {
  return Buffer.from(`${JSON.stringify(evidenceSchema.parse(doc), null, 2)}\n`, "utf8");
}

export async function writeEvidence(
  github: GitHubPort,
  release: ReleaseForAssets,
  doc: Evidence,
  assets?: ReleaseAsset[],
): Promise<EvidenceWrite> {
  const label = stagesLabel(doc.stages);
  const listed = assets ?? (await github.listReleaseAssets(release.id));
  const current = listed.find((a) => a.name === EVIDENCE_ASSET);
  const next = listed.find((a) => a.name === EVIDENCE_NEXT);
  const content = evidenceBytes(doc);
  const upload = (name: string) =>
    github.uploadReleaseAsset(release, {
      name,
      label,
      contentType: "application/json",
      content,
    });
  if (current?.label === label) {
    if (next) await github.deleteReleaseAsset(next.id);
    return "unchanged";
  }
  if (!current) {
    const uploaded = await upload(EVIDENCE_ASSET);
    if (next) await github.deleteReleaseAsset(next.id);
    return "alreadyExists" in uploaded ? "unchanged" : "uploaded";
  }
  if (next) await github.deleteReleaseAsset(next.id);
  const uploaded = await upload(EVIDENCE_NEXT);
  if ("alreadyExists" in uploaded) return "unchanged"; // another writer is replacing it now
  await github.deleteReleaseAsset(current.id);
  await github.updateReleaseAsset(uploaded.id, { name: EVIDENCE_ASSET, label });
  return "replaced";
}

/** The evidence on a release, newest complete version first; null when there is none. */
export async function readEvidence(
  github: GitHubPort,
  assets: ReleaseAsset[],
): Promise<Evidence | null> {
  for (const name of [EVIDENCE_NEXT, EVIDENCE_ASSET]) {
    const asset = assets.find((a) => a.name === name);
    if (!asset) continue;
    const bytes = await github.downloadReleaseAsset(asset.id);
    if (!bytes) continue;
    try {
      const parsed = evidenceSchema.safeParse(JSON.parse(bytes.toString("utf8")));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: someone else's file under our name; try the other
    }
  }
  return null;
}
