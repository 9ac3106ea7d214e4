/**
 * Pure: what `/release-hotfix` will do, from facts already read — the PR, the hotfix record, the
 * final check's verdict, the version choice and the backport targets. The real run executes this
 * plan (`execute.ts`); `--dry-run` shows it (`plan-text.ts`): both come from the same decision,
 * so the dry run cannot promise what the release would not do.
 */
import type { PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import type { GateVerdict } from "../gate/evaluate.js";
import { unmetRequirements } from "../gate/evaluate.js";
import type { RequirementResult } from "../gate/requirement.js";
import type { HotfixRecord, ScheduleOverride } from "../record/schema.js";
import { SCHEDULE_REQUIREMENT } from "../gate/requirements/schedule.js";
import { describeRule } from "../access/rules.js";
import { isHighestRelease } from "../versions/version.js";
import type { VersionChoice } from "./choose-version.js";

export type MergeMethod = "squash" | "merge" | "rebase";

export interface ReleaseFacts {
  pull: PullRequest;
  record: HotfixRecord;
  /** The final check; null when the hotfix is already released (nothing left to check). */
  verdict: GateVerdict | null;
  choice: VersionChoice;
  policy: Policy;
  /** Existing branches the fix is carried to after the release, and patterns matching none. */
  backports: { targets: string[]; unmatched: string[] };
  /** Whether the recognised PR is a hotfix, and why not. */
  hotfix: { ok: true } | { ok: false; reason: string };
  /** GitHub requires its merge queue for the base (hotfix-bot may not bypass it). */
  mergeQueue?: { jump: boolean } | null;
}

export type MergeStep =
  | { kind: "done"; sha: string }
  | {
      kind: "merge";
      method: MergeMethod;
      headSha: string;
      title: string;
      /** Through GitHub's merge queue (it merges with its own method), at the front with `jump`. */
      queue?: { jump: boolean };
    };

export type TagStep =
  | { kind: "keep"; tag: string; version: string }
  | { kind: "create"; tag: string; version: string; message: string; why: string };

export type PublishStep =
  | { kind: "keep"; url: string }
  | {
      kind: "publish";
      tag: string;
      version: string;
      previousTag: string;
      line: string;
      draft: boolean;
      latest: boolean;
    };

/** What the person asked for about the release schedule (see `onReleaseCommand`). */
export interface ScheduleRequest {
  /** Granted: the person may release outside the schedule (authorised by `schedule.override`). */
  override?: { reason: string; rule: string; via: string } | null;
  /** Queue the release instead of refusing when only the schedule stands in the way. */
  queue?: boolean;
}

export type ReleasePlan =
  | {
      /** Only the schedule stands in the way: keep the intent, release when it opens. */
      kind: "queue";
      headSha: string;
      /** What the schedule says now, and when it opens next (null: not known). */
      closed: string;
      opens: string | null;
    }
  | {
      kind: "refuse";
      /** Short, for the log line. */
      reason: string;
      /** The reply to the person who asked. */
      reply: string;
    }
  | {
      kind: "release";
      merge: MergeStep;
      tag: TagStep;
      publish: PublishStep;
      /** The final check's requirements (for the release notes' approvals). */
      requirements: RequirementResult[];
      backports: ReleaseFacts["backports"];
      deploy: boolean;
      /** Everything was done already: a repeated command. */
      alreadyReleased: boolean;
      /** Released outside the schedule by an override (recorded; in the release notes). */
      override: Omit<ScheduleOverride, "at"> | null;
    };

const short = (sha: string) => sha.slice(0, 7);

export function planRelease(
  facts: ReleaseFacts,
  actor: string,
  request: ScheduleRequest = {},
): ReleasePlan {
  const { pull, record, verdict, choice, policy } = facts;
  const command = policy.release.command;
  if (!facts.hotfix.ok) return refuse("not a hotfix", `@${actor} ${facts.hotfix.reason}`);
  if (pull.state === "closed" && !pull.merged) {
    return refuse(
      "closed unmerged",
      `@${actor} this PR was closed without being merged; reopen it before releasing.`,
    );
  }
  const alreadyReleased = record.tag !== null && record.release !== null;
  let override: Omit<ScheduleOverride, "at"> | null = null;
  if (verdict) {
    const all = unmetRequirements(verdict);
    const schedule = all.find((r) => r.id === SCHEDULE_REQUIREMENT);
    // A release this app already started (merged it) is finished whatever the hour: the
    // schedule governs when a release starts, not the steps left after a failure.
    const started = record.stored.release !== undefined && pull.merged;
    const unmet =
      schedule && (started || request.override) ? all.filter((r) => r !== schedule) : all;
    if (unmet.length === 1 && unmet[0] === schedule && schedule) {
      return scheduleClosed(facts, actor, schedule, request, verdict.headSha);
    }
    if (schedule && request.override && !started && unmet.length === 0) {
      override = { by: actor, ...request.override, closed: schedule.reason };
    }
    if (unmet.length > 0) {
      return refuse(
        `gate unmet: ${unmet.map((r) => r.id).join(", ")}`,
        [
          `@${actor} not released: the hotfix policy is not met on ${short(verdict.headSha)}. Missing:`,
          "",
          ...unmet.map(
            (r) => `- ${r.state === "failed" ? "❌" : "⏳"} **${r.title}**: ${r.reason}`,
          ),
          "",
          `Comment \`${command}\` again once these are resolved.`,
        ].join("\n"),
      );
    }
  }

  let merge: MergeStep;
  if (pull.merged && pull.mergeCommitSha) merge = { kind: "done", sha: pull.mergeCommitSha };
  else if (policy.release.merge_method === "none") {
    return refuse(
      "merge_method none",
      `@${actor} not released: the policy's \`release.merge_method\` is \`none\`, so the PR must be merged before releasing. Merge it, then comment \`${command}\` again.`,
    );
  } else {
    merge = {
      kind: "merge",
      method: policy.release.merge_method,
      headSha: verdict?.headSha ?? pull.head.sha,
      title: `${pull.title} (#${pull.number})`,
      ...(facts.mergeQueue ? { queue: facts.mergeQueue } : {}),
    };
  }

  if (!choice.ok && record.tag === null)
    return refuse("no version", `@${actor} not released: ${choice.reason}`);
  const tag: TagStep =
    record.tag !== null || !choice.ok
      ? { kind: "keep", tag: record.tag?.name ?? "", version: record.tag?.version ?? "" }
      : choice.alreadyTagged
        ? { kind: "keep", tag: choice.tag, version: choice.version }
        : {
            kind: "create",
            tag: choice.tag,
            version: choice.version,
            message: tagMessage(choice.tag, pull),
            why: choice.reason,
          };
  const publish: PublishStep = record.release
    ? { kind: "keep", url: record.release.url }
    : {
        kind: "publish",
        tag: tag.tag,
        version: tag.version,
        previousTag: (choice.ok && choice.previousTag) || "the previous release",
        line: (choice.ok && choice.line) || pull.base.ref,
        draft: policy.release.draft,
        latest: choice.ok && isHighestRelease(tag.version, choice.tags, policy.release.tag),
      };
  return {
    kind: "release",
    merge,
    tag,
    publish,
    requirements: verdict?.requirements ?? [],
    backports: facts.backports,
    deploy: policy.deploy !== undefined,
    alreadyReleased,
    override,
  };
}

/** The annotated tag's message. */
export function tagMessage(tag: string, pull: Pick<PullRequest, "number" | "title">): string {
  return `${tag}\n\nHotfix #${pull.number}: ${pull.title}`;
}

/** Only the schedule is unmet: queue it when asked to, else say when and what may be done. */
function scheduleClosed(
  facts: ReleaseFacts,
  actor: string,
  schedule: RequirementResult,
  request: ScheduleRequest,
  headSha: string,
): ReleasePlan {
  const { policy, pull } = facts;
  const command = policy.release.command;
  const decision = facts.verdict?.schedule;
  const opens = decision && !decision.open ? decision.opensText : null;
  if (request.queue && !pull.merged) {
    return { kind: "queue", headSha, closed: schedule.reason, opens };
  }
  const rule = policy.schedule.override;
  const options = [
    pull.merged
      ? `The PR is merged already, so it cannot be queued: comment \`${command}\` again once the schedule opens.`
      : `Comment \`${command} --when-open\` to release it when the schedule opens (the final check is made again first).`,
    rule
      ? `\`${command} --override "reason"\` releases it now, recorded with the reason; that is allowed to ${describeRule(rule)} (policy key \`schedule.override\`).`
      : "No one may release outside the schedule: the policy has no `schedule.override`.",
  ];
  return refuse(
    "outside the release schedule",
    [
      `@${actor} not released: the release schedule is closed for \`${pull.base.ref}\` — ${schedule.reason}.`,
      "",
      ...options.map((o) => `- ${o}`),
    ].join("\n"),
  );
}

function refuse(reason: string, reply: string): ReleasePlan {
  return { kind: "refuse", reason, reply };
}
