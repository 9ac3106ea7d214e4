/**
 * `hotfix-evidence.json`, attached to a hotfix's GitHub Release: what a change-management audit
 * asks for — the policy in force (its blob), every requirement with its verdict at the released
 * commit, each approval, each required check, who released and any override — and the stages
 * that followed (deployments, the monitoring window), appended as they happen. One zod schema
 * gives the type, the validation and the published JSON Schema (`schema/hotfix-evidence.schema.json`,
 * written by `npm run schema`).
 */
import { z } from "zod";

export const EVIDENCE_ASSET = "hotfix-evidence.json";
export const EVIDENCE_VERSION = 1;
export const EVIDENCE_SCHEMA_ID =
  "https://github.com/hotfix-bot/hotfix-bot/schema/hotfix-evidence.schema.json";

const time = z.string().describe("ISO 8601 time");
const sha = z
  .string()
  .regex(/^[0-9a-f]{40}$/, "a full git sha")
  .describe("a full git commit or blob sha");

export const evidenceStageSchema = z
  .object({
    stage: z
      .enum(["released", "staging", "production", "window", "rollback"])
      .describe("what happened"),
    state: z
      .string()
      .describe(
        "released; a deployment's latest state (success, failure, …); a window's verdict (clean, failed, rolled-back)",
      ),
    at: time.describe("when it happened"),
    environment: z.string().optional().describe("the deployment's environment"),
    deploymentId: z.number().int().optional(),
    url: z.string().nullable().optional().describe("the deployer's log or the signal's link"),
    detail: z.string().optional().describe("in words: what closed the window, the signal"),
  })
  .describe("One stage of the hotfix after its release.");

export const evidenceSchema = z
  .object({
    $schema: z.literal(EVIDENCE_SCHEMA_ID).optional(),
    version: z.literal(EVIDENCE_VERSION).describe("this document's format version"),
    repository: z.string().describe("owner/name"),
    pullRequest: z.object({
      number: z.number().int().positive(),
      url: z.string(),
      title: z.string(),
      author: z.string(),
      base: z.string().describe("the release line's branch"),
      headSha: sha.describe("the head commit the final check judged"),
    }),
    incident: z
      .object({
        issue: z.number().int().positive(),
        url: z.string(),
        openedAt: time.describe("when the issue was opened: the incident's start"),
      })
      .nullable()
      .describe("the issue the hotfix fixes (the first one its PR links), if any"),
    policy: z.object({
      path: z.string(),
      blobSha: sha.nullable().describe("the git blob of the policy file in force at release"),
      files: z.array(z.string()).describe("every file the policy was read from (with _extends)"),
    }),
    release: z.object({
      tag: z.string(),
      version: z.string(),
      commitSha: sha.describe("the released (merge) commit"),
      url: z.string(),
      by: z.string().describe("who ran the release command"),
      command: z.string(),
      at: time.describe("when the final check passed"),
    }),
    override: z
      .object({
        by: z.string(),
        at: time,
        reason: z.string(),
        rule: z.string(),
        via: z.string(),
        closed: z.string().describe("what the release schedule said"),
      })
      .nullable()
      .describe("a release outside the release schedule: who, under which rule, and why"),
    requirements: z
      .array(
        z.object({
          id: z.string(),
          title: z.string(),
          state: z.enum(["met", "warning", "waiting", "failed"]),
          reason: z.string(),
        }),
      )
      .describe("every requirement of the final check, with its verdict at the released head"),
    approvals: z
      .array(
        z.object({
          login: z.string(),
          groups: z.array(z.string()).describe("the approval groups it counted for"),
          commitSha: sha.nullable().describe("the commit the review was given on"),
          at: time.nullable(),
        }),
      )
      .describe("each approval that counted"),
    checks: z
      .array(
        z.object({
          name: z.string(),
          kind: z.enum(["check_run", "status"]),
          app: z.string().nullable().describe("the app that reported it (a status: its creator)"),
          conclusion: z.string().nullable(),
          url: z.string().nullable(),
        }),
      )
      .describe("each required check on the released head"),
    stages: z.array(evidenceStageSchema).min(1).describe("released first, then what followed"),
  })
  .describe("hotfix-bot's evidence of one hotfix release (hotfix-evidence.json).");

export type Evidence = z.output<typeof evidenceSchema>;
export type EvidenceStage = z.output<typeof evidenceStageSchema>;

export function evidenceJsonSchema(): Record<string, unknown> {
  return {
    $id: EVIDENCE_SCHEMA_ID,
    title: "hotfix-bot release evidence (hotfix-evidence.json)",
    ...z.toJSONSchema(evidenceSchema, { target: "draft-2020-12" }),
  };
}
