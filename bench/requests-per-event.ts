/**
 * GitHub requests hotfix-bot spends per event, measured against the stand-in: each delivery
 * goes out alone and the app answers after its work, so the requests the stand-in answered
 * while it was in flight are that event's. The app runs in this process with an unpaced
 * backport pacer (the pacer only spaces requests in time; it never adds any).
 */
import { unpaced } from "../src/backport/pace-writes.js";
import { newAppCredentials, settle, startAppInProcess, type AppHost } from "../sandbox/app-host.js";
import { OWNER, PEOPLE, POLICY, seedDemo, type Demo } from "../sandbox/demo-repo.js";
import { HOTFIX_BRANCH, playUntilApproved, RELEASE_COMMAND } from "../sandbox/lifecycle.js";
import { startStandIn, type StandIn } from "../sandbox/stand-in/server.js";

export interface EventCost {
  event: string;
  /** The delivery the figure is about, e.g. `issue_comment.created`. */
  delivery: string;
  requests: number;
  /** Of those, the ones GitHub counts against the rate limit (all but 304s). */
  counted: number;
  reads: number;
  writes: number;
}

interface Run {
  standIn: StandIn;
  app: AppHost;
  demo: Demo;
  /** The app's log line per delivery: its own count of the requests it spent. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function start(policy?: string): Promise<Run> {
  const standIn = await startStandIn();
  const demo = await seedDemo(standIn, policy === undefined ? {} : { policy });
  const logs: Array<Record<string, unknown>> = [];
  const app = await startAppInProcess(standIn, newAppCredentials(OWNER), {
    config: { backportPacer: unpaced },
    onLog: (line) => logs.push(line),
  });
  return {
    standIn,
    app,
    demo,
    logs,
    close: async () => {
      await app.close();
      await standIn.close();
    },
  };
}

/** Does `act`, waits until the app is idle, and reports the cost of the delivery named `delivery`. */
async function measure(
  run: Run,
  event: string,
  delivery: string,
  act: () => unknown,
): Promise<EventCost> {
  await settle(run.standIn, run.app);
  const fromDelivery = run.standIn.webhooks.deliveries.length;
  await act();
  await settle(run.standIn, run.app);
  const deliveries = run.standIn.webhooks.deliveries.slice(fromDelivery);
  // The delivery's own log line counts its requests and writes: long work outlives the webhook
  // answer (Probot's middleware answers after 9 s at most), so the stand-in's view of what was
  // answered while the delivery was in flight would cut it short.
  // A delivery can have a log line per handler (`issue_comment` for commands and for
  // /start-hotfix): the one that did the work is the one that sent requests.
  const spent = deliveries
    .filter((d) => `${d.event}.${d.action}` === delivery)
    .flatMap((d) =>
      run.logs.filter(
        (l) =>
          l.delivery === d.id &&
          typeof l.requests === "number" &&
          l.decision !== "answered; work continues",
      ),
    )
    .find((l) => (l.requests as number) > 0);
  if (!spent)
    throw new Error(
      `no ${delivery} delivery with requests among ${deliveries.map((d) => `${d.event}.${d.action}`).join(", ")}`,
    );
  const requests = spent.requests as number;
  const writes = spent.writes as number;
  const counted = spent.counted as number;
  return { event, delivery, requests, counted, reads: requests - writes, writes };
}

const RELEASE_ONLY = POLICY.replace(/\nbackport:[\s\S]*$/, "\nbackport:\n  when: never\n");

export async function requestsPerEvent(): Promise<EventCost[]> {
  const costs: EventCost[] = [];

  const gate = await start();
  try {
    const pr = await playUntilApproved({ standIn: gate.standIn, app: gate.app, demo: gate.demo });
    const { repo } = gate.demo;
    const head = await repo.headOf(HOTFIX_BRANCH);
    costs.push(
      await measure(gate, "gate re-evaluation: a review", "pull_request_review.submitted", () =>
        repo.review(PEOPLE.captain, pr, "COMMENTED", "Looks fine."),
      ),
    );
    costs.push(
      await measure(
        gate,
        "gate re-evaluation: a required CI check completes",
        "check_run.completed",
        () => repo.check(head, "build", "success"),
      ),
    );
    costs.push(
      await measure(gate, "gate re-evaluation: a push to the PR", "pull_request.synchronize", () =>
        repo.push(
          HOTFIX_BRANCH,
          { "CHANGELOG.md": "- fix login crash\n" },
          "Changelog",
          PEOPLE.dev,
        ),
      ),
    );
  } finally {
    await gate.close();
  }

  const release = await start(RELEASE_ONLY);
  try {
    const pr = await playUntilApproved({
      standIn: release.standIn,
      app: release.app,
      demo: release.demo,
    });
    costs.push(
      await measure(
        release,
        "release: /release-hotfix (final check, merge, tag, release)",
        "issue_comment.created",
        () => release.demo.repo.comment(PEOPLE.releaser, pr, RELEASE_COMMAND),
      ),
    );
  } finally {
    await release.close();
  }

  costs.push(...(await deployCosts()));
  for (const n of [1, 10, 50]) costs.push(await backportCost(n));
  return costs;
}

/** The deployer's reports on a released hotfix (the demo's policy: `promote: auto`, 2 backports). */
async function deployCosts(): Promise<EventCost[]> {
  const run = await start();
  try {
    const { repo } = run.demo;
    const pr = await playUntilApproved({ standIn: run.standIn, app: run.app, demo: run.demo });
    repo.comment(PEOPLE.releaser, pr, RELEASE_COMMAND);
    await settle(run.standIn, run.app);
    const deployment = (environment: string) => {
      const found = repo.state.deployments.find((d) => d.environment === environment);
      if (!found) throw new Error(`no ${environment} deployment`);
      return found.id;
    };
    const staging = deployment("staging");
    const costs = [
      await measure(run, "deploy: staging reports in progress", "deployment_status.created", () =>
        repo.reportDeployment(PEOPLE.deployer, staging, "in_progress"),
      ),
      await measure(
        run,
        "deploy: staging succeeds, production is created",
        "deployment_status.created",
        () => repo.reportDeployment(PEOPLE.deployer, staging, "success"),
      ),
    ];
    const production = deployment("production");
    repo.reportDeployment(PEOPLE.deployer, production, "in_progress");
    costs.push(
      await measure(
        run,
        "deploy: production succeeds, the window opens",
        "deployment_status.created",
        () => repo.reportDeployment(PEOPLE.deployer, production, "success"),
      ),
    );
    return costs;
  } finally {
    await run.close();
  }
}

/** `/backport main` on a merged (merge-commit) PR of `n` commits to release/1.4. */
async function backportCost(n: number): Promise<EventCost> {
  const run = await start();
  try {
    const { repo } = run.demo;
    const branch = `feature/notes-${n}`;
    for (let i = 1; i <= n; i++) {
      await repo.push(
        branch,
        { [`notes/${n}-${i}.md`]: `note ${i}\n` },
        `Add note ${i}`,
        PEOPLE.dev,
        {
          from: "release/1.4",
        },
      );
    }
    const pull = await repo.openPull(PEOPLE.dev, {
      head: branch,
      base: "release/1.4",
      title: `${n} notes`,
    });
    await settle(run.standIn, run.app);
    await repo.hub.mergePull(repo.state, pull.number, { method: "merge" }, PEOPLE.releaser);
    return await measure(
      run,
      `backport of ${n} commit${n === 1 ? "" : "s"} (/backport main)`,
      "issue_comment.created",
      () => repo.comment(PEOPLE.releaser, pull.number, "/backport main"),
    );
  } finally {
    await run.close();
  }
}
