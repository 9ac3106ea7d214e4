/**
 * The whole life of a hotfix on the demo repository, played by its people against the real
 * app: an issue, a hotfix PR (QA and Ops are asked to review), an ordinary PR changing the same
 * file (the gate warns), a failing then passing build, QA and Ops approvals, a refused
 * `/release-hotfix` from a developer, the real one from the release manager (merge, tag
 * v1.4.3, release, backports to main — clean — and release/1.3 — a conflict, so a draft), and
 * the deployer taking the tag through staging and production into the monitoring window.
 * `npm run sandbox` plays it in front of a user; the scenario tests play it with faults.
 */
import type { AppHost } from "./app-host.js";
import { settle } from "./app-host.js";
import { LOGIN_FIX, LOGIN_FIX_WRONG, LOGIN_LOGGED, PEOPLE, type Demo } from "./demo-repo.js";
import type { StandIn } from "./stand-in/server.js";
import type { Comment } from "./stand-in/model.js";

export interface Player {
  standIn: StandIn;
  app: AppHost;
  demo: Demo;
  /** Tells what happens next (the sandbox prints it). */
  say?: (text: string) => void;
  settleTimeoutMs?: number;
}

export const HOTFIX_BRANCH = "hotfix/session-expiry";
/** Ordinary work on release/1.4 that changes the hotfix's file: the gate's warning. */
export const ONGOING_BRANCH = "feature/log-sessions";
export const RELEASE_COMMAND = "/release-hotfix";

/** Says what happens, does it, and waits until the app is idle. */
export const step = async (player: Player, text: string, act: () => Promise<unknown> | unknown) => {
  player.say?.(text);
  await act();
  await settle(player.standIn, player.app, player.settleTimeoutMs);
};

/** From the bug report to a PR the gate has turned green. Returns the PR's number. */
export async function playUntilApproved(player: Player): Promise<number> {
  const { repo } = player.demo;
  let issue = 0;
  await step(player, `${PEOPLE.qa} reports the bug`, () => {
    issue = repo.openIssue(PEOPLE.qa, {
      title: "Login crashes when the session has expired",
      body: "Steps: sign in, wait a day, reload. The page crashes.",
      labels: ["bug"],
    }).number;
  });
  await step(player, `${PEOPLE.dev} pushes a fix to ${HOTFIX_BRANCH}`, () =>
    repo.push(
      HOTFIX_BRANCH,
      { "src/login.ts": LOGIN_FIX_WRONG },
      "Fix login crash when the session expired",
      PEOPLE.dev,
      {
        from: "release/1.4",
      },
    ),
  );
  let pr = 0;
  await step(player, `${PEOPLE.dev} opens a PR against release/1.4`, async () => {
    pr = (
      await repo.openPull(PEOPLE.dev, {
        head: HOTFIX_BRANCH,
        base: "release/1.4",
        title: "Fix login crash when the session expired",
        body: `Fixes #${issue}.\n\nAn expired session sent users to a crash page.`,
      })
    ).number;
  });
  await playUntilApprovedFrom(player, HOTFIX_BRANCH, pr);
  return pr;
}

/**
 * From a hotfix PR just opened from `branch` to its approvals: ongoing work beside it, a failing
 * then passing build, QA and Ops approving.
 */
export async function playUntilApprovedFrom(
  player: Player,
  branch: string,
  pr: number,
): Promise<void> {
  const { repo } = player.demo;
  await step(
    player,
    `${PEOPLE.captain} opens a PR against release/1.4 that also changes src/login.ts`,
    async () => {
      await repo.push(
        ONGOING_BRANCH,
        { "src/login.ts": LOGIN_LOGGED },
        "Log sessions",
        PEOPLE.captain,
        {
          from: "release/1.4",
        },
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
}

/** Someone comments the release command on the PR. */
export async function comment(
  player: Player,
  who: string,
  pr: number,
  body: string,
): Promise<Comment> {
  let made: Comment | undefined;
  await step(player, `${who} comments \`${body}\``, () => {
    made = player.demo.repo.comment(who, pr, body);
  });
  return made as Comment;
}

/**
 * The deployer: every deployment hotfix-bot created that has no status yet is deployed (in
 * progress, then success), until none is left — staging first, then the production deployment
 * hotfix-bot creates once staging succeeded.
 */
export async function playDeployer(player: Player, limit = 5): Promise<void> {
  const { repo } = player.demo;
  for (let round = 0; round < limit; round++) {
    const waiting = repo.state.deployments.filter((d) => d.statuses.length === 0);
    if (waiting.length === 0) return;
    for (const deployment of waiting.reverse()) {
      await step(
        player,
        `the deployer rolls ${deployment.ref} out to ${deployment.environment}`,
        () =>
          repo.reportDeployment(PEOPLE.deployer, deployment.id, "in_progress", {
            logUrl: `https://deploy.acme.example/runs/${deployment.id}`,
          }),
      );
      await step(player, `the deployer reports ${deployment.environment} healthy`, () =>
        repo.reportDeployment(PEOPLE.deployer, deployment.id, "success", {
          logUrl: `https://deploy.acme.example/runs/${deployment.id}`,
          environmentUrl: `https://${deployment.environment}.shop.acme.example`,
        }),
      );
    }
  }
}

/** The whole lifecycle. Returns the hotfix PR's number. */
export async function playLifecycle(player: Player): Promise<number> {
  const pr = await playUntilApproved(player);
  await comment(player, PEOPLE.dev, pr, RELEASE_COMMAND);
  await comment(player, PEOPLE.releaser, pr, RELEASE_COMMAND);
  await playDeployer(player);
  return pr;
}
