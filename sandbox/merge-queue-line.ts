/**
 * The sandbox's second line: release/1.3 requires GitHub's merge queue (a ruleset hotfix-bot may
 * not bypass). A hotfix to it is released with `/release-hotfix`: hotfix-bot adds it to the queue
 * (GraphQL `enqueuePullRequest`), the queue merges it, and the release continues — tag, GitHub
 * Release — from the queue's merge commit.
 */
import { settle } from "./app-host.js";
import { PEOPLE } from "./demo-repo.js";
import { comment, type Player } from "./lifecycle.js";
import { mergeQueue } from "./stand-in/routes/graphql.js";
import { branchRules } from "./stand-in/routes/rules.js";

export const QUEUE_BASE = "release/1.3";
export const QUEUE_BRANCH = "hotfix/csv-export";

export interface QueueLine {
  pr: number;
  /** The position GitHub gave the PR when hotfix-bot added it; null when it was not added. */
  position: number | null;
  mergedBy: string | null;
  tag: string | null;
}

export async function playMergeQueueLine(player: Player): Promise<QueueLine> {
  const { standIn, demo } = player;
  const { repo } = demo;
  const queue = mergeQueue(standIn.hub);
  const step = async (text: string, act: () => unknown) => {
    player.say?.(text);
    await act();
    await settle(standIn, player.app, player.settleTimeoutMs);
  };
  branchRules(standIn.hub, demo.repo.state.owner, demo.repo.state.name).rulesets.push({
    id: 1301,
    name: "release/1.3 merge queue",
    branches: [QUEUE_BASE],
    bypassApp: false,
    rules: [{ type: "merge_queue", parameters: { merge_method: "SQUASH" } }],
  });
  player.say?.(`an admin requires a merge queue on ${QUEUE_BASE} (a ruleset)`);
  await step(`${PEOPLE.dev} pushes a fix to ${QUEUE_BRANCH}`, () =>
    repo.push(
      QUEUE_BRANCH,
      { "src/export.ts": "export const SEPARATOR = ';';\n" },
      "Fix CSV separator",
      PEOPLE.dev,
      {
        from: QUEUE_BASE,
      },
    ),
  );
  let pr = 0;
  await step(`${PEOPLE.dev} opens a PR against ${QUEUE_BASE}`, async () => {
    pr = (
      await repo.openPull(PEOPLE.dev, {
        head: QUEUE_BRANCH,
        base: QUEUE_BASE,
        title: "Fix CSV export separator",
        body: "Fixes #1: the CSV export used the wrong separator.",
      })
    ).number;
  });
  const head = await repo.headOf(QUEUE_BRANCH);
  await step("CI reports build: success", () => repo.check(head, "build", "success"));
  await step(`${PEOPLE.qa} and ${PEOPLE.ops} approve`, () => {
    repo.review(PEOPLE.qa, pr, "APPROVED");
    repo.review(PEOPLE.ops, pr, "APPROVED");
  });
  await comment(player, PEOPLE.releaser, pr, "/release-hotfix");
  const entry = queue.entries(repo.state, QUEUE_BASE).find((e) => e.pr === pr);
  const position = entry ? queue.entries(repo.state, QUEUE_BASE).indexOf(entry) + 1 : null;
  await step(`GitHub's merge queue merges #${pr}`, () => queue.mergeNext(repo.state, QUEUE_BASE));
  const pull = repo.pull(pr).pull;
  const tags = pull.mergeCommitSha
    ? String((await repo.git.git(["tag", "--points-at", pull.mergeCommitSha])).stdout).trim()
    : "";
  return { pr, position, mergedBy: pull.mergedBy, tag: tags.split("\n")[0] || null };
}
