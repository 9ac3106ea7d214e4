/**
 * One step of a hotfix's lifecycle, done by its one writer: take the hotfix's lock, derive the
 * record from GitHub, let the step decide and act, then derive again and write the tracking
 * comment if what it shows changed. Every lifecycle writer — a release, a backport target, a
 * deployment event, a command, the sweep — goes through here, so none of them ever writes the
 * comment from a copy read before another writer's changes.
 *
 * The lock is held for one step, not for a whole run: a release's backports are steps of their
 * own, so a deployment event arriving meanwhile waits for one backport, not for all of them.
 */
import type { GitHubPort } from "../github/port.js";
import type { Policy } from "../policy/schema.js";
import { hotfixKey, type HotfixLocks } from "../lock/hotfix-lock.js";
import { noticeBody, writeTrackingComment } from "./comment.js";
import { deriveRecord, type Derived, type Hints } from "./derive.js";
import { renderRecord } from "./render.js";
import type { HotfixRecord, StoredRecord } from "./schema.js";
import type { PullRequest } from "../github/model.js";
import type { Integrations } from "../integrations/environment.js";
import { endStep } from "./step-end.js";

export interface StepContext {
  github: GitHubPort;
  policy: Policy;
  locks: HotfixLocks;
  ownAppId: number | null;
  now: () => Date;
  /**
   * Called once the step is done and the hotfix's lock is released, with the record derived
   * before the step and the one derived after it (a release line re-evaluates its other
   * hotfixes when one of them moved on: src/gate/regate-line.ts).
   */
  afterStep?: (change: StepChange) => Promise<void>;
  /** Prometheus servers and notification receivers; default: the app's environment. */
  integrations?: Integrations;
}

/** What one step of a hotfix ended with. */
export interface StepChange {
  /** The record derived when the step began, and when it ended. */
  before: HotfixRecord;
  after: HotfixRecord;
  /**
   * Whether the tracking comment was written: what it shows changed — by this step, or by
   * something that happened on GitHub since the last step (a deployer's status, a signal).
   */
  shownChanged: boolean;
}

export interface HotfixStep {
  readonly github: GitHubPort;
  readonly policy: Policy;
  /** The record as derived while holding the lock (refreshed by `refresh`). */
  readonly record: HotfixRecord;
  /** The PR as GitHub showed it then. */
  readonly pull: PullRequest;
  /** The tracking comment's address, once it exists. */
  readonly trackingUrl: string | null;
  now(): Date;
  /** Changes what the comment stores; written at the end of the step. */
  store(change: (stored: StoredRecord) => StoredRecord): void;
  /**
   * Posts a notice to the PR once ever: nothing when one with `key` was posted already. Returns
   * whether it posted now, and the notice's address.
   */
  notify(key: string, text: string): Promise<{ posted: boolean; url: string | null }>;
  /** Derives the record again (after this step's own writes changed GitHub). */
  refresh(): Promise<HotfixRecord>;
}

export async function stepHotfix<T>(
  ctx: StepContext,
  pr: number,
  work: (step: HotfixStep) => Promise<T>,
  options: { hints?: Hints } = {},
): Promise<T> {
  return (await runHotfixStep(ctx, pr, work, options)).value;
}

/**
 * `stepHotfix`, also returning what the step ended with: the tracking comment's address (once
 * written) and the PR as last derived (merged, when the step merged it).
 */
export async function runHotfixStep<T>(
  ctx: StepContext,
  pr: number,
  work: (step: HotfixStep) => Promise<T>,
  options: { hints?: Hints } = {},
): Promise<{ value: T; trackingUrl: string | null; pull: PullRequest }> {
  const { github, locks, now } = ctx;
  let change: StepChange | null = null;
  const ended = await locks.hold(hotfixKey(github.repo, pr), async () => {
    let stored: StoredRecord | undefined;
    const derive = (previous?: Derived) =>
      deriveRecord({ github, policy: ctx.policy, now: now(), ownAppId: ctx.ownAppId }, pr, {
        previous,
        comments: previous?.comments,
        stored,
        hints: options.hints,
      });
    let derived = await derive();
    stored = derived.record.stored;
    const before = derived.record;
    let storedChanged = false;
    let storedSinceDerive = false;
    /** GitHub writes made when the record was last derived. */
    let derivedAt = github.writeCount();
    const step: HotfixStep = {
      github,
      policy: ctx.policy,
      get record() {
        return { ...derived.record, stored: stored as StoredRecord };
      },
      get pull() {
        return derived.pull;
      },
      get trackingUrl() {
        return derived.comments.tracking?.url ?? null;
      },
      now,
      store(change) {
        const next = change(stored as StoredRecord);
        if (JSON.stringify(next) !== JSON.stringify(stored)) {
          stored = next;
          storedChanged = true;
          storedSinceDerive = true;
        }
      },
      async notify(key, text) {
        const known = derived.comments.noticeUrls[key];
        if (known !== undefined) return { posted: false, url: known };
        const comment = await github.createComment(pr, noticeBody(key, text));
        derived = {
          ...derived,
          comments: {
            ...derived.comments,
            notices: [...derived.comments.notices, key],
            noticeUrls: { ...derived.comments.noticeUrls, [key]: comment.url },
          },
          record: { ...derived.record, notices: [...derived.record.notices, key] },
        };
        return { posted: true, url: comment.url };
      },
      async refresh() {
        derived = await derive(derived);
        derivedAt = github.writeCount();
        storedSinceDerive = false;
        return step.record;
      },
    };

    let failure: unknown = null;
    let shownChanged = false;
    let result: T | undefined;
    try {
      result = await work(step);
    } catch (error) {
      failure = error;
    }
    // What the step did is shown even when it failed midway (a deployment was created, then
    // GitHub answered 502): the comment follows GitHub, not the step's plan.
    try {
      // Derived again when this step changed GitHub or what is stored (a stored tag is looked up).
      if (github.writeCount() !== derivedAt || storedSinceDerive) derived = await derive(derived);
      // What every step ends with (the release's evidence, notifications: src/record/step-end.ts),
      // under the lock.
      const ended = await endStep({
        github,
        record: { ...derived.record, stored: stored as StoredRecord },
        policy: ctx.policy,
        repository: `${github.repo.owner}/${github.repo.repo}`,
        now,
        integrations: ctx.integrations,
      });
      if (ended && JSON.stringify(ended) !== JSON.stringify(stored)) {
        stored = ended;
        storedChanged = true;
      }
      const record = { ...derived.record, stored: stored as StoredRecord };
      const body = renderRecord(record);
      const shown = derived.comments.tracking?.body;
      const hasAnything = shown !== undefined || storedChanged || hasStages(record);
      if (body !== shown && hasAnything) {
        shownChanged = true;
        const comment = await writeTrackingComment(github, pr, derived.comments, body);
        derived = {
          ...derived,
          comments: { ...derived.comments, tracking: comment, duplicates: [] },
        };
      }
    } catch (error) {
      if (failure === null) throw error;
    }
    if (failure !== null) throw failure;
    change = { before, after: step.record, shownChanged };
    return { value: result as T, trackingUrl: step.trackingUrl, pull: step.pull };
  });
  if (change && ctx.afterStep) await ctx.afterStep(change);
  return ended;
}

/** A PR hotfix-bot never acted on gets no tracking comment. */
function hasStages(record: HotfixRecord): boolean {
  return (
    record.stored.release !== undefined ||
    record.tag !== null ||
    record.backports.length > 0 ||
    record.stored.releaseFailure !== undefined ||
    record.stored.scheduled !== undefined
  );
}
