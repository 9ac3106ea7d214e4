/**
 * What happens to one PR when something that can change its verdict happens: recognise it as
 * a hotfix (or leave it alone at no write), label it when recognised by branch only, and
 * publish the gate — or, with a broken policy, publish only the policy's problems.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import type { PolicyLoad } from "../policy/load.js";
import { policySchema } from "../policy/schema.js";
import { labelToAdd, recogniseHotfix } from "./recognise.js";
import { runGate } from "./evaluate-pull.js";
import { GATE_CHECK_NAME, renderPolicyProblems } from "./render.js";
import { ownRun, publishCheckRun } from "./check-run.js";
import type { LineSnapshot } from "../line/snapshot.js";
import { lineLockKey } from "../line/line-key.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";

export interface GateOptions {
  ownAppId: number | null;
  /** Add the hotfix label to a PR recognised by branch only (on opened / reopened). */
  label?: boolean;
  force?: boolean;
  /** The app's clock: the release schedule, and the line's monitoring windows. */
  now: () => Date;
  /** The PR's release line, already read by a caller judging several PRs of it. */
  line?: LineSnapshot;
  /**
   * With `concurrency: one_per_line`, the gate is judged and written holding the line's lock,
   * so the gates of a line's hotfixes are never written from a view older than another's.
   */
  locks?: HotfixLocks;
  /** The PR was just marked ready for review: ask the missing approvers (drafts are not asked). */
  readyForReview?: boolean;
}

/** Recognition while the policy is broken: the defaults, so hotfix PRs still see the error. */
const DEFAULT_RECOGNITION = policySchema.parse({}).hotfix;

export async function gatePull(
  github: GitHubPort,
  pull: PullRequest,
  load: Exclude<PolicyLoad, { state: "absent" }>,
  options: GateOptions,
): Promise<string> {
  if (pull.state !== "open") return `#${pull.number} skipped: closed`;
  if (load.state === "invalid") {
    if (!recogniseHotfix(pull, DEFAULT_RECOGNITION).hotfix)
      return `#${pull.number} skipped: policy invalid`;
    const runs = await github.listCheckRuns(pull.head.sha);
    const write = await publishCheckRun(github, {
      sha: pull.head.sha,
      name: GATE_CHECK_NAME,
      output: renderPolicyProblems(load.problems),
      current: ownRun(runs, GATE_CHECK_NAME, options.ownAppId),
      ...(options.force ? { force: true } : {}),
    });
    return `#${pull.number} policy invalid (${load.problems.length} problems), check ${write}`;
  }
  const { policy, files } = load;
  const recognition = recogniseHotfix(pull, policy.hotfix);
  if (!recognition.hotfix) return `#${pull.number} not a hotfix`;
  const label = options.label ? labelToAdd(recognition, policy.hotfix) : null;
  if (label) await github.addLabels(pull.number, [label]);
  const judge = () =>
    runGate(
      github,
      pull,
      {
        policy,
        policyFiles: files,
        ownAppId: options.ownAppId,
        now: options.now,
        ...(options.line ? { line: options.line } : {}),
      },
      {
        ...(options.force ? { force: true } : {}),
        ...(options.readyForReview ? { readyForReview: true } : {}),
      },
    );
  const { locks } = options;
  const { verdict, write, asked } =
    locks && policy.concurrency === "one_per_line"
      ? await locks.hold(lineLockKey(github.repo, pull.base.ref, policy), judge)
      : await judge();
  return `#${pull.number} hotfix (${recognition.reason}): ${verdict.state}, check ${write}${label ? `, labelled ${label}` : ""}${asked ? `; ${asked}` : ""}`;
}
