/**
 * At the end of every step of a released hotfix, before its tracking comment is written: the
 * stages that settled since the evidence was last written (a deployment's outcome, the window's
 * close) are appended to the release's evidence, and time to restore is observed on `/metrics`
 * the first time the release and production's first success are seen. Both are decided against
 * what the comment stores (`stored.evidence`): a step that moved nothing costs no request, and a
 * figure is observed once per hotfix whichever replica sees it first.
 */
import type { GitHubPort } from "../github/port.js";
import { GitHubError } from "../github/errors.js";
import type { StepEndHook } from "../record/step-end.js";
import type { HotfixRecord, StoredRecord } from "../record/schema.js";
import { observeRestore } from "../observability/restore-metrics.js";
import { readEvidence, writeEvidence } from "./asset.js";
import { evidenceStages, stagesLabel, withStages } from "./build.js";
import { restoreTimes } from "../record/restore.js";

type Store = (change: (stored: StoredRecord) => StoredRecord) => void;

export async function followRelease(
  github: GitHubPort,
  record: HotfixRecord,
  store: Store,
): Promise<string | null> {
  const known = record.stored.evidence;
  // Only a release whose evidence was attached (by its release step) is followed.
  if (!known || !record.tag) return null;

  const repository = `${github.repo.owner}/${github.repo.repo}`;
  const times = restoreTimes(record);
  const seen = (["release", "production"] as const).filter(
    (m) =>
      !known.observed.includes(m) &&
      (m === "release" ? times?.toRelease : times?.toProduction) != null,
  );
  for (const milestone of seen)
    observeRestore(
      repository,
      milestone,
      (milestone === "release" ? times?.toRelease : times?.toProduction) as number,
    );
  if (seen.length > 0)
    store((s) =>
      s.evidence
        ? { ...s, evidence: { ...s.evidence, observed: [...s.evidence.observed, ...seen] } }
        : s,
    );

  const stages = evidenceStages(record);
  const label = stagesLabel(stages);
  if (stages.length === 0 || label === known.label) return null;
  const release = await github.findRelease(record.tag.name);
  if (!release?.uploadUrl) return "evidence: no release";
  const assets = await github.listReleaseAssets(release.id);
  const doc = await readEvidence(github, assets);
  if (!doc) return "evidence: none to append to";
  const written = await writeEvidence(
    github,
    { id: release.id, uploadUrl: release.uploadUrl },
    withStages(doc, stages),
    assets,
  );
  store((s) => (s.evidence ? { ...s, evidence: { ...s.evidence, label } } : s));
  return `evidence: ${written}`;
}

/**
 * `followRelease` as a step-end hook (src/record/step-end.ts). GitHub refusing what it writes
 * does not fail the step: the next step tries again; what was observed before stays stored.
 */
export const followReleaseAtStepEnd: StepEndHook = async (end) => {
  const before = end.record.stored;
  let stored = before;
  try {
    await followRelease(end.github, end.record, (change) => {
      stored = change(stored);
    });
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
  }
  return stored === before ? null : stored;
};
