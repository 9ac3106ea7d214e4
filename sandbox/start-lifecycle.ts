/**
 * The lifecycle as `npm run sandbox` plays it since `/start-hotfix`: it starts from the bug
 * report. QA reports the crash with the version users run; the developer comments
 * `/start-hotfix` on the issue, and hotfix-bot creates `hotfix/<issue>-<title>` at v1.4.2 (the
 * line's latest release, not its head); the developer's first push makes hotfix-bot open the PR
 * to release/1.4. From there on it is `lifecycle.ts`'s story: ongoing work beside it, a failing
 * then passing build, QA and Ops approvals, a refused and a real `/release-hotfix`, the deployer.
 */
import { settle } from "./app-host.js";
import { LOGIN_FIX, LOGIN_FIX_WRONG, LOGIN_LOGGED, PEOPLE } from "./demo-repo.js";
import {
  comment,
  ONGOING_BRANCH,
  playDeployer,
  RELEASE_COMMAND,
  type Player,
} from "./lifecycle.js";
import { startBranchOf } from "../src/start/slug.js";

export const BUG_TITLE = "Login crashes when the session has expired";

const step = async (player: Player, text: string, act: () => Promise<unknown> | unknown) => {
  player.say?.(text);
  await act();
  await settle(player.standIn, player.app, player.settleTimeoutMs);
};

export interface Started {
  issue: number;
  branch: string;
  pr: number;
}

/** From the bug report, through `/start-hotfix` and the first push, to an approved PR. */
export async function playStartedUntilApproved(player: Player): Promise<Started> {
  const { repo } = player.demo;
  let issue = 0;
  await step(player, `${PEOPLE.qa} reports the bug`, () => {
    issue = repo.openIssue(PEOPLE.qa, {
      title: BUG_TITLE,
      body: "Steps: sign in, wait a day, reload. The page crashes.\n\nVersion: 1.4.2",
      labels: ["bug"],
    }).number;
  });
  await step(player, `${PEOPLE.dev} comments \`/start-hotfix\` on issue #${issue}`, () =>
    repo.comment(PEOPLE.dev, issue, "/start-hotfix"),
  );
  const branch = startBranchOf(issue, BUG_TITLE) as string;
  await step(player, `${PEOPLE.dev} pushes a fix to ${branch}`, () =>
    repo.push(
      branch,
      { "src/login.ts": LOGIN_FIX_WRONG },
      "Fix login crash when the session expired",
      PEOPLE.dev,
    ),
  );
  const opened = [...repo.state.issues.values()].find((i) => i.pull?.headRef === branch);
  if (!opened) throw new Error(`hotfix-bot opened no PR from ${branch}`);
  const pr = opened.number;
  await step(
    player,
    `${PEOPLE.captain} opens a PR against release/1.4 that also changes src/login.ts`,
    async () => {
      await repo.push(
        ONGOING_BRANCH,
        { "src/login.ts": LOGIN_LOGGED },
        "Log sessions",
        PEOPLE.captain,
        { from: "release/1.4" },
      );
      await repo.openPull(PEOPLE.captain, {
        head: ONGOING_BRANCH,
        base: "release/1.4",
        title: "Log sessions on sign-in",
      });
    },
  );
  const first = await repo.headOf(branch);
  await step(player, "CI starts the build", () => repo.startCheck(first, "build"));
  await step(player, "CI: the build fails", () => {
    const run = repo.state.checkRuns.filter((r) => r.name === "build" && r.headSha === first).pop();
    if (run)
      repo.finishCheck(run, "failure", "2 tests failed: session expiry is compared in seconds");
  });
  await step(player, `${PEOPLE.dev} pushes a corrected fix`, () =>
    repo.push(
      branch,
      { "src/login.ts": LOGIN_FIX },
      "Compare session expiry in milliseconds",
      PEOPLE.dev,
    ),
  );
  const fixed = await repo.headOf(branch);
  await step(player, "CI: the build passes", () => repo.check(fixed, "build", "success"));
  await step(player, `${PEOPLE.qa} (QA) approves`, () =>
    repo.review(PEOPLE.qa, pr, "APPROVED", "Verified on staging data."),
  );
  await step(player, `${PEOPLE.ops} (Operations) approves`, () =>
    repo.review(PEOPLE.ops, pr, "APPROVED"),
  );
  return { issue, branch, pr };
}

/** The whole lifecycle from the bug report. */
export async function playStartedLifecycle(player: Player): Promise<Started> {
  const started = await playStartedUntilApproved(player);
  await comment(player, PEOPLE.dev, started.pr, RELEASE_COMMAND);
  await comment(player, PEOPLE.releaser, started.pr, RELEASE_COMMAND);
  await playDeployer(player);
  return started;
}
