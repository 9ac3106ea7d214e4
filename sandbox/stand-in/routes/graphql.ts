/**
 * GitHub's GraphQL endpoint (`POST /graphql`; `/api/graphql` on GitHub Enterprise), answering
 * the operations hotfix-bot sends — each request's document is validated against GitHub's
 * schema by the request checker, like REST — and the **merge queue** behind them:
 *
 * - `HotfixMergeQueueState`: a PR's node id, head, merge state and queue entry (position, state).
 * - `HotfixEnqueuePullRequest` (`enqueuePullRequest`): refused, as GitHub refuses, when the base
 *   branch has no merge queue, the PR is closed, a draft, already queued, its head is not
 *   `expectedHeadOid`, or a rule other than the queue is not met; `jump` puts it at the front.
 *   GitHub then sends `pull_request.enqueued`.
 * - What the queue does, driven by a test or the sandbox: `mergeQueue(hub).mergeNext(repo, base)`
 *   merges the front entry as `github-merge-queue[bot]` with the queue's merge method (GitHub
 *   sends `pull_request.closed`, merged), `dequeue(repo, pr, reason)` removes an entry and sends
 *   `pull_request.dequeued` with the reason.
 */
import type { Hub } from "../hub.js";
import type { RepoState } from "../model.js";
import { HttpError, type RouteContext, type RouteModule, type StandInWorld } from "../router.js";
import { bodyOf } from "./common.js";
import { branchRules } from "./rules.js";
import picomatch from "picomatch";

export const MERGE_QUEUE_BOT = "github-merge-queue[bot]";

export interface QueueEntry {
  pr: number;
  headSha: string;
  jump: boolean;
  enqueuedAt: string;
  by: string;
}

/** One repository's queues: base branch → entries, front first. */
type Queues = Map<string, QueueEntry[]>;
const states = new WeakMap<Hub, Map<string, Queues>>();

function queuesOf(hub: Hub, repo: RepoState): Queues {
  let byRepo = states.get(hub);
  if (!byRepo) states.set(hub, (byRepo = new Map()));
  const key = `${repo.owner}/${repo.name}`.toLowerCase();
  let queues = byRepo.get(key);
  if (!queues) byRepo.set(key, (queues = new Map()));
  return queues;
}

const pullId = (repo: RepoState, number: number) =>
  `PR_${Buffer.from(`${repo.owner}/${repo.name}#${number}`).toString("base64url")}`;

/** The queue's merge method for a branch, from its ruleset's `merge_queue` rule; null: none. */
function queueMethod(hub: Hub, repo: RepoState, base: string): string | null {
  for (const set of branchRules(hub, repo.owner, repo.name).rulesets) {
    if (!set.branches.some((glob) => picomatch.isMatch(base, glob))) continue;
    const rule = set.rules.find((r) => r.type === "merge_queue");
    if (rule) return String(rule.parameters?.merge_method ?? "MERGE").toLowerCase();
  }
  return null;
}

export interface MergeQueueControl {
  entries(repo: RepoState, base: string): readonly QueueEntry[];
  /** Someone adds a PR at the back of its base's queue (as "Merge when ready" does). */
  add(repo: RepoState, pr: number, by: string): void;
  /** The queue merges its front entry (its checks passed): the PR is merged by the queue's bot. */
  mergeNext(repo: RepoState, base: string): Promise<number | null>;
  /** The queue removes an entry (a failed check, a conflict): `pull_request.dequeued`. */
  dequeue(repo: RepoState, pr: number, reason: string): void;
}

export function mergeQueue(hub: Hub): MergeQueueControl {
  return {
    entries: (repo, base) => queuesOf(hub, repo).get(base) ?? [],
    add(repo, pr, by) {
      const issue = hub.pull(repo, pr);
      const queues = queuesOf(hub, repo);
      const queue = queues.get(issue.pull.baseRef) ?? [];
      queues.set(issue.pull.baseRef, queue);
      if (queue.some((e) => e.pr === pr)) return;
      queue.push({
        pr,
        headSha: issue.pull.headSha,
        jump: false,
        enqueuedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        by,
      });
    },
    async mergeNext(repo, base) {
      const queue = queuesOf(hub, repo).get(base) ?? [];
      const front = queue[0];
      if (!front) return null;
      hub.user(MERGE_QUEUE_BOT);
      await hub.mergePull(
        repo,
        front.pr,
        { method: queueMethod(hub, repo, base) ?? "merge", sha: front.headSha },
        MERGE_QUEUE_BOT,
      );
      queue.shift();
      return front.pr;
    },
    dequeue(repo, pr, reason) {
      const issue = hub.pull(repo, pr);
      const queue = queuesOf(hub, repo).get(issue.pull.baseRef) ?? [];
      const at = queue.findIndex((e) => e.pr === pr);
      if (at === -1) return;
      queue.splice(at, 1);
      hub.emit(repo, "pull_request", "dequeued", MERGE_QUEUE_BOT, {
        number: pr,
        pull_request: hub.pullJson(hub.apiUrl, repo, issue),
        reason,
      });
    },
  };
}

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
}

const gqlError = (message: string, type = "UNPROCESSABLE") => ({
  status: 200,
  body: { data: null, errors: [{ type, message }] },
});

export const graphqlRoutes: RouteModule = (router, world) => {
  const handle = (context: RouteContext) => answer(world, context);
  router.post("/graphql", handle);
  router.post("/api/graphql", handle);
};

function answer(world: StandInWorld, context: RouteContext) {
  const body = bodyOf(context) as Partial<GraphqlRequest>;
  const query = typeof body.query === "string" ? body.query : "";
  const variables = body.variables ?? {};
  const operation = /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  switch (operation) {
    case "HotfixMergeQueueState":
      return stateOf(world, variables);
    case "HotfixEnqueuePullRequest":
      return enqueue(world, variables);
    default:
      throw new HttpError(
        501,
        `stand-in: GraphQL operation ${operation ?? "(anonymous)"} is not implemented`,
      );
  }
}

function stateOf(world: StandInWorld, v: Record<string, unknown>) {
  const hub = world.hub;
  const repo = hub.repo(String(v.owner), String(v.repo));
  if (!repo)
    return gqlError(
      `Could not resolve to a Repository with the name '${String(v.owner)}/${String(v.repo)}'.`,
      "NOT_FOUND",
    );
  const issue = repo.issues.get(Number(v.number));
  if (!issue?.pull)
    return gqlError(
      `Could not resolve to a PullRequest with the number of ${String(v.number)}.`,
      "NOT_FOUND",
    );
  const queue = queuesOf(hub, repo).get(issue.pull.baseRef) ?? [];
  const at = queue.findIndex((e) => e.pr === issue.number);
  const entry = queue[at];
  return {
    status: 200,
    body: {
      data: {
        repository: {
          pullRequest: {
            id: pullId(repo, issue.number),
            merged: issue.pull.merged,
            headRefOid: issue.pull.headSha,
            mergeCommit: issue.pull.mergeCommitSha ? { oid: issue.pull.mergeCommitSha } : null,
            mergeQueueEntry: entry
              ? {
                  position: at + 1,
                  state: at === 0 ? "MERGEABLE" : "QUEUED",
                  enqueuedAt: entry.enqueuedAt,
                }
              : null,
          },
        },
      },
    },
  };
}

function enqueue(world: StandInWorld, v: Record<string, unknown>) {
  const hub = world.hub;
  const id = String(v.pullId ?? "");
  const decoded = /^PR_(.+)$/.exec(id)?.[1];
  const [full, number] = decoded ? Buffer.from(decoded, "base64url").toString().split("#") : [];
  const [owner, name] = (full ?? "").split("/");
  const repo = owner && name ? hub.repo(owner, name) : undefined;
  const issue = repo?.issues.get(Number(number));
  if (!repo || !issue?.pull)
    return gqlError(`Could not resolve to a node with the global id of '${id}'`, "NOT_FOUND");
  const pull = issue.pull;
  const method = queueMethod(hub, repo, pull.baseRef);
  if (method === null)
    return gqlError(
      "Pull request is not in a state that can be enqueued: the base branch has no merge queue",
    );
  if (issue.state !== "open" || pull.merged) return gqlError("Pull request is closed");
  if (pull.draft) return gqlError("Pull request is still a draft");
  const queue = queuesOf(hub, repo).get(pull.baseRef) ?? [];
  queuesOf(hub, repo).set(pull.baseRef, queue);
  if (queue.some((e) => e.pr === issue.number))
    return gqlError("Pull request is already in the merge queue");
  if (v.expectedHeadOid !== undefined && v.expectedHeadOid !== pull.headSha)
    return gqlError(
      `Head branch was modified: expected ${String(v.expectedHeadOid)}, the head is ${pull.headSha}`,
    );
  // Every other rule must hold before the queue takes the PR (the queue's own rule excepted).
  try {
    for (const check of hub.mergeChecks)
      check(repo, issue as typeof issue & { pull: typeof pull }, method, MERGE_QUEUE_BOT);
  } catch (error) {
    if (error instanceof HttpError) return gqlError(error.message);
    throw error;
  }
  const entry: QueueEntry = {
    pr: issue.number,
    headSha: pull.headSha,
    jump: v.jump === true,
    enqueuedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    by: hub.botLogin(),
  };
  if (entry.jump) queue.unshift(entry);
  else queue.push(entry);
  const position = queue.indexOf(entry) + 1;
  hub.emit(repo, "pull_request", "enqueued", hub.botLogin(), {
    number: issue.number,
    pull_request: hub.pullJson(hub.apiUrl, repo, issue),
  });
  return {
    status: 200,
    body: {
      data: {
        enqueuePullRequest: {
          mergeQueueEntry: { position, state: position === 1 ? "MERGEABLE" : "QUEUED" },
        },
      },
    },
  };
}
