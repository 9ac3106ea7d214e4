/**
 * Pure: what the release does about a required merge queue, from the PR's queue state as GitHub
 * shows it now. Never enqueue twice: a PR already in the queue is left where it is (its position
 * reported), a merged one continues the release, and only a PR that is in no queue, open and on
 * the judged head is added.
 */
import type { MergeQueueState } from "../github/port/merge-queue.js";

export type QueueDecision =
  | { kind: "merged"; sha: string }
  | { kind: "in-queue"; position: number }
  | { kind: "enqueue"; pullId: string }
  | { kind: "head-moved"; head: string }
  | { kind: "missing" };

export function decideQueue(state: MergeQueueState | null, judgedHead: string): QueueDecision {
  if (!state) return { kind: "missing" };
  if (state.merged && state.mergeCommitSha) return { kind: "merged", sha: state.mergeCommitSha };
  if (state.entry) return { kind: "in-queue", position: state.entry.position };
  if (state.headSha !== judgedHead) return { kind: "head-moved", head: state.headSha };
  return { kind: "enqueue", pullId: state.pullId };
}
