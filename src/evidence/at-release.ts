/**
 * At release, inside the release's step: the incident the hotfix fixes is stored (its start is
 * the linked issue's creation: time to restore), and the evidence is attached to the GitHub
 * Release. Reads: the issue (once), the release, the policy file (its blob sha; usually a 304),
 * the reviews, and the checks on the judged head.
 */
import type { GitHubPort } from "../github/port.js";
import { linkedIssues } from "../gate/requirements/linked-issue.js";
import type { RequirementResult } from "../gate/requirement.js";
import { POLICY_PATH } from "../policy/schema.js";
import type { HotfixStep } from "../record/step.js";
import { readEvidence, writeEvidence, type EvidenceWrite } from "./asset.js";
import { buildEvidence, evidenceStages, stagesLabel, withStages } from "./build.js";

/** The first issue of this repository the PR links (`#12`, `acme/shop#12`, or its URL), if any. */
export function incidentIssueOf(
  text: string,
  repo: { owner: string; repo: string },
): number | null {
  const own = `${repo.owner}/${repo.repo}`.toLowerCase();
  for (const ref of linkedIssues(text)) {
    const [where, number] = ref.split("#");
    if (where === "" || where?.toLowerCase() === own) return Number(number);
  }
  return null;
}

export async function recordIncident(step: HotfixStep): Promise<void> {
  if (step.record.stored.incident) return;
  const { github, pull } = step;
  const number = incidentIssueOf(`${pull.title}\n${pull.body}`, github.repo);
  if (number === null) return;
  const issue = await github.getIssue(number);
  if (!issue || issue.isPull) return;
  step.store((s) => ({ ...s, incident: { issue: number, openedAt: issue.createdAt } }));
}

export async function attachReleaseEvidence(
  step: HotfixStep,
  input: {
    tag: string;
    version: string;
    mergeSha: string;
    requirements: readonly RequirementResult[];
    policyFiles: readonly string[];
  },
): Promise<EvidenceWrite | "no release"> {
  const { github, policy, pull } = step;
  await recordIncident(step);
  const release = await github.findRelease(input.tag);
  if (!release?.uploadUrl) return "no release";
  // The release part is written once: a repeated command only brings the stages up to date.
  const assets = await github.listReleaseAssets(release.id);
  const target = { id: release.id, uploadUrl: release.uploadUrl };
  const stages = evidenceStages({
    ...step.record,
    tag: { name: input.tag, version: input.version, commitSha: input.mergeSha },
  });
  const label = stagesLabel(stages);
  const remember = () =>
    step.store((s) => ({
      ...s,
      evidence: { label, observed: s.evidence?.observed ?? [] },
    }));
  const existing = await readEvidence(github, assets);
  if (existing) {
    const written = await writeEvidence(github, target, withStages(existing, stages), assets);
    remember();
    return written;
  }
  const stored = step.record.stored;
  const requested = stored.release;
  const headSha = requested?.headSha ?? pull.head.sha;
  const [policyFile, reviews, checkRuns, statuses] = await Promise.all([
    github.readFile(POLICY_PATH),
    github.listReviews(pull.number),
    github.listCheckRuns(headSha),
    github.listStatuses(headSha),
  ]);
  const incident = stored.incident
    ? {
        issue: stored.incident.issue,
        url: pull.htmlUrl.replace(/\/pull\/\d+$/, `/issues/${stored.incident.issue}`),
        openedAt: stored.incident.openedAt,
      }
    : null;
  const doc = buildEvidence({
    repository: `${github.repo.owner}/${github.repo.repo}`,
    pull,
    headSha,
    incident,
    policy: {
      path: POLICY_PATH,
      blobSha: policyFile?.sha ?? null,
      files: [...input.policyFiles],
    },
    release: {
      tag: input.tag,
      version: input.version,
      commitSha: input.mergeSha,
      url: release.url,
      by: requested?.by ?? "",
      command: policy.release.command,
      at: requested?.at ?? step.now().toISOString(),
    },
    override: stored.override ?? null,
    requirements: input.requirements,
    reviews,
    checkRuns,
    statuses,
    checksPolicy: policy,
    stages,
  });
  const written = await writeEvidence(github, target, doc, assets);
  remember();
  return written;
}

export type { GitHubPort };
