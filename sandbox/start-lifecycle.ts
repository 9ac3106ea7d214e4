/**
 * The lifecycle as `npm run sandbox` plays it since `/start-hotfix`: it starts from the bug
 * report. QA reports the crash with the version users run; the developer comments
 * `/start-hotfix` on the issue, and hotfix-bot creates `hotfix/<issue>-<title>` at v1.4.2 (the
 * line's latest release, not its head); the developer's first push makes hotfix-bot open the PR
 * to release/1.4. From there on it is `lifecycle.ts`'s story: ongoing work beside it, a failing
 * then passing build, QA and Ops approvals, a refused and a real `/release-hotfix`, the deployer.
 */
import { LOGIN_FIX_WRONG, PEOPLE } from "./demo-repo.js";
import {
  comment,
  playDeployer,
  playUntilApprovedFrom,
  RELEASE_COMMAND,
  step,
  type Player,
} from "./lifecycle.js";
import { startBranchOf } from "../src/start/slug.js";

export const BUG_TITLE = "Login crashes when the session has expired";

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
  await playUntilApprovedFrom(player, branch, pr);
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
