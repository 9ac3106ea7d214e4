/**
 * GitHub's merge queue, which only GraphQL reaches: a PR's place in its base branch's queue, and
 * adding it (`enqueuePullRequest`). A refusal is an answer with GitHub's message, not an
 * exception; so is a PR that does not exist (null).
 */
export type QueueEntryState = "AWAITING_CHECKS" | "LOCKED" | "MERGEABLE" | "QUEUED" | "UNMERGEABLE";

export interface MergeQueueState {
  /** The PR's GraphQL node id, which the mutation needs. */
  pullId: string;
  merged: boolean;
  mergeCommitSha: string | null;
  headSha: string;
  /** Its entry while it is in the queue; null when it is not. */
  entry: { position: number; state: QueueEntryState; enqueuedAt: string } | null;
}

export type EnqueueOutcome =
  | { enqueued: true; position: number; state: QueueEntryState }
  | { enqueued: false; message: string };

export interface MergeQueues {
  mergeQueueState(pullNumber: number): Promise<MergeQueueState | null>;
  /**
   * Adds the PR to its base branch's merge queue — only if its head is still `expectedHeadSha`
   * (GitHub refuses otherwise), at the front with `jump`.
   */
  enqueuePull(input: {
    pullId: string;
    expectedHeadSha: string;
    jump: boolean;
  }): Promise<EnqueueOutcome>;
}
