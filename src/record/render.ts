/**
 * Pure: the tracking comment is a rendering of the hotfix record — one line per stage, in the
 * lifecycle's order — followed by the hidden block of what GitHub cannot hold. Every time shown
 * comes from GitHub or from the stored block, never from the clock, so rendering the same record
 * twice gives the same text and a redelivered event writes nothing.
 */
import { restoreLine, restoreTimes } from "./restore.js";
import type {
  HotfixRecord,
  BackportLine,
  DeployOn,
  MergeQueueNote,
  ScheduledRelease,
} from "./schema.js";
import type { Stage, StageState } from "./stage.js";
import { writeStoredBlock } from "./stored-block.js";
import { latestReported, progressOf } from "./deployment-state.js";
import {
  awaitingPromotionStage,
  deploymentStage,
  formatTime,
  monitorStage,
  refusedStage,
  rollbackStage,
  skippedStage,
} from "./stage-text.js";
import { monitorExtraLines } from "./monitor-lines.js";
import { BACKPORT_COMMAND, PROMOTE_COMMAND, ROLLBACK_COMMAND } from "../commands/names.js";

export const TRACKING_MARKER = "<!-- hotfix-bot:tracking -->";

export interface StageLine {
  id: string;
  title: string;
  stage: Stage;
}

const ICON: Record<StageState, string> = {
  pending: "⬜",
  running: "⏳",
  done: "✅",
  failed: "❌",
  skipped: "➖",
};
const CHECKBOX: Record<StageState, string> = {
  pending: "[ ]",
  running: "[ ]",
  done: "[x]",
  failed: "[ ]",
  skipped: "[x]",
};

const short = (sha: string) => sha.slice(0, 7);

export function renderRecord(record: HotfixRecord): string {
  const lines = stagesOf(record).map(({ title, stage }) => {
    const text = stage.link ? `${stage.text} ([link](${stage.link}))` : stage.text;
    return `- ${CHECKBOX[stage.state]} ${ICON[stage.state]} **${title}** — ${text}`;
  });
  return [
    TRACKING_MARKER,
    "### 🚑 Hotfix release",
    "",
    ...lines,
    ...restoreLines(record),
    ...monitorExtraLines(record),
    "",
    "<sub>Kept up to date by hotfix-bot from what GitHub shows. Every step is safe to repeat: if something failed, fix what it says and comment the command again — finished steps are not redone.</sub>",
    writeStoredBlock(record.stored),
  ].join("\n");
}

/** Time to restore, once released with a linked issue (restore.ts). */
function restoreLines(record: HotfixRecord): string[] {
  const line = restoreLine(restoreTimes(record));
  return line ? ["", line] : [];
}

export function isTrackingComment(body: string): boolean {
  return body.startsWith(TRACKING_MARKER);
}

/** The lines of the comment, in the lifecycle's order. */
export function stagesOf(record: HotfixRecord): StageLine[] {
  return [...releaseStages(record), ...backportStages(record), ...deployStages(record)];
}

function scheduleStages(record: HotfixRecord): StageLine[] {
  const { scheduled, override } = record.stored;
  const lines: StageLine[] = [];
  if (scheduled)
    lines.push({ id: "scheduled", title: "Scheduled release", stage: scheduledStage(scheduled) });
  if (override) {
    lines.push({
      id: "override",
      title: "Schedule override",
      stage: {
        state: "done",
        text: `@${override.by} released outside the release schedule (${override.closed}) as ${override.via} (\`schedule.override\`: ${override.rule}): “${override.reason}”`,
        at: override.at,
      },
    });
  }
  return lines;
}

function scheduledStage(s: ScheduledRelease): Stage {
  const when = s.opens ? ` (${s.opens})` : "";
  switch (s.state) {
    case "queued":
      return {
        state: "running",
        text: `queued by @${s.by} on ${short(s.headSha)} at ${formatTime(s.at)}: released when the release schedule opens${when}, after the final check is made again. \`${s.command} --cancel\` withdraws it`,
        at: s.at,
      };
    case "withdrawn":
      return {
        state: "skipped",
        text: `queued by @${s.by}, withdrawn by @${s.endedBy ?? "someone"} at ${formatTime(s.endedAt ?? s.at)}`,
        at: s.endedAt ?? s.at,
      };
    case "dropped":
      return {
        state: "failed",
        text: `queued by @${s.by}, not released at ${formatTime(s.endedAt ?? s.at)}: ${s.why ?? "the final check failed"}`,
        at: s.endedAt ?? s.at,
      };
    case "ran":
      return {
        state: "done",
        text: `queued by @${s.by}, released by the sweep at ${formatTime(s.endedAt ?? s.at)} when the release schedule opened`,
        at: s.endedAt ?? s.at,
      };
  }
}

/** The merge while GitHub's merge queue has the PR, or after it removed it. */
function queueStage(note: MergeQueueNote | undefined): Stage | null {
  if (note?.state === "queued")
    return {
      state: "running",
      text: `queued (position ${note.position}${note.jump ? ", at the front: `release.merge_queue: jump`" : ""}) in GitHub's merge queue by @${note.by} at ${formatTime(note.at)}; the release continues when the queue merges it`,
      at: note.at,
    };
  if (note?.state === "dequeued")
    return {
      state: "failed",
      text: `removed from GitHub's merge queue${note.reason ? ` (${note.reason})` : ""} at ${formatTime(note.endedAt ?? note.at)}; comment the release command again to add it back`,
      at: note.endedAt ?? note.at,
    };
  return null;
}

function releaseStages(record: HotfixRecord): StageLine[] {
  const { stored, merged, tag, release } = record;
  const request = stored.release;
  const failure = stored.releaseFailure;
  if (!request && !tag && !failure) return scheduleStages(record);
  const failedAt = (step: "merge" | "tag" | "release"): Stage | null =>
    failure?.step === step ? { state: "failed", text: failure.reason, at: failure.at } : null;
  const lines: StageLine[] = [...scheduleStages(record)];
  if (request) {
    lines.push({
      id: "gate",
      title: "Final check",
      stage: {
        state: "done",
        text: request.headSha
          ? `all requirements met on ${short(request.headSha)}`
          : "all requirements met",
        at: request.at,
      },
    });
  }
  lines.push({
    id: "merge",
    title: "Merged",
    stage: merged
      ? { state: "done", text: `merged into \`${record.base}\` as ${short(merged.sha)}` }
      : (failedAt("merge") ??
        queueStage(stored.mergeQueue) ?? { state: "pending", text: "not merged yet" }),
  });
  lines.push({
    id: "tag",
    title: "Tagged",
    stage: tag
      ? { state: "done", text: `\`${tag.name}\` on ${short(tag.commitSha)}` }
      : (failedAt("tag") ?? { state: "pending", text: "not tagged yet" }),
  });
  lines.push({
    id: "release",
    title: "Released",
    stage:
      tag && release
        ? {
            state: "done",
            text: `${release.draft ? "draft release" : "release"} ${tag.name}`,
            link: release.url,
          }
        : (failedAt("release") ?? { state: "pending", text: "not published yet" }),
  });
  return lines;
}

function backportStages(record: HotfixRecord): StageLine[] {
  return [...record.backports]
    .sort((a, b) => a.target.localeCompare(b.target))
    .map((line) => ({
      id: `backport:${line.target}`,
      title: `Backport to \`${line.target}\``,
      stage: backportStage(line, repoUrlOf(record)),
    }));
}

export function backportStage(line: BackportLine, repoUrl = ""): Stage {
  const { pull, note } = line;
  if (pull) {
    if (pull.merged) return { state: "done", text: `#${pull.number} merged`, link: pull.url };
    if (pull.state === "closed")
      return {
        state: "skipped",
        text: `#${pull.number} was closed without merging`,
        link: pull.url,
      };
    if (pull.draft)
      return {
        state: "pending",
        text: `draft #${pull.number} has conflicts for a human to resolve`,
        link: pull.url,
      };
    const problems =
      note?.kind === "opened" && note.problems ? ` (${note.problems.join("; ")})` : "";
    return { state: "done", text: `#${pull.number}${problems}`, link: pull.url };
  }
  switch (note?.kind) {
    case "opened":
      // The PR is not found by its branch any more (deleted after the merge, or the PR too).
      return { state: "done", text: `#${note.number}`, link: `${repoUrl}/pull/${note.number}` };
    case "already-present":
      return { state: "done", text: `already on \`${line.target}\`: ${note.reason}`, at: note.at };
    case "failed":
      return { state: "failed", text: note.reason, at: note.at };
    case "conflict-comment":
      return {
        state: "pending",
        text: `conflicts in ${note.files.map((f) => `\`${f}\``).join(", ")}: finish by hand (see comment)`,
        link: note.link,
        at: note.at,
      };
    case "no-branch":
      return {
        state: "skipped",
        text: `no branch matches \`${line.target}\` (policy \`backport.branches\`)`,
        at: note.at,
      };
    case "queued":
      return { state: "pending", text: "queued", at: note.at };
    case undefined:
      return {
        state: "failed",
        text: `the branch \`${line.branch ?? "?"}\` exists but no PR was opened (the run was interrupted): comment \`${BACKPORT_COMMAND} ${line.target}\` to finish`,
      };
  }
}

function deployStages(record: HotfixRecord): StageLine[] {
  const { deploy } = record;
  if (deploy.kind === "not-released") return [];
  if (deploy.kind === "off") return [{ id: "deploy", title: "Deploy", stage: skippedStage() }];
  const tag = record.tag?.name ?? "";
  const fallbackLink = `${repoUrlOf(record)}/deployments`;
  const lines: StageLine[] = [];
  const refusal = record.stored.deployRefusal;
  const refused = (stage: "staging" | "production") =>
    refusal?.stage === stage
      ? refusedStage({
          tag,
          environment: deploy.environments[stage],
          refusal: { created: false, status: refusal.status, message: refusal.message },
          requiredContexts: deploy.requiredContexts,
        })
      : null;

  const staging = deploy.staging;
  const stagingStatus = staging ? latestReported(staging.statuses) : null;
  lines.push({
    id: "deploy:staging",
    title: `Deploy to ${deploy.environments.staging}`,
    stage: staging
      ? deploymentStage({ tag, deployment: staging, status: stagingStatus, fallbackLink })
      : (refused("staging") ?? {
          state: "pending",
          text: `\`${tag}\` is not deployed yet: comment \`${PROMOTE_COMMAND}\` to start`,
        }),
  });

  const production = deploy.production;
  const stagingLive = progressOf(stagingStatus) === "success";
  if (production) {
    const status = latestReported(production.statuses);
    lines.push({
      id: "deploy:production",
      title: `Deploy to ${deploy.environments.production}`,
      stage: deploymentStage({ tag, deployment: production, status, fallbackLink }),
    });
  } else if (refusal?.stage === "production") {
    lines.push({
      id: "deploy:production",
      title: `Deploy to ${deploy.environments.production}`,
      stage: refused("production") as Stage,
    });
  } else if (stagingLive && stagingStatus) {
    lines.push({
      id: "deploy:production",
      title: `Deploy to ${deploy.environments.production}`,
      stage:
        deploy.promote === "manual"
          ? awaitingPromotionStage(deploy.environments.production, stagingStatus.createdAt)
          : {
              state: "pending",
              text: `starting: \`${tag}\` → \`${deploy.environments.production}\``,
            },
    });
  }

  const monitor = monitorLine(record, deploy);
  if (monitor) lines.push({ id: "monitor", title: "Monitoring", stage: monitor });
  const rollback = rollbackLine(record, deploy, fallbackLink);
  if (rollback) lines.push({ id: "rollback", title: "Rollback", stage: rollback });
  return lines;
}

const rollbackHint = `Comment \`${ROLLBACK_COMMAND}\` to deploy the previous release of the line to production.`;

function monitorLine(record: HotfixRecord, deploy: DeployOn): Stage | null {
  const closed = record.stored.window;
  if (closed) {
    if (closed.state === "rolled-back")
      return {
        state: "failed",
        text: `hotfix ${closed.what} at ${formatTime(closed.at)}`,
        at: closed.at,
      };
    if (closed.state === "inconclusive")
      return {
        state: "skipped",
        text: `⚠️ closed **inconclusive** at ${formatTime(closed.at)} — neither passed nor failed: ${closed.what}. Check production yourself; ${rollbackHint}`,
        at: closed.at,
      };
    return closed.state === "clean"
      ? {
          state: "done",
          text: `closed clean at ${formatTime(closed.at)}: ${closed.what}`,
          at: closed.at,
        }
      : {
          state: "failed",
          text: `hotfix failed at ${formatTime(closed.at)}: ${closed.what}. ${rollbackHint}`,
          ...(closed.link ? { link: closed.link } : {}),
          at: closed.at,
        };
  }
  if (!deploy.window || deploy.window.state === "not-started") return null;
  return monitorStage({
    verdict: deploy.window,
    minutes: deploy.monitorMinutes,
    watching: deploy.watching,
    rollbackHint,
  });
}

function rollbackLine(record: HotfixRecord, deploy: DeployOn, fallbackLink: string): Stage | null {
  const asked = record.stored.rollback;
  if (!asked && !deploy.rollback) return null;
  const revert = asked?.revertFailure
    ? `no revert PR: ${asked.revertFailure}`
    : deploy.revertPull
      ? `revert PR [#${deploy.revertPull.number}](${deploy.revertPull.url})`
      : "";
  if (!deploy.rollback) {
    return {
      state: "pending",
      text: `asked by @${asked?.by ?? "someone"}: \`${asked?.previousTag ?? ""}\` → \`${deploy.environments.production}\` not deployed yet${revert ? `; ${revert}` : ""}`,
      ...(asked ? { at: asked.at } : {}),
    };
  }
  return rollbackStage({
    previousTag: deploy.rollback.hotfix.tag,
    deployment: deploy.rollback,
    status: latestReported(deploy.rollback.statuses),
    requestedBy: deploy.rollback.hotfix.requested_by || asked?.by || "someone",
    fallbackLink,
    revert,
  });
}

/** `https://github.com/owner/repo` (or the Enterprise host), from the PR's page. */
export function repoUrlOf(record: Pick<HotfixRecord, "url">): string {
  const at = record.url.lastIndexOf("/pull/");
  return at > 0 ? record.url.slice(0, at) : record.url;
}
