/**
 * Deploy and monitor through the real app: a released hotfix goes staging → production → the
 * monitoring window, driven by the deployer's deployment statuses, the failing checks, statuses
 * and issues that are the window's signals, `/promote-hotfix`, `/rollback-hotfix` and the sweep
 * (CLI and HTTP route) — all against the GitHub stand-in, with signed deliveries.
 *
 * The demo repository's policy is used with `deploy:` variants. States are prepared once and
 * restored per test (`hub.snapshot()`): approved (before the release), released (staging
 * created, no status yet), live (production succeeded, a 60-minute window open).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { runSweep } from "../../src/cli/sweep.js";
import { readStoredBlock } from "../../src/record/stored-block.js";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import { playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import type { Deployment } from "../../sandbox/stand-in/model.js";
import {
  botComments,
  demoPolicy,
  deployments,
  mark,
  notices,
  onlyDeployment,
  openScenario,
  probotFor,
  pushPolicy,
  reactionsTo,
  redeliver,
  replies,
  report,
  routesOf,
  say,
  sentSince,
  settled,
  stages,
  trackingBody,
  withoutDeliveries,
  writesSince,
  type AppScenario,
} from "./deploy-scenario.js";

const PROMOTE = "/promote-hotfix";
const ROLLBACK = "/rollback-hotfix";
const SWEEP_TOKEN = "s3cret-sweep-token";
const CREATE_DEPLOYMENT = "POST /repos/{owner}/{repo}/deployments";
const COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
const REACTION = "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions";
const OPEN_PULL = "POST /repos/{owner}/{repo}/pulls";

/** The file's policy: the demo's, promote auto, a 60-minute window, revert PRs on rollback. */
const POLICY = demoPolicy({ revertPr: true });

let run: AppScenario;
let pr: number;
/** Prepared states; every snapshot taken is disposed of at the end. */
let approved: HubSnapshot;
let released: HubSnapshot;
let live: HubSnapshot;
const snapshots: HubSnapshot[] = [];
const keep = async () => {
  const snapshot = await run.standIn.hub.snapshot();
  snapshots.push(snapshot);
  return snapshot;
};
let problemsBefore = 0;

beforeAll(async () => {
  run = await openScenario({ policy: POLICY, sweepToken: SWEEP_TOKEN });
  pr = await playUntilApproved(run.player);
  approved = await keep();
  await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
  released = await keep();
  await report(run, onlyDeployment(run, "staging"), "in_progress");
  await report(run, onlyDeployment(run, "staging"), "success");
  await report(run, onlyDeployment(run, "production"), "success");
  live = await keep();
}, 30_000);

beforeEach(() => {
  run.standIn.webhooks.setOptions({ concurrency: 1, duplicate: false });
  problemsBefore = run.standIn.problems().length;
});

afterEach(() => {
  // Every request the app sent was one GitHub would accept (OpenAPI) and the stand-in knows.
  expect(run.standIn.problems().slice(problemsBefore)).toEqual([]);
});

afterAll(async () => {
  for (const snapshot of snapshots) await snapshot.dispose();
  await run?.close();
});

const repo = () => run.demo.repo;
const restore = (snapshot: HubSnapshot) => run.standIn.hub.restore(snapshot);
const release = () => say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
const tagCommit = () => repo().pull(pr).pull.mergeCommitSha as string;
const deploymentRequests = (from: number) =>
  run.standIn.requests.slice(from).filter((r) => `${r.method} ${r.route}` === CREATE_DEPLOYMENT);
const payloadOf = (d: Deployment) => (d.payload as { hotfix_bot?: unknown }).hotfix_bot;
const monitor = () => stages(run, pr).Monitoring;
/** The notices (and their text) posted on the PR whose key starts with `prefix`. */
const noticesLike = (prefix: string) =>
  botComments(run, pr).filter((c) => c.body.includes(`<!-- hotfix-bot:notice ${prefix}`));

/** The deployment_status webhook sent for a status of `deployment` in `state`, after `from`. */
function statusEvent(from: number, deployment: Deployment, state: string) {
  const found = sentSince(run, from, "deployment_status", "created").filter((e) => {
    const p = e.payload as { deployment: { id: number }; deployment_status: { state: string } };
    return p.deployment.id === deployment.id && p.deployment_status.state === state;
  });
  if (found.length !== 1) throw new Error(`${found.length} ${state} events for ${deployment.id}`);
  return found[0] as (typeof found)[number];
}

describe("staging → production → the monitoring window", () => {
  it("without a `deploy:` section the release's tracking comment says deploying is skipped, and no deployment exists", async () => {
    await restore(approved);
    await pushPolicy(run, demoPolicy(null));
    await release();

    expect(stages(run, pr).Released?.state).toBe("done");
    expect(stages(run, pr).Deploy).toEqual({
      state: "skipped",
      text: "skipped: the policy has no `deploy:` section, so hotfix-bot does not deploy releases in this repository",
    });
    expect(deployments(run)).toEqual([]);
  });

  it("promote: auto — staging is created with auto_merge false and exactly the policy's contexts, promoted on success, and with monitor.minutes 0 the window closes clean with no human step", async () => {
    await restore(approved);
    await pushPolicy(run, demoPolicy({ minutes: 0, revertPr: true }));
    const from = mark(run);
    await release();

    const staging = onlyDeployment(run, "staging");
    expect(deploymentRequests(from).map((r) => r.body)).toEqual([
      expect.objectContaining({
        ref: "v1.4.3",
        environment: "staging",
        auto_merge: false,
        required_contexts: [],
        production_environment: false,
      }),
    ]);
    expect(payloadOf(staging)).toEqual({
      pr,
      version: "1.4.3",
      tag: "v1.4.3",
      stage: "staging",
      requested_by: PEOPLE.releaser,
    });
    expect(deployments(run, "production")).toEqual([]);

    await report(run, staging, "in_progress");
    expect(deployments(run, "production")).toEqual([]);
    await report(run, staging, "success");
    const production = onlyDeployment(run, "production");
    expect(deploymentRequests(from).map((r) => r.body)[1]).toMatchObject({
      ref: "v1.4.3",
      environment: "production",
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
    });

    await report(run, production, "success");
    expect(monitor()?.state).toBe("done");
    expect(monitor()?.text).toMatch(/^closed clean at .* UTC: no failure signal in 0 minutes$/);
    expect(readStoredBlock(trackingBody(run, pr)).window).toMatchObject({ state: "clean" });
    // Nobody was asked for anything: the tracking comment is all the app wrote on the PR.
    expect(notices(run, pr)).toEqual([]);
    expect(replies(run, pr)).toEqual([]);
  });

  it("production's first success opens the window for monitor.minutes, watching the policy's signals", async () => {
    // The `live` state: the deployer reported staging, then production, successful.
    await restore(live);
    expect(stages(run, pr)["Deploy to production"]?.state).toBe("done");
    expect(monitor()?.state).toBe("running");
    expect(monitor()?.text).toMatch(
      /^watching production until .* UTC \(60 min from .* UTC\): failures reported on the production deployment, failing `smoke-test\*` on the tag's commit, new issues labelled `regression`$/,
    );
  });
});

describe("promote: manual", () => {
  let manualReleased: HubSnapshot;
  let manualStagingLive: HubSnapshot;

  beforeAll(async () => {
    await restore(approved);
    await pushPolicy(run, demoPolicy({ promote: "manual", revertPr: true }));
    await release();
    manualReleased = await keep();
    await report(run, onlyDeployment(run, "staging"), "success");
    manualStagingLive = await keep();
  }, 30_000);

  it("staging's success posts one notice asking for /promote-hotfix — once, even when the status is delivered again — and promotes nothing", async () => {
    await restore(manualReleased);
    const staging = onlyDeployment(run, "staging");
    const sent = run.sent.length;
    await report(run, staging, "success");

    expect(notices(run, pr)).toEqual([`promote:${staging.id}`]);
    const [notice] = noticesLike("promote:");
    expect(notice?.body).toMatch(
      /^@mia `v1\.4\.3` is live on `staging`\. Comment `\/promote-hotfix` to deploy it to `production`\./,
    );
    expect(stages(run, pr)["Deploy to production"]).toMatchObject({ state: "pending" });
    expect(stages(run, pr)["Deploy to production"]?.text).toContain(
      "waiting for `/promote-hotfix`",
    );

    const from = mark(run);
    await redeliver(run, statusEvent(sent, staging, "success"));
    expect(writesSince(run, from)).toEqual([]);
    expect(notices(run, pr)).toEqual([`promote:${staging.id}`]);
    expect(deployments(run, "production")).toEqual([]);
  });

  it("a releaser's /promote-hotfix promotes once, however often it is repeated", async () => {
    await restore(manualStagingLive);
    const first = await say(run, PEOPLE.releaser, pr, PROMOTE);
    const production = onlyDeployment(run, "production");
    expect(payloadOf(production)).toMatchObject({
      stage: "production",
      requested_by: PEOPLE.releaser,
    });
    expect(reactionsTo(run, first)).toEqual(["eyes", "rocket"]);

    const from = mark(run);
    const again = await say(run, PEOPLE.releaser, pr, PROMOTE);
    await say(run, PEOPLE.releaser, pr, PROMOTE);
    expect(deployments(run, "production").map((d) => d.id)).toEqual([production.id]);
    expect(routesOf(writesSince(run, from))).not.toContain(CREATE_DEPLOYMENT);
    expect(reactionsTo(run, again)).toEqual(["eyes", "rocket"]);
  });

  it("/promote-hotfix from someone who may not release is refused, and nothing changes", async () => {
    await restore(manualStagingLive);
    const before = trackingBody(run, pr);
    const from = mark(run);
    const command = await say(run, PEOPLE.dev, pr, PROMOTE);

    expect(replies(run, pr)).toEqual([
      expect.stringMatching(/^@dana may not promote hotfixes here: /),
    ]);
    expect(reactionsTo(run, command)).toEqual(["confused"]);
    expect(routesOf(writesSince(run, from))).toEqual([REACTION, COMMENT]);
    expect(deployments(run, "production")).toEqual([]);
    expect(trackingBody(run, pr)).toBe(before);
  });

  it("/promote-hotfix before staging succeeded explains what it waits for, and creates nothing", async () => {
    await restore(manualReleased);
    const from = mark(run);
    const command = await say(run, PEOPLE.releaser, pr, PROMOTE);

    expect(replies(run, pr)).toEqual([
      expect.stringMatching(
        /^@mia `v1\.4\.3` was not promoted to `production`: staging must succeed first, and it stands at: `v1\.4\.3` → `staging`: deployment \d+ created .*, waiting for the deployer\.$/,
      ),
    ]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "confused"]);
    expect(routesOf(writesSince(run, from))).not.toContain(CREATE_DEPLOYMENT);
    expect(deployments(run).map((d) => d.environment)).toEqual(["staging"]);
  });
});

describe("when a stage fails or GitHub refuses it", () => {
  it("a staging failure creates no production deployment, and the releaser is told once, even when the failure is delivered again", async () => {
    await restore(released);
    const staging = onlyDeployment(run, "staging");
    const sent = run.sent.length;
    run.standIn.webhooks.setOptions({ duplicate: true }); // both copies at the same moment
    await report(run, staging, "failure", "smoke tests failed on staging");
    run.standIn.webhooks.setOptions({ duplicate: false });

    expect(deployments(run, "production")).toEqual([]);
    expect(stages(run, pr)["Deploy to staging"]?.state).toBe("failed");
    const told = noticesLike("staging-failed:");
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toMatch(
      /^@mia the staging deployment of `v1\.4\.3` failed \(.*smoke tests failed on staging\), so it was \*\*not\*\* promoted to production\./,
    );

    const from = mark(run);
    await redeliver(run, statusEvent(sent, staging, "failure"));
    expect(writesSince(run, from)).toEqual([]);
    expect(noticesLike("staging-failed:")).toHaveLength(1);
    expect(deployments(run, "production")).toEqual([]);
  });

  it("red required contexts: GitHub's 409 is recorded in the tracking comment with how to retry, and /promote-hotfix retries once they are green", async () => {
    await restore(approved);
    await pushPolicy(run, demoPolicy({ requiredContexts: ["deploy-check"], revertPr: true }));
    const from = mark(run);
    await release();

    const refused = deploymentRequests(from);
    expect(
      refused.map((r) => [r.status, (r.body as { required_contexts?: unknown }).required_contexts]),
    ).toEqual([[409, ["deploy-check"]]]);
    expect(deployments(run)).toEqual([]);
    const line = stages(run, pr)["Deploy to staging"];
    expect(line?.state).toBe("failed");
    expect(line?.text).toMatch(/^GitHub refused to deploy `v1\.4\.3` to `staging` \(409: /);
    // The line says what the policy requires and how to retry, as the notice does.
    expect(line?.text).toContain(
      "The policy's `deploy.required_contexts` (`deploy-check`) must all have succeeded on the tag's commit; once they have, comment `/promote-hotfix` to try again.",
    );
    expect(noticesLike("refused:staging:v1.4.3:409")).toHaveLength(1);
    expect(noticesLike("refused:")[0]?.body).toContain(
      "The policy's `deploy.required_contexts` (`deploy-check`) must all have succeeded on the tag's commit; once they have, comment `/promote-hotfix` to try again.",
    );

    // CI turns the context green on the tag's commit; the releaser asks again.
    repo().setStatus("acme-ci[bot]", tagCommit(), "deploy-check", "success");
    await settled(run);
    const retry = mark(run);
    await say(run, PEOPLE.releaser, pr, PROMOTE);

    expect(deploymentRequests(retry).map((r) => r.status)).toEqual([201]);
    // The command did what it could: staging now, production once staging succeeds.
    expect(replies(run, pr).at(-1)).toBe(
      "@mia `v1.4.3` is being deployed to `staging` first; it goes to `production` as soon as staging succeeds.",
    );
    const staging = onlyDeployment(run, "staging");
    expect(stages(run, pr)["Deploy to staging"]?.state).toBe("running");
    expect(readStoredBlock(trackingBody(run, pr)).deployRefusal).toBeUndefined();

    // From here on the auto promotion follows the deployer, as for any release.
    await report(run, staging, "success");
    expect(deployments(run, "production")).toHaveLength(1);
  });
});

describe("the window's signals", () => {
  beforeEach(() => restore(live));

  it("a production deployment failure inside the window fails the hotfix and offers /rollback-hotfix", async () => {
    const production = onlyDeployment(run, "production");
    await report(run, production, "failure", "error rate above 5%");

    expect(monitor()?.state).toBe("failed");
    expect(monitor()?.text).toMatch(
      /^hotfix failed at .* UTC: the production deployment reported failure: error rate above 5%\. Comment `\/rollback-hotfix`/,
    );
    const told = noticesLike(`hotfix-failed:${production.id}`);
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toContain(
      "To put `v1.4.2` back on `production`, comment `/rollback-hotfix` (it also opens a PR reverting this hotfix).",
    );
  });

  it("a production deployment that never succeeds fails the hotfix", async () => {
    await restore(released);
    await report(run, onlyDeployment(run, "staging"), "success");
    const production = onlyDeployment(run, "production");
    await report(run, production, "error", "pods crash-looping");

    expect(monitor()?.state).toBe("failed");
    expect(monitor()?.text).toMatch(
      /^hotfix failed at .* UTC: the production deployment never succeeded\./,
    );
    expect(noticesLike(`hotfix-failed:${production.id}`)).toHaveLength(1);
  });

  it("a failing check run named in signals.checks on the tag's commit fails the hotfix", async () => {
    await repo().check(tagCommit(), "smoke-test (eu)", "failure");
    await settled(run);

    expect(monitor()?.state).toBe("failed");
    expect(monitor()?.text).toMatch(
      /^hotfix failed at .* UTC: check run `smoke-test \(eu\)` ended failure\./,
    );
    expect(noticesLike("hotfix-failed:")).toHaveLength(1);
  });

  it("a failing commit status named in signals.checks on the tag's commit fails the hotfix", async () => {
    await repo().setStatus("acme-ci[bot]", tagCommit(), "smoke-test-api", "failure");
    await settled(run);

    expect(monitor()?.state).toBe("failed");
    expect(monitor()?.text).toMatch(
      /^hotfix failed at .* UTC: commit status `smoke-test-api` is failure\./,
    );
  });

  it("an issue opened with the `regression` label fails the hotfix", async () => {
    const issue = repo().openIssue(PEOPLE.qa, {
      title: "Checkout broken since 1.4.3",
      labels: ["regression"],
    });
    await settled(run);

    expect(monitor()?.state).toBe("failed");
    expect(monitor()?.text).toContain(
      `issue #${issue.number} "Checkout broken since 1.4.3" was opened with the label \`regression\``,
    );
  });

  it("other checks, other statuses, passing smoke tests and other labels cost no write, nor a look at the deployments", async () => {
    const before = trackingBody(run, pr);
    const from = mark(run);
    await repo().check(tagCommit(), "lint", "failure");
    await repo().setStatus("acme-ci[bot]", tagCommit(), "ci/coverage", "error");
    await repo().check(tagCommit(), "smoke-test (us)", "success");
    repo().openIssue(PEOPLE.qa, { title: "Typo on the cart page", labels: ["bug"] });
    await settled(run);

    expect(writesSince(run, from)).toEqual([]);
    // Judged from the payload and the policy alone: no hotfix was looked up.
    const lookups = run.standIn.requests
      .slice(from)
      .filter((r) => r.route?.startsWith("/repos/{owner}/{repo}/deployments"));
    expect(lookups).toEqual([]);
    expect(trackingBody(run, pr)).toBe(before);
    expect(monitor()?.state).toBe("running");
  });
});

describe("the sweep closes a window no event arrived for, and old temporary branches", () => {
  let unheard: HubSnapshot;
  const OLD_BRANCH = "hotfix-bot/tmp/backport-9-to-main-0123456789ab";
  const FRESH_BRANCH = "hotfix-bot/tmp/revert-v1.4.1-0123456789ab";
  const app = () => ({ appId: run.credentials.appId, privateKey: run.credentials.privateKey });

  beforeAll(async () => {
    // A zero-minute window whose production success the app never heard of (its webhook URL
    // was down): only the sweep can close it.
    await restore(approved);
    await pushPolicy(run, demoPolicy({ minutes: 0, revertPr: true }));
    await release();
    await report(run, onlyDeployment(run, "staging"), "success");
    await withoutDeliveries(run, "deployment_status", () =>
      report(run, onlyDeployment(run, "production"), "success"),
    );
    // A temporary branch a crashed run left two hours ago, and one a run is using now.
    const main = await repo().headOf("main");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000)
      .toISOString()
      .replace(/\.\d+Z$/, "Z");
    const who = {
      name: "hotfix-bot[bot]",
      email: "hotfix-bot@users.noreply.github.com",
      date: twoHoursAgo,
    };
    const old = await repo().git.writeCommit({
      tree: (await repo().git.treeOf(main)) as string,
      parents: [main],
      message: "hotfix-bot: temporary",
      author: who,
      committer: who,
    });
    await repo().branch(OLD_BRANCH, old, PEOPLE.releaser);
    await repo().branch(FRESH_BRANCH, main, PEOPLE.releaser);
    await settled(run);
    unheard = await keep();
  }, 30_000);

  const branches = async () =>
    (await repo().git.listRefs("refs/heads/hotfix-bot/tmp/")).map((r) =>
      r.ref.slice("refs/heads/".length),
    );

  it("(the prepared state: production succeeded, the app does not know it yet)", async () => {
    await restore(unheard);
    expect(stages(run, pr)["Deploy to production"]?.state).toBe("running");
    expect(monitor()).toBeUndefined();
    expect((await branches()).sort()).toEqual([OLD_BRANCH, FRESH_BRANCH].sort());
  });

  it("`hotfix-bot sweep`, as the GitHub App, closes the window clean and deletes only the old temporary branch; swept again, it writes nothing", async () => {
    await restore(unheard);
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const env = { APP_ID: String(app().appId), PRIVATE_KEY: app().privateKey };

    const code = await runSweep([], io, { env, probot: () => probotFor(run) });
    await settled(run);

    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toEqual([
      expect.stringMatching(new RegExp(`^acme/shop deleted ${OLD_BRANCH} \\(left since `)),
      expect.stringMatching(new RegExp(`^acme/shop #${pr} v1\\.4\\.3: window closed clean at `)),
      "swept 1 repositories, 1 with a deploy policy; 0 errors.",
    ]);
    expect(monitor()?.state).toBe("done");
    expect(monitor()?.text).toMatch(/^closed clean at .* UTC: no failure signal in 0 minutes$/);
    expect(await branches()).toEqual([FRESH_BRANCH]);

    const from = mark(run);
    expect(
      await runSweep([], { out: () => {}, err: () => {} }, { env, probot: () => probotFor(run) }),
    ).toBe(0);
    expect(writesSince(run, from)).toEqual([]);
  });

  it("POST /hotfix-bot/sweep answers 405 to GET and 401 without the bearer token, and with it closes the window and deletes the old branch", async () => {
    await restore(unheard);
    const url = `${run.app.url}/hotfix-bot/sweep`;
    const from = mark(run);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { method: "POST" })).status).toBe(401);
    expect(
      (await fetch(url, { method: "POST", headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
    expect(run.standIn.requests.slice(from)).toEqual([]);
    expect(monitor()).toBeUndefined();

    const answer = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${SWEEP_TOKEN}` },
    });
    const body = (await answer.json()) as {
      repositories: number;
      swept: unknown[];
      errors: string[];
    };
    await settled(run);

    expect(answer.status).toBe(200);
    expect(body).toMatchObject({ repositories: 1, errors: [] });
    expect(body.swept).toEqual([
      {
        repo: "acme/shop",
        decisions: [
          expect.stringMatching(new RegExp(`^deleted ${OLD_BRANCH} `)),
          expect.stringMatching(new RegExp(`^#${pr} v1\\.4\\.3: window closed clean at `)),
        ],
      },
    ]);
    expect(monitor()?.state).toBe("done");
    expect(await branches()).toEqual([FRESH_BRANCH]);
  });
});

describe("/rollback-hotfix", () => {
  const revertPulls = () =>
    [...repo().state.issues.values()].filter((i) => i.pull?.headRef === "hotfix-bot/revert-v1.4.3");
  const rollbacks = () => deployments(run, "production").filter((d) => d.ref === "v1.4.2");

  it("deploys the previous tag of the line to production, records it, opens the revert PR once — assigned to the asker, linking the hotfix — and reuses both when repeated", async () => {
    await restore(live);
    const command = await say(run, PEOPLE.releaser, pr, ROLLBACK);

    const [rollback] = rollbacks();
    expect(rollbacks()).toHaveLength(1);
    expect(payloadOf(rollback as Deployment)).toEqual({
      pr,
      version: "1.4.2",
      tag: "v1.4.2",
      stage: "rollback",
      requested_by: PEOPLE.releaser,
      rollback_of: "v1.4.3",
    });
    expect(readStoredBlock(trackingBody(run, pr)).rollback).toMatchObject({
      by: PEOPLE.releaser,
      previousTag: "v1.4.2",
    });
    expect(stages(run, pr).Rollback?.text).toMatch(
      /^asked by @mia: `v1\.4\.2` → `production`: deployment \d+ created/,
    );
    expect(monitor()?.text).toMatch(/^hotfix rolled back by @mia at /);

    const [revert] = revertPulls();
    expect(revertPulls()).toHaveLength(1);
    expect(revert?.pull?.baseRef).toBe("release/1.4");
    expect(revert?.assignees).toEqual([PEOPLE.releaser]);
    expect(revert?.body).toContain(`https://github.com/acme/shop/pull/${pr}`);
    // The revert PR's head has the file as it was before the hotfix.
    const before = await repo().git.git(["show", `${tagCommit()}~1:src/login.ts`]);
    const reverted = await repo().git.git(["show", `${revert?.pull?.headSha}:src/login.ts`]);
    expect(reverted.stdout.toString()).toBe(before.stdout.toString());
    expect(replies(run, pr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^@mia rolling \`production\` back to \`v1\\.4\\.2\` \\(deployment ${rollback?.id}\\); revert PR \\[#${revert?.number}\\]`,
        ),
      ),
    ]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "rocket"]);

    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, ROLLBACK);
    expect(rollbacks()).toHaveLength(1);
    expect(revertPulls()).toHaveLength(1);
    expect(routesOf(writesSince(run, from))).not.toContain(CREATE_DEPLOYMENT);
    expect(routesOf(writesSince(run, from))).not.toContain(OPEN_PULL);
    expect(replies(run, pr).at(-1)).toMatch(
      /^@mia already rolling `production` back to `v1\.4\.2`/,
    );
  });

  it("when GitHub fails to open the revert PR (502), the asker is still answered and the rollback stands", async () => {
    await restore(live);
    const fault = run.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/pulls",
      kind: { status: 502 },
    });
    const command = await say(run, PEOPLE.releaser, pr, ROLLBACK);

    expect(fault.fired).toHaveLength(1);
    expect(rollbacks()).toHaveLength(1);
    expect(revertPulls()).toEqual([]);
    expect(replies(run, pr)).toEqual([
      expect.stringMatching(
        /^@mia rolling `production` back to `v1\.4\.2` \(deployment \d+\); no revert PR: .*502/,
      ),
    ]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "rocket"]);
    expect(monitor()?.text).toMatch(/^hotfix rolled back by @mia at /);
  });

  it("a repeated /rollback-hotfix opens the revert PR GitHub failed to open the first time, reusing the rollback deployment", async () => {
    await restore(live);
    run.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/pulls",
      kind: { status: 502 },
    });
    await say(run, PEOPLE.releaser, pr, ROLLBACK);
    expect(revertPulls()).toEqual([]);

    await say(run, PEOPLE.releaser, pr, ROLLBACK);
    expect(rollbacks()).toHaveLength(1);
    expect(revertPulls()).toHaveLength(1);
    expect(revertPulls()[0]?.assignees).toEqual([PEOPLE.releaser]);
    expect(stages(run, pr).Rollback?.text).toContain(`revert PR [#${revertPulls()[0]?.number}]`);
  });

  it("is refused when the hotfix never reached production, creating nothing", async () => {
    await restore(released);
    const from = mark(run);
    const command = await say(run, PEOPLE.releaser, pr, ROLLBACK);

    expect(replies(run, pr)).toEqual([
      "@mia `v1.4.3` was never deployed to `production` by hotfix-bot, so there is nothing to roll back.",
    ]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "confused"]);
    expect(routesOf(writesSince(run, from))).not.toContain(CREATE_DEPLOYMENT);
    expect(rollbacks()).toEqual([]);
  });
});

describe("redelivery", () => {
  it("a redelivered deployment_status creates no second deployment, posts nothing and writes nothing", async () => {
    await restore(released);
    const staging = onlyDeployment(run, "staging");
    const sent = run.sent.length;
    run.standIn.webhooks.setOptions({ duplicate: true }); // delivered twice at the same moment
    await report(run, staging, "success");
    run.standIn.webhooks.setOptions({ duplicate: false });
    expect(deployments(run, "production")).toHaveLength(1);
    const comments = botComments(run, pr).map((c) => c.body);

    const from = mark(run);
    await redeliver(run, statusEvent(sent, staging, "success")); // and once more, later
    expect(writesSince(run, from)).toEqual([]);
    expect(deployments(run, "production")).toHaveLength(1);
    expect(botComments(run, pr).map((c) => c.body)).toEqual(comments);
  });

  it("a repeated /release-hotfix reuses the staging deployment", async () => {
    await restore(released);
    const staging = onlyDeployment(run, "staging");
    const from = mark(run);
    await release();

    expect(deployments(run).map((d) => d.id)).toEqual([staging.id]);
    expect(routesOf(writesSince(run, from))).toEqual([REACTION, REACTION]);
  });
});
