/**
 * Pure: the evidence document of a release (`buildEvidence`, from what the release step judged
 * and read), the stages that follow it as the hotfix record shows them (`evidenceStages`), and
 * the document with those stages appended (`withStages`). The release part is written once, at
 * release, and never recomputed: later stages only append to it.
 */
import type { CheckRun, CommitStatus, PullRequest, Review } from "../github/model.js";
import type { RequirementResult } from "../gate/requirement.js";
import { isRequiredName } from "../gate/requirements/checks.js";
import type { Policy } from "../policy/schema.js";
import { latestReported } from "../record/deployment-state.js";
import type { DeploymentFacts, HotfixRecord, ScheduleOverride } from "../record/schema.js";
import {
  EVIDENCE_SCHEMA_ID,
  EVIDENCE_VERSION,
  type Evidence,
  type EvidenceStage,
} from "./schema.js";

export interface ReleaseEvidenceInput {
  repository: string;
  pull: PullRequest;
  headSha: string;
  incident: Evidence["incident"];
  policy: Evidence["policy"];
  release: Evidence["release"];
  override: ScheduleOverride | null | undefined;
  requirements: readonly RequirementResult[];
  reviews: readonly Review[];
  checkRuns: readonly CheckRun[];
  statuses: readonly CommitStatus[];
  checksPolicy: Pick<Policy, "checks">;
  stages: readonly EvidenceStage[];
}

export function buildEvidence(input: ReleaseEvidenceInput): Evidence {
  const groupsOf = new Map<string, string[]>();
  for (const r of input.requirements) {
    if (!r.id.startsWith("approval:")) continue;
    for (const login of r.approvedBy ?? []) {
      const key = login.toLowerCase();
      groupsOf.set(key, [...(groupsOf.get(key) ?? []), r.id.slice("approval:".length)]);
    }
  }
  // The latest approving review of each person who counted for a group.
  const approvals = new Map<string, Evidence["approvals"][number]>();
  for (const review of input.reviews) {
    const groups = groupsOf.get(review.reviewer.login.toLowerCase());
    if (review.state !== "APPROVED" || !groups) continue;
    approvals.set(review.reviewer.login.toLowerCase(), {
      login: review.reviewer.login,
      groups,
      commitSha: review.commitId,
      at: review.submittedAt,
    });
  }
  const checks: Evidence["checks"] = [
    ...input.checkRuns
      .filter((run) => isRequiredName(run.name, input.checksPolicy))
      .map((run) => ({
        name: run.name,
        kind: "check_run" as const,
        app: run.appSlug,
        conclusion: run.conclusion ?? run.status,
        url: run.url,
      })),
    ...input.statuses
      .filter((status) => isRequiredName(status.context, input.checksPolicy))
      .map((status) => ({
        name: status.context,
        kind: "status" as const,
        app: status.creator,
        conclusion: status.state,
        url: status.url,
      })),
  ].sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
  const o = input.override;
  return {
    $schema: EVIDENCE_SCHEMA_ID,
    version: EVIDENCE_VERSION,
    repository: input.repository,
    pullRequest: {
      number: input.pull.number,
      url: input.pull.htmlUrl,
      title: input.pull.title,
      author: input.pull.author.login,
      base: input.pull.base.ref,
      headSha: input.headSha,
    },
    incident: input.incident,
    policy: input.policy,
    release: input.release,
    override: o
      ? { by: o.by, at: o.at, reason: o.reason, rule: o.rule, via: o.via, closed: o.closed }
      : null,
    requirements: input.requirements.map((r) => ({
      id: r.id,
      title: r.title,
      state: r.state,
      reason: r.reason,
    })),
    approvals: [...approvals.values()].sort((a, b) => a.login.localeCompare(b.login)),
    checks,
    stages: [...input.stages],
  };
}

/** Deployment states that end a stage; the ones before (queued, in progress) are not evidence. */
const SETTLED = new Set(["success", "failure", "error", "inactive"]);

function deploymentStage(
  stage: "staging" | "production" | "rollback",
  facts: DeploymentFacts | null,
): EvidenceStage[] {
  const latest = facts ? latestReported(facts.statuses) : null;
  if (!facts || !latest || !SETTLED.has(latest.state)) return [];
  return [
    {
      stage,
      state: latest.state,
      at: latest.createdAt,
      environment: facts.environment,
      deploymentId: facts.id,
      url: latest.url,
    },
  ];
}

/** The stages the record shows: released, then settled deployments and the closed window. */
export function evidenceStages(record: HotfixRecord): EvidenceStage[] {
  const release = record.stored.release;
  if (!record.tag || !release) return [];
  const stages: EvidenceStage[] = [{ stage: "released", state: "released", at: release.at }];
  if (record.deploy.kind === "on") {
    stages.push(...deploymentStage("staging", record.deploy.staging));
    stages.push(...deploymentStage("production", record.deploy.production));
  }
  const window = record.stored.window;
  if (window)
    stages.push({
      stage: "window",
      state: window.state,
      at: window.at,
      detail: window.what,
      url: window.link,
    });
  if (record.deploy.kind === "on")
    stages.push(...deploymentStage("rollback", record.deploy.rollback));
  return stages;
}

/** A short, stable description of the stages: the asset's label, compared before rewriting. */
export function stagesLabel(stages: readonly EvidenceStage[]): string {
  return `Hotfix evidence: ${stages.map((s) => (s.stage === s.state ? s.stage : `${s.stage} ${s.state}`)).join(", ")}`;
}

/** The document with the stages after its release replaced by `stages`' (its own release kept). */
export function withStages(doc: Evidence, stages: readonly EvidenceStage[]): Evidence {
  const released = doc.stages.filter((s) => s.stage === "released");
  return { ...doc, stages: [...released, ...stages.filter((s) => s.stage !== "released")] };
}
