/**
 * Every GraphQL document hotfix-bot sends, in one place: test/graphql/documents.test.ts
 * validates each against GitHub's published schema (`@octokit/graphql-schema`), as every REST
 * request is checked against GitHub's OpenAPI description. A new document belongs here.
 */

/** A PR's node id, head, merge state and its merge-queue entry. */
export const MERGE_QUEUE_STATE = /* GraphQL */ `
  query HotfixMergeQueueState($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        id
        merged
        headRefOid
        mergeCommit {
          oid
        }
        mergeQueueEntry {
          position
          state
          enqueuedAt
        }
      }
    }
  }
`;

/** Adds a PR to the merge queue, only on the judged head; `jump` asks for the front. */
export const ENQUEUE_PULL_REQUEST = /* GraphQL */ `
  mutation HotfixEnqueuePullRequest($pullId: ID!, $expectedHeadOid: GitObjectID!, $jump: Boolean!) {
    enqueuePullRequest(
      input: { pullRequestId: $pullId, expectedHeadOid: $expectedHeadOid, jump: $jump }
    ) {
      mergeQueueEntry {
        position
        state
      }
    }
  }
`;

export const GRAPHQL_DOCUMENTS: Readonly<Record<string, string>> = {
  HotfixMergeQueueState: MERGE_QUEUE_STATE,
  HotfixEnqueuePullRequest: ENQUEUE_PULL_REQUEST,
};
