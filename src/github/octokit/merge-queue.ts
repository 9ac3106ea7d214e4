import type { EnqueueOutcome, MergeQueues, QueueEntryState } from "../port/merge-queue.js";
import type { RepoRef } from "../port.js";
import { ENQUEUE_PULL_REQUEST, MERGE_QUEUE_STATE } from "./graphql-documents.js";
import type { Octokit, Sender } from "./types.js";

interface StateAnswer {
  repository: {
    pullRequest: {
      id: string;
      merged: boolean;
      headRefOid: string;
      mergeCommit: { oid: string } | null;
      mergeQueueEntry: { position: number; state: QueueEntryState; enqueuedAt: string } | null;
    } | null;
  } | null;
}

interface EnqueueAnswer {
  enqueuePullRequest: {
    mergeQueueEntry: { position: number; state: QueueEntryState } | null;
  } | null;
}

/** GitHub answers a refused mutation with 200 and `errors`; Octokit throws GraphqlResponseError. */
function graphqlErrors(error: unknown): string | null {
  const errors = (error as { errors?: { message?: string }[] } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return errors.map((e) => e.message ?? "GraphQL error").join("; ");
}

export function mergeQueueAdapter(octokit: Octokit, repo: RepoRef, send: Sender): MergeQueues {
  return {
    async mergeQueueState(pullNumber) {
      let data: StateAnswer;
      try {
        data = await send("POST /graphql HotfixMergeQueueState", () =>
          octokit.graphql<StateAnswer>(MERGE_QUEUE_STATE, {
            owner: repo.owner,
            repo: repo.repo,
            number: pullNumber,
          }),
        );
      } catch (error) {
        // "Could not resolve to a PullRequest": no such PR. Other errors are real failures.
        const message = graphqlErrors(error);
        if (message && /could not resolve/i.test(message)) return null;
        throw error;
      }
      const pull = data.repository?.pullRequest;
      if (!pull) return null;
      return {
        pullId: pull.id,
        merged: pull.merged,
        mergeCommitSha: pull.mergeCommit?.oid ?? null,
        headSha: pull.headRefOid,
        entry: pull.mergeQueueEntry,
      };
    },
    async enqueuePull(input): Promise<EnqueueOutcome> {
      try {
        const data = await send("POST /graphql HotfixEnqueuePullRequest", () =>
          octokit.graphql<EnqueueAnswer>(ENQUEUE_PULL_REQUEST, {
            pullId: input.pullId,
            expectedHeadOid: input.expectedHeadSha,
            jump: input.jump,
          }),
        );
        const entry = data.enqueuePullRequest?.mergeQueueEntry;
        if (!entry) return { enqueued: false, message: "GitHub returned no merge-queue entry" };
        return { enqueued: true, position: entry.position, state: entry.state };
      } catch (error) {
        const message = graphqlErrors(error);
        if (message) return { enqueued: false, message };
        throw error;
      }
    },
  };
}
