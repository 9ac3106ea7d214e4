/**
 * The hotfix record: what hotfix-bot knows about one hotfix PR's lifecycle, typed by this one
 * schema. Most of it is **derived** from GitHub's own objects whenever it is needed
 * (`derive.ts`): the PR's merge, the tag and its commit, the GitHub Release, the backport PRs
 * (found by their deterministic branch names), our deployments (recognised by their payload)
 * and their statuses, the monitoring window's signals, the notices already posted. Only what
 * GitHub cannot hold is **stored**, in the tracking comment's hidden block (`storedSchema`,
 * versioned): who ran the release command and on which head, how hotfix-bot merged, a failure's
 * reason, a backport that found nothing to do, a closed window's verdict, who asked for a
 * rollback, who overrode the release schedule and why, a release queued for when it opens. The tracking comment is a pure rendering of the record (`render.ts`).
 */
import { z } from "zod";
import { metricsSchema, notifiedMapSchema } from "./monitor-stored.js";

const time = z.string().describe("ISO 8601 time, as GitHub reports it");
const mergeMethod = z.enum(["squash", "merge", "rebase"]);

// ——— What the tracking comment stores (GitHub cannot hold it) ———

/** The release command that passed the final check. */
export const releaseRequestSchema = z.object({
  by: z.string().describe("who ran the release command"),
  at: time.describe("when the final check passed"),
  headSha: z.string().describe("the head commit the final check judged"),
  method: mergeMethod.optional().describe("how hotfix-bot merged (GitHub does not say)"),
  tag: z.string().optional().describe("the tag chosen; GitHub is asked where it points"),
});

export const releaseFailureSchema = z.object({
  step: z.enum(["merge", "tag", "release"]),
  reason: z.string(),
  at: time,
});

/** What a backport target came to, where GitHub holds nothing to find it by (or may lose it). */
export const backportNoteSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("queued"), at: time }),
  /** The PR it opened (found by its branch; kept for when GitHub deletes a merged branch). */
  z.object({
    kind: z.literal("opened"),
    number: z.number().int(),
    at: time,
    /** What GitHub refused about the PR's attributes (a reviewer it will not ask). */
    problems: z.array(z.string()).optional(),
  }),
  z.object({ kind: z.literal("no-branch"), at: time }),
  z.object({ kind: z.literal("already-present"), reason: z.string(), at: time }),
  z.object({
    kind: z.literal("conflict-comment"),
    files: z.array(z.string()),
    link: z.string(),
    at: time,
  }),
  z.object({ kind: z.literal("failed"), reason: z.string(), at: time }),
]);

export const deployRefusalSchema = z.object({
  stage: z.enum(["staging", "production"]),
  status: z.number().int(),
  message: z.string(),
  at: time,
});

/** A monitoring window once closed stays closed: a later signal is a new incident. */
export const windowClosureSchema = z.object({
  state: z.enum(["clean", "failed", "rolled-back", "inconclusive"]),
  at: time,
  what: z.string(),
  link: z.string().nullable(),
});

export const rollbackRequestSchema = z.object({
  by: z.string(),
  at: time,
  previousTag: z.string(),
  revertFailure: z.string().optional().describe("why no revert PR could be opened"),
});

/** A release outside the schedule, by someone the policy's `schedule.override` names. */
export const scheduleOverrideSchema = z.object({
  by: z.string(),
  at: time,
  reason: z.string().describe("the reason given with --override"),
  rule: z.string().describe("who the rule names, e.g. acme/oncall, @alice"),
  via: z.string().describe("how the person matched it, e.g. member of acme/oncall"),
  closed: z.string().describe("what the schedule said when it was overridden"),
});

/** `/release-hotfix` while the schedule was closed: released by the sweep when it opens. */
export const scheduledReleaseSchema = z.object({
  state: z.enum(["queued", "withdrawn", "dropped", "ran"]),
  by: z.string().describe("who asked; the release runs in their name"),
  at: time.describe("when it was queued"),
  headSha: z.string().describe("the head it was queued on: a newer head is not released"),
  commentId: z.number().int().describe("the command's comment, for the reaction"),
  command: z.string().describe("the release command as the policy named it then"),
  opens: z.string().nullable().describe("when the schedule opened next, as said then"),
  endedAt: time.optional(),
  endedBy: z.string().optional().describe("who withdrew it"),
  why: z.string().optional().describe("why it was dropped"),
});

/** The PR in GitHub's merge queue (`release.merge_queue`): added by `/release-hotfix`. */
export const mergeQueueNoteSchema = z.object({
  state: z.enum(["queued", "merged", "dequeued"]),
  by: z.string().describe("who ran the release command"),
  commentId: z.number().int().describe("the command's comment, for the replies"),
  headSha: z.string(),
  position: z.number().int().describe("the position GitHub gave it when it was added"),
  jump: z.boolean(),
  at: time,
  endedAt: time.optional(),
  reason: z.string().optional().describe("why the queue removed it"),
});

export const STORED_VERSION = 2;

export const storedSchema = z.object({
  v: z.literal(STORED_VERSION),
  release: releaseRequestSchema.optional(),
  releaseFailure: releaseFailureSchema.optional(),
  /** Backport target (branch, or a policy pattern that matched none) → note. */
  backports: z.record(z.string(), backportNoteSchema).default({}),
  deployRefusal: deployRefusalSchema.optional(),
  window: windowClosureSchema.optional(),
  rollback: rollbackRequestSchema.optional(),
  override: scheduleOverrideSchema.optional(),
  scheduled: scheduledReleaseSchema.optional(),
  /** The issue the hotfix fixes, as found at release: the incident's start (time to restore). */
  incident: z.object({ issue: z.number().int().positive(), openedAt: time }).optional(),
  /**
   * The release's evidence asset as last written (its label: the stages it holds), and which
   * time-to-restore figures were observed on /metrics (each once).
   */
  evidence: z
    .object({
      label: z.string(),
      observed: z.array(z.enum(["release", "production"])).default([]),
    })
    .optional(),
  /** Prometheus signals' latest measurements (src/monitor/). */
  metrics: metricsSchema.optional(),
  /** Notifications sent or given up on (src/notify/). */
  notified: notifiedMapSchema.optional(),
  mergeQueue: mergeQueueNoteSchema.optional(),
});

// ——— What is derived from GitHub each time ———

export const pullRefSchema = z.object({
  number: z.number().int(),
  url: z.string(),
  state: z.enum(["open", "closed"]),
  merged: z.boolean(),
  draft: z.boolean(),
  labels: z.array(z.string()),
});

export const deployStageSchema = z.enum(["staging", "production", "rollback"]);

export const hotfixPayloadSchema = z.object({
  pr: z.number().int().positive(),
  version: z.string().min(1),
  tag: z.string().min(1),
  stage: deployStageSchema,
  requested_by: z.string().default(""),
  rollback_of: z.string().optional(),
});

export const deploymentStateSchema = z.enum([
  "error",
  "failure",
  "inactive",
  "in_progress",
  "queued",
  "pending",
  "success",
]);

export const deploymentStatusSchema = z.object({
  id: z.number().int(),
  state: deploymentStateSchema,
  description: z.string(),
  url: z.string().nullable(),
  createdAt: time,
});

/** One of our deployments with its statuses (newest status first, as GitHub lists them). */
export const deploymentFactsSchema = z.object({
  id: z.number().int(),
  ref: z.string(),
  sha: z.string(),
  environment: z.string(),
  createdAt: time,
  hotfix: hotfixPayloadSchema,
  statuses: z.array(deploymentStatusSchema),
});

export const signalSchema = z.object({ at: time, what: z.string(), link: z.string().nullable() });

export const windowVerdictSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("not-started") }),
  z.object({ state: z.literal("open"), opensAt: time, closesAt: time }),
  z.object({ state: z.literal("failed"), opensAt: time, closesAt: time, signal: signalSchema }),
  z.object({
    state: z.literal("clean"),
    opensAt: time,
    closesAt: time,
    endedAt: time,
    reason: z.string(),
  }),
]);

export const deploySectionSchema = z.discriminatedUnion("kind", [
  /** Nothing to deploy yet: the hotfix is not released. */
  z.object({ kind: z.literal("not-released") }),
  /** Released, but the policy has no `deploy:` section. */
  z.object({ kind: z.literal("off") }),
  z.object({
    kind: z.literal("on"),
    environments: z.object({ staging: z.string(), production: z.string() }),
    promote: z.enum(["auto", "manual"]),
    /** Contexts GitHub must see green before it accepts a deployment (for the refusal's hint). */
    requiredContexts: z.array(z.string()),
    monitorMinutes: z.number(),
    /** What the window watches, in words. */
    watching: z.string(),
    staging: deploymentFactsSchema.nullable(),
    production: deploymentFactsSchema.nullable(),
    /** The window as judged now (null before production's first success). */
    window: windowVerdictSchema.nullable(),
    rollback: deploymentFactsSchema.nullable(),
    revertPull: pullRefSchema.nullable(),
  }),
]);

export const backportLineSchema = z.object({
  target: z.string(),
  /** The backport branch, when it exists on GitHub. */
  branch: z.string().nullable(),
  /** The newest PR from that branch, any state. */
  pull: pullRefSchema.nullable(),
  note: backportNoteSchema.nullable(),
});

export const hotfixRecordSchema = z.object({
  pr: z.number().int().positive(),
  /** The PR's page, e.g. `https://github.com/acme/shop/pull/12`. */
  url: z.string(),
  title: z.string(),
  base: z.string(),
  author: z.string(),
  /** The PR's merge, from GitHub. */
  merged: z.object({ sha: z.string() }).nullable(),
  /** The tag this hotfix was released as, verified on GitHub: it points at the merge commit. */
  tag: z.object({ name: z.string(), version: z.string(), commitSha: z.string() }).nullable(),
  /** The GitHub Release of that tag. */
  release: z.object({ url: z.string(), draft: z.boolean() }).nullable(),
  backports: z.array(backportLineSchema),
  deploy: deploySectionSchema,
  /** Keys of the notices hotfix-bot already posted on the PR (each is posted once). */
  notices: z.array(z.string()),
  stored: storedSchema,
});

export type StoredRecord = z.output<typeof storedSchema>;
export type ReleaseRequest = z.output<typeof releaseRequestSchema>;
export type ReleaseFailure = z.output<typeof releaseFailureSchema>;
export type MergeQueueNote = z.output<typeof mergeQueueNoteSchema>;
export type BackportNote = z.output<typeof backportNoteSchema>;
export type WindowClosure = z.output<typeof windowClosureSchema>;
export type ScheduleOverride = z.output<typeof scheduleOverrideSchema>;
export type ScheduledRelease = z.output<typeof scheduledReleaseSchema>;
export type PullRef = z.output<typeof pullRefSchema>;
export type HotfixPayload = z.output<typeof hotfixPayloadSchema>;
export type DeployStage = z.output<typeof deployStageSchema>;
export type DeploymentFacts = z.output<typeof deploymentFactsSchema>;
export type WindowVerdict = z.output<typeof windowVerdictSchema>;
export type Signal = z.output<typeof signalSchema>;
export type DeploySection = z.output<typeof deploySectionSchema>;
export type DeployOn = Extract<DeploySection, { kind: "on" }>;
export type BackportLine = z.output<typeof backportLineSchema>;
export type HotfixRecord = z.output<typeof hotfixRecordSchema>;

export const emptyStored = (): StoredRecord => ({ v: STORED_VERSION, backports: {} });
