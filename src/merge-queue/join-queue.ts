/**
 * The merge of a release whose base requires GitHub's merge queue, as a step of the hotfix's one
 * writer (inside its lock): read the PR's queue state, decide (`decide.ts`), and add it only when
 * it is in no queue — with `expectedHeadOid` the judged head, so a push in between makes GitHub
 * refuse. A repeated command, a redelivery or a second replica finds the entry and adds nothing.
 */
import type { HotfixStep } from "../record/step.js";
import { decideQueue } from "./decide.js";

export type Joined =
  | { kind: "merged"; sha: string }
  | { kind: "queued"; position: number; already: boolean }
  | { kind: "refused"; reason: string };

const short = (sha: string) => sha.slice(0, 7);

export async function joinMergeQueue(
  step: HotfixStep,
  asked: { headSha: string; jump: boolean; actor: string; commentId: number },
): Promise<Joined> {
  const { github } = step;
  const pr = step.record.pr;
  const decision = decideQueue(await github.mergeQueueState(pr), asked.headSha);
  const note = (position: number) => {
    const at = step.now().toISOString();
    step.store((s) => ({
      ...s,
      mergeQueue: {
        state: "queued",
        by: asked.actor,
        commentId: asked.commentId,
        headSha: asked.headSha,
        position,
        jump: asked.jump,
        at: s.mergeQueue?.state === "queued" ? s.mergeQueue.at : at,
      },
    }));
  };
  switch (decision.kind) {
    case "merged":
      return decision;
    case "missing":
      return { kind: "refused", reason: `GitHub does not find PR #${pr}.` };
    case "head-moved":
      return {
        kind: "refused",
        reason: `the PR's head moved after the final check (it was ${short(asked.headSha)}, it is ${short(decision.head)}); the new commits have not been checked. Wait for the Hotfix policy check, then comment the command again.`,
      };
    case "in-queue":
      note(decision.position);
      return { kind: "queued", position: decision.position, already: true };
    case "enqueue": {
      const added = await github.enqueuePull({
        pullId: decision.pullId,
        expectedHeadSha: asked.headSha,
        jump: asked.jump,
      });
      if (!added.enqueued)
        return {
          kind: "refused",
          reason: `GitHub's merge queue did not take the PR: ${added.message}. Nothing was merged; comment the release command again once this is resolved.`,
        };
      note(added.position);
      return { kind: "queued", position: added.position, already: false };
    }
  }
}
