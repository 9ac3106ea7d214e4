/**
 * Derives the hotfix record from GitHub: every fact GitHub holds is read from GitHub, the rest
 * comes from the tracking comment's hidden block. Called by the writer of a hotfix (`step.ts`)
 * while it holds the hotfix's lock, right before it decides and right before it writes, so the
 * comment it writes is never rendered from a copy older than that.
 *
 * What is read, and when:
 * - always: the PR's comments (the tracking comment and the notices) and the PR itself;
 * - once a tag is known (the stored hint, or the event's deployment): the tag's ref (and its
 *   annotated tag object) and the GitHub Release of that tag;
 * - once merged: the backport branches of this PR (one request, by prefix) and, for each, its
 *   newest PR;
 * - once released with a `deploy:` policy: our deployments of the tag and the statuses of its
 *   staging and production deployments; while the window is undecided, its signals; after a
 *   rollback, the rollback deployment and the revert PR.
 * Facts that cannot change once true — a merge commit, a tag on it, the release of that tag —
 * are carried over from `previous` instead of being read again.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { DeployPolicy, Policy } from "../policy/schema.js";
import { parseTagTemplate } from "../versions/tag-template.js";
import { asHotfixDeployment, isStage, type HotfixDeployment } from "./deployment-payload.js";
import { firstSuccess } from "./deployment-state.js";
import { readComments, type PrComments } from "./comment.js";
import { backportBranch, backportTargetOf, backportPrefix, revertBranch } from "./names.js";
import { describeSignals } from "./stage-text.js";
import { readStoredBlock } from "./stored-block.js";
import { judgeWindow } from "./window.js";
import type {
  BackportLine,
  DeploySection,
  DeploymentFacts,
  HotfixRecord,
  PullRef,
  StoredRecord,
} from "./schema.js";
import { emptyStored } from "./schema.js";

export interface DeriveContext {
  github: GitHubPort;
  policy: Policy;
  now: Date;
  /** This app's own check runs are never monitoring signals. */
  ownAppId: number | null;
}

export interface Hints {
  /** A tag the event names (our deployment's payload), when the comment names none. */
  tag?: string | undefined;
}

export interface Derived {
  record: HotfixRecord;
  comments: PrComments;
  pull: PullRequest;
}

export class PullGoneError extends Error {
  override name = "PullGoneError";
}

export async function deriveRecord(
  ctx: DeriveContext,
  pr: number,
  options: {
    previous?: Derived | undefined;
    hints?: Hints | undefined;
    /** Already read (this step's own view of them). */
    comments?: PrComments | undefined;
    /** What the writer stores now (its changes not written yet). */
    stored?: StoredRecord | undefined;
  } = {},
): Promise<Derived> {
  const { github } = ctx;
  const previous = options.previous;
  const comments = options.comments ?? readComments(await github.listComments(pr));
  const stored =
    options.stored ?? (comments.tracking ? readStoredBlock(comments.tracking.body) : emptyStored());
  const settledMerge = previous?.record.merged ? previous.pull : null;
  const pull = settledMerge ?? (await github.getPull(pr));
  if (!pull) throw new PullGoneError(`PR #${pr} does not exist or cannot be read`);
  const merged = pull.merged && pull.mergeCommitSha ? { sha: pull.mergeCommitSha } : null;

  const tagName = stored.release?.tag ?? options.hints?.tag;
  const tag = await tagOf(ctx, tagName, merged?.sha ?? null, previous?.record);
  const release =
    tag && previous?.record.tag?.name === tag.name && previous.record.release
      ? previous.record.release
      : tag
        ? await releaseOf(github, tag.name)
        : null;

  const backports = merged ? await backportLines(github, pr, stored) : storedOnly(stored);
  const deploy = tag
    ? ctx.policy.deploy
      ? await deploySection(ctx, pr, tag.name, ctx.policy.deploy, stored)
      : ({ kind: "off" } as const)
    : ({ kind: "not-released" } as const);

  const record: HotfixRecord = {
    pr,
    url: pull.htmlUrl,
    title: pull.title,
    base: pull.base.ref,
    author: pull.author.login,
    merged,
    tag,
    release,
    backports,
    deploy,
    notices: comments.notices,
    stored,
  };
  return { record, comments, pull };
}

async function tagOf(
  ctx: DeriveContext,
  name: string | undefined,
  mergeSha: string | null,
  previous: HotfixRecord | undefined,
): Promise<HotfixRecord["tag"]> {
  if (!name || !mergeSha) return null;
  if (previous?.tag?.name === name && previous.tag.commitSha === mergeSha) return previous.tag;
  const found = await ctx.github.getTag(name);
  // A tag of that name on another commit is not this hotfix's (hotfix-bot never moves a tag).
  if (!found || found.commitSha !== mergeSha) return null;
  const template = parseTagTemplate(ctx.policy.release.tag);
  const version = (template.ok ? template.versionOf(name) : null) ?? name;
  return { name, version, commitSha: found.commitSha };
}

async function releaseOf(github: GitHubPort, tag: string): Promise<HotfixRecord["release"]> {
  const release = await github.findRelease(tag);
  return release ? { url: release.url, draft: release.draft } : null;
}

export function pullRef(pull: PullRequest): PullRef {
  return {
    number: pull.number,
    url: pull.htmlUrl,
    state: pull.state,
    merged: pull.merged,
    draft: pull.draft,
    labels: pull.labels,
  };
}

async function backportLines(
  github: GitHubPort,
  pr: number,
  stored: StoredRecord,
): Promise<BackportLine[]> {
  const branches = await github.listBranchesWithPrefix(backportPrefix(pr));
  const targets = new Set(Object.keys(stored.backports));
  for (const branch of branches) {
    const target = backportTargetOf(pr, branch.name);
    if (target) targets.add(target);
  }
  const names = new Set(branches.map((b) => b.name));
  const lines: BackportLine[] = [];
  for (const target of [...targets].sort()) {
    const branch = backportBranch(pr, target);
    const exists = names.has(branch);
    const pull =
      exists || stored.backports[target]?.kind === "opened"
        ? await github.findPullByHead(branch, "all")
        : null;
    lines.push({
      target,
      branch: exists ? branch : null,
      pull: pull ? pullRef(pull) : null,
      note: stored.backports[target] ?? null,
    });
  }
  return lines;
}

function storedOnly(stored: StoredRecord): BackportLine[] {
  return Object.entries(stored.backports)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([target, note]) => ({ target, branch: null, pull: null, note }));
}

async function deploySection(
  ctx: DeriveContext,
  pr: number,
  tag: string,
  deploy: DeployPolicy,
  stored: StoredRecord,
): Promise<DeploySection> {
  const { github } = ctx;
  const ours = (await github.listDeployments({ ref: tag }))
    .map(asHotfixDeployment)
    .filter((d): d is HotfixDeployment => d !== null && d.hotfix.pr === pr);
  const find = (stage: "staging" | "production") =>
    ours.find((d) => isStage(d, { pr, stage, tag, environment: deploy.environments[stage] })) ??
    null;
  const staging = await withStatuses(github, find("staging"));
  const production = await withStatuses(github, find("production"));

  let window: Extract<DeploySection, { kind: "on" }>["window"] = null;
  const live = production ? firstSuccess(production.statuses) : null;
  if (production && live && !stored.window) {
    const { signals, minutes } = deploy.monitor;
    const checked = signals.checks.length > 0;
    const [checkRuns, commitStatuses] = checked
      ? await Promise.all([
          github.listCheckRuns(production.sha),
          github.listStatuses(production.sha),
        ])
      : [[], []];
    const issues = [];
    for (const label of signals.labels)
      issues.push(...(await github.listIssuesWithLabel(label, live.createdAt)));
    window = judgeWindow({
      now: ctx.now,
      minutes,
      signals,
      statuses: production.statuses,
      checkRuns,
      commitStatuses,
      issues,
      ownAppId: ctx.ownAppId,
    });
  }

  let rollback: DeploymentFacts | null = null;
  let revertPull: PullRef | null = null;
  if (stored.rollback) {
    const previousTag = stored.rollback.previousTag;
    const found = (
      await github.listDeployments({
        ref: previousTag,
        environment: deploy.environments.production,
      })
    )
      .map(asHotfixDeployment)
      .find(
        (d): d is HotfixDeployment =>
          d !== null &&
          d.hotfix.pr === pr &&
          d.hotfix.stage === "rollback" &&
          d.hotfix.rollback_of === tag,
      );
    rollback = await withStatuses(github, found ?? null);
    if (deploy.rollback.revert_pr && !stored.rollback.revertFailure) {
      const pull = await github.findPullByHead(revertBranch(tag), "all");
      revertPull = pull ? pullRef(pull) : null;
    }
  }

  return {
    kind: "on",
    environments: deploy.environments,
    promote: deploy.promote,
    requiredContexts: deploy.required_contexts,
    monitorMinutes: deploy.monitor.minutes,
    watching: describeSignals(deploy.monitor.signals),
    staging,
    production,
    window,
    rollback,
    revertPull,
  };
}

async function withStatuses(
  github: GitHubPort,
  deployment: HotfixDeployment | null,
): Promise<DeploymentFacts | null> {
  if (!deployment) return null;
  const statuses = await github.listDeploymentStatuses(deployment.id);
  return {
    id: deployment.id,
    ref: deployment.ref,
    sha: deployment.sha,
    environment: deployment.environment,
    createdAt: deployment.createdAt,
    hotfix: deployment.hotfix,
    statuses,
  };
}
