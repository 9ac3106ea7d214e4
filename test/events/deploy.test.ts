import { describe, expect, it } from "@jest/globals";
import { ProbotOctokit } from "probot";
import { createApp } from "../../src/app.js";
import { createGitHubPort } from "../../src/github/octokit-port.js";
import { startDeploy } from "../../src/deploy/start-deploy.js";
import { parseTracking } from "../../src/tracking/render.js";
import { openTracking } from "../../src/tracking/tracking-comment.js";
import { policySchema } from "../../src/policy/schema.js";
import { parse } from "yaml";
import { runSweep } from "../../src/cli/sweep.js";
import { sweepRoute } from "../../src/events/sweep-route.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  loadWebhookExample,
  recordedRequests,
  testProbot,
  useGitHubNock,
} from "../helpers/github-nock.js";
import {
  checkRunJson,
  deployerReports,
  fakeDeployGitHub,
  issueJson,
  iso,
  MERGE_SHA,
  minutesAgo,
  OWNER,
  PR,
  REPO,
  releasedFake,
  TAG,
  VERSION,
  type DeployFake,
} from "../deploy/fake-deploy-github.js";

useGitHubNock();

const policyText = (promote: "auto" | "manual", extra = "") => `
hotfix:
  targets: ["master", "release/*"]
release:
  allowed: { users: ["releaser"], permission: maintain }
deploy:
  promote: ${promote}
  monitor:
    minutes: 60
    signals: { checks: ["smoke-test*"], labels: ["regression"] }
${extra}`;

const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** A fresh app instance, as after a restart: it knows nothing but what GitHub holds. */
const app = () => testProbot(createApp({ appId: 123, answerWithinMs: Infinity }));

/** What the lead's `/release-hotfix` does after releasing: start the deploy. */
async function releaseFinished(state: DeployFake) {
  const github = createGitHubPort(new TestOctokit({ auth: "ghs_test" }), {
    owner: OWNER,
    repo: REPO,
  });
  const policy = policySchema.parse(parse(state.policy));
  const tracking = await openTracking(github, PR);
  return startDeploy(github, {
    pull: PR,
    tag: TAG,
    version: VERSION,
    mergeSha: MERGE_SHA,
    policy,
    tracking,
    actor: "maintainer",
  });
}

const tracked = (state: DeployFake) => parseTracking(state.comments[0]?.body ?? "");
const stageStates = (state: DeployFake) =>
  Object.fromEntries(Object.entries(tracked(state).stages).map(([id, s]) => [id, s.state]));
const deploymentsIn = (state: DeployFake, environment: string) =>
  state.deployments.filter((d) => d.environment === environment);
const mentions = (state: DeployFake) => state.comments.slice(1).map((c) => c.body);
const writes = () =>
  recordedRequests().filter((r) => r.method !== "GET" && !r.path.includes("access_tokens"));

let commentIds = 500;
function command(body: string, login = "maintainer") {
  const payload = loadWebhookExample("issue_comment.created", (p) => p.installation !== undefined);
  payload.issue.number = PR;
  (payload.issue as { pull_request?: object }).pull_request = {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${PR}`,
  };
  payload.comment.body = body;
  payload.comment.id = commentIds++;
  payload.comment.user = {
    ...payload.comment.user,
    login,
    type: "User",
  } as typeof payload.comment.user;
  return { id: `c-${commentIds}`, name: "issue_comment" as const, payload };
}

/** The whole way to an open window: staging and production both succeeded `liveAt`. */
async function liveOnProduction(state: DeployFake, liveAt = minutesAgo(5)) {
  await releaseFinished(state);
  const probot = await app();
  const [staging] = deploymentsIn(state, "staging");
  await probot.receive(deployerReports(state, staging?.id as number, "success", minutesAgo(10)));
  const [production] = deploymentsIn(state, "production");
  await probot.receive(deployerReports(state, production?.id as number, "success", liveAt));
  return { probot, staging: staging as { id: number }, production: production as { id: number } };
}

describe("deploy: staging → production → monitoring window", () => {
  it("without a deploy: section the release says deploying is skipped and creates nothing", async () => {
    const state = releasedFake(policyText("auto").replace(/deploy:[\s\S]*/, ""));
    fakeDeployGitHub(state);
    expect(await releaseFinished(state)).toEqual({ kind: "skipped", reason: "no deploy policy" });
    expect(state.deployments).toEqual([]);
    expect(tracked(state).stages.deploy).toMatchObject({ state: "skipped" });
    expect(state.comments[0]?.body).toContain(
      "**Deploy** — skipped: the policy has no `deploy:` section",
    );
  });

  it("auto: staging with auto_merge false and explicit contexts, promoted on success, window closes clean — no human step", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    await releaseFinished(state);

    const create = recordedRequests().find(
      (r) => r.method === "POST" && r.path.endsWith("/deployments"),
    );
    expect(create?.body).toEqual({
      ref: TAG,
      environment: "staging",
      task: "deploy",
      auto_merge: false,
      required_contexts: [],
      payload: {
        hotfix_bot: {
          pr: PR,
          version: VERSION,
          tag: TAG,
          stage: "staging",
          requested_by: "maintainer",
        },
      },
      description: `hotfix-bot: ${TAG} (hotfix #${PR}) to staging`,
      production_environment: false,
    });
    expect(tracked(state).stages["deploy:staging"]).toMatchObject({ state: "running" });

    // The deployer works on staging, then reports success; production follows by itself.
    const probot = await app();
    const stagingId = state.deployments[0]?.id as number;
    await probot.receive(deployerReports(state, stagingId, "in_progress", minutesAgo(100)));
    expect(state.comments[0]?.body).toMatch(
      /⏳ \*\*Deploy to staging\*\* — `v1\.4\.3` → `staging`: in progress since/,
    );
    await probot.receive(deployerReports(state, stagingId, "success", minutesAgo(95)));
    const [production] = deploymentsIn(state, "production");
    expect(production).toMatchObject({
      ref: TAG,
      production_environment: true,
      payload: { hotfix_bot: { stage: "production", tag: TAG, pr: PR } },
    });

    // Production went live 90 minutes ago: the 60-minute window has passed without a signal.
    const before = writes().length;
    await probot.receive(
      deployerReports(state, production?.id as number, "success", minutesAgo(90)),
    );
    // Two lines changed (production live, window closed): one edit of the comment.
    expect(
      writes()
        .slice(before)
        .map((w) => w.method),
    ).toEqual(["PATCH"]);
    expect(stageStates(state)).toMatchObject({
      "deploy:staging": "done",
      "deploy:production": "done",
      monitor: "done",
    });
    expect(tracked(state).stages.monitor?.text).toMatch(
      /^closed clean at \d{4}-\d\d-\d\d \d\d:\d\d UTC: no failure signal in 60 minutes$/,
    );
    expect(state.deployments).toHaveLength(2);
    expect(mentions(state)).toEqual([]); // nobody had to do anything
  });

  it("manual: staging success waits for /promote-hotfix, and a releaser's command promotes once however often repeated", async () => {
    const state = releasedFake(policyText("manual"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    const probot = await app();
    await probot.receive(
      deployerReports(state, state.deployments[0]?.id as number, "success", minutesAgo(3)),
    );
    expect(deploymentsIn(state, "production")).toEqual([]);
    expect(stageStates(state)["deploy:production"]).toBe("pending");
    expect(mentions(state)).toEqual([
      expect.stringMatching(
        /^@maintainer `v1\.4\.3` is live on `staging`\. Comment `\/promote-hotfix` to deploy it to `production`\./,
      ),
    ]);

    await probot.receive(command("/promote-hotfix", "releaser"));
    await probot.receive(command("/promote-hotfix", "maintainer"));
    const production = deploymentsIn(state, "production");
    expect(production).toHaveLength(1);
    expect(production[0]).toMatchObject({
      payload: { hotfix_bot: { stage: "production", requested_by: "releaser" } },
    });
    expect(stageStates(state)["deploy:production"]).toBe("running");
    expect(state.reactions.filter((r) => r.content === "rocket")).toHaveLength(2);
  });

  it("manual: /promote-hotfix from someone not allowed to release changes nothing", async () => {
    const state = releasedFake(policyText("manual"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    const probot = await app();
    await probot.receive(
      deployerReports(state, state.deployments[0]?.id as number, "success", minutesAgo(3)),
    );
    await probot.receive(command("/promote-hotfix", "dev"));
    expect(deploymentsIn(state, "production")).toEqual([]);
    expect(mentions(state).at(-1)).toMatch(/^@dev may not promote hotfixes here/);
  });

  it("/promote-hotfix before staging succeeded explains what it waits for and creates nothing", async () => {
    const state = releasedFake(policyText("manual"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    await (await app()).receive(command("/promote-hotfix"));
    expect(deploymentsIn(state, "production")).toEqual([]);
    expect(mentions(state).at(-1)).toMatch(
      /^@maintainer `v1\.4\.3` was not promoted to `production`: staging must succeed first, and it stands at: `v1\.4\.3` → `staging`: deployment \d+ created/,
    );
  });

  it("a staging failure stops the hotfix: no production deployment, the releaser is told once", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    const probot = await app();
    const event = deployerReports(
      state,
      state.deployments[0]?.id as number,
      "failure",
      minutesAgo(2),
      "smoke test on staging failed",
    );
    await probot.receive(event);
    await probot.receive({ ...event, id: "redelivered" });
    expect(deploymentsIn(state, "production")).toEqual([]);
    expect(stageStates(state)["deploy:staging"]).toBe("failed");
    expect(tracked(state).stages["deploy:staging"]?.text).toContain("failure on `staging`");
    expect(tracked(state).stages["deploy:staging"]?.text).toContain("smoke test on staging failed");
    expect(mentions(state)).toEqual([
      expect.stringMatching(
        /^@maintainer the staging deployment of `v1\.4\.3` failed .*\*\*not\*\* promoted to production/,
      ),
    ]);
  });

  it("red required contexts: GitHub's 409 is recorded with how to retry, and /promote-hotfix retries", async () => {
    const state = releasedFake(policyText("auto", "  required_contexts: [build]\n"));
    state.refuseDeployments = {
      status: 409,
      message: "Conflict: Commit status checks failed for v1.4.3.",
    };
    fakeDeployGitHub(state);
    await releaseFinished(state);
    expect(state.deployments).toEqual([]);
    expect(tracked(state).stages["deploy:staging"]?.text).toContain(
      "GitHub refused to deploy `v1.4.3` to `staging` (409: Conflict: Commit status checks failed for v1.4.3.). The policy's `deploy.required_contexts` (`build`) must all have succeeded",
    );
    const create = recordedRequests().find(
      (r) => r.method === "POST" && r.path.endsWith("/deployments"),
    );
    expect(create?.body).toMatchObject({ required_contexts: ["build"], auto_merge: false });

    delete state.refuseDeployments; // build went green
    await (await app()).receive(command("/promote-hotfix"));
    expect(deploymentsIn(state, "staging")).toHaveLength(1);
  });
});

describe("monitoring window signals", () => {
  const failed = (state: DeployFake) => tracked(state).stages.monitor;

  it("a production deployment failure inside the window fails the hotfix and offers /rollback-hotfix", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { probot, production } = await liveOnProduction(state);
    expect(failed(state)?.text).toMatch(
      /^watching production until .* \(60 min from .*\): failures reported on the production deployment, failing `smoke-test\*` on the tag's commit, new issues labelled `regression`$/,
    );
    expect(tracked(state).facts.monitorUntil).toBeDefined();

    await probot.receive(
      deployerReports(state, production.id, "error", minutesAgo(1), "pods crash-looping"),
    );
    expect(failed(state)).toMatchObject({ state: "failed" });
    expect(failed(state)?.text).toContain(
      "the production deployment reported error: pods crash-looping",
    );
    expect(mentions(state)).toEqual([
      expect.stringMatching(
        /^@maintainer ❌ the hotfix `v1\.4\.3` \*\*failed\*\*: the production deployment reported error: pods crash-looping at .*, inside its monitoring window \(https:\/\/ci\.example\/deploy\/\d+\)\. To put `v1\.4\.2` back on `production`, comment `\/rollback-hotfix`\./,
      ),
    ]);
  });

  it("a production deployment that never succeeds fails the hotfix without a window", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    const probot = await app();
    await probot.receive(
      deployerReports(state, state.deployments[0]?.id as number, "success", minutesAgo(4)),
    );
    const [production] = deploymentsIn(state, "production");
    const event = deployerReports(
      state,
      production?.id as number,
      "failure",
      minutesAgo(1),
      "image pull failed",
    );
    await probot.receive(event);
    await probot.receive({ ...event, id: "redelivered" });
    expect(stageStates(state)).toMatchObject({ "deploy:production": "failed", monitor: "failed" });
    expect(failed(state)?.text).toMatch(
      /^hotfix failed: the production deployment never succeeded\./,
    );
    expect(mentions(state)).toEqual([
      expect.stringMatching(
        /^@maintainer ❌ the hotfix `v1\.4\.3` \*\*failed\*\*: its production deployment reported `v1\.4\.3` failure on `production` at .*: image pull failed .*comment `\/rollback-hotfix`\./,
      ),
    ]);
  });

  it("a failing check run named in signals.checks on the tag's commit fails the hotfix", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { probot } = await liveOnProduction(state);
    const run = checkRunJson("smoke-test (eu)", "failure", minutesAgo(2));
    state.checkRuns[MERGE_SHA] = [run];
    const payload = loadWebhookExample("check_run.completed");
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    Object.assign(payload.check_run, run);
    await probot.receive({ id: "cr", name: "check_run", payload });
    expect(failed(state)).toMatchObject({ state: "failed", link: run.html_url });
    expect(failed(state)?.text).toContain("check run `smoke-test (eu)` ended failure");
    expect(mentions(state)).toHaveLength(1);
  });

  it("a failing commit status named in signals.checks fails the hotfix", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { probot } = await liveOnProduction(state);
    state.commitStatuses[MERGE_SHA] = [
      {
        id: 1,
        context: "smoke-test (prod)",
        state: "failure",
        target_url: "https://ci.example/smoke",
        description: null,
        creator: { login: "ci", type: "User" },
        updated_at: iso(minutesAgo(1)),
      },
    ];
    const payload = loadWebhookExample("status", (p) => p.installation !== undefined);
    Object.assign(payload, { sha: MERGE_SHA, context: "smoke-test (prod)", state: "failure" });
    await probot.receive({ id: "st", name: "status", payload });
    expect(failed(state)).toMatchObject({ state: "failed", link: "https://ci.example/smoke" });
    expect(failed(state)?.text).toContain("commit status `smoke-test (prod)` is failure");
  });

  it("an issue opened with the regression label fails the hotfix", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { probot } = await liveOnProduction(state);
    const issue = issueJson(77, ["bug", "regression"], minutesAgo(1));
    state.issues.push(issue);
    const payload = loadWebhookExample("issues.opened");
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    Object.assign(payload.issue, issue);
    await probot.receive({ id: "is", name: "issues", payload });
    expect(failed(state)).toMatchObject({ state: "failed", link: issue.html_url });
    expect(failed(state)?.text).toContain(
      'issue #77 "Login broken again after the hotfix" was opened with the label `regression`',
    );
  });

  it("signals outside the window, other checks and other labels change nothing and cost no write", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { probot } = await liveOnProduction(state);
    const before = state.comments[0]?.body;
    const writesBefore = writes().length;
    // A smoke test that ran before production went live, and a failing lint run.
    state.checkRuns[MERGE_SHA] = [
      checkRunJson("smoke-test", "failure", minutesAgo(30)),
      checkRunJson("lint", "failure", minutesAgo(1)),
    ];
    for (const name of ["smoke-test", "lint"]) {
      const payload = loadWebhookExample("check_run.completed");
      payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
      Object.assign(payload.check_run, {
        ...state.checkRuns[MERGE_SHA]?.find((r) => r.name === name),
        pull_requests: [],
      });
      await probot.receive({ id: `cr-${name}`, name: "check_run", payload });
    }
    const payload = loadWebhookExample("issues.opened");
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    Object.assign(payload.issue, issueJson(78, ["question"], minutesAgo(1)));
    await probot.receive({ id: "is2", name: "issues", payload });
    expect(state.comments[0]?.body).toBe(before);
    expect(writes().length).toBe(writesBefore);
  });
});

describe("the window across restarts", () => {
  it("a fresh app instance closes the window clean from GitHub's state once it has passed", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { production } = await liveOnProduction(state);
    expect(tracked(state).stages.monitor?.state).toBe("running");

    // Time passes (the statuses' times are GitHub's truth) and the app restarts; the deployer
    // redelivers its last status. The new instance has only GitHub to go on.
    for (const s of state.statuses.get(production.id) ?? []) s.created_at = iso(minutesAgo(120));
    const last = state.statuses.get(production.id)?.at(-1);
    const event = deployerReports(state, production.id, "success", minutesAgo(120));
    state.statuses.get(production.id)?.pop(); // the redelivery is not a new status
    event.payload.deployment_status = last as typeof event.payload.deployment_status;
    await (await app()).receive(event);
    expect(tracked(state).stages.monitor).toMatchObject({ state: "done" });
    expect(tracked(state).stages.monitor?.text).toMatch(
      /^closed clean at .*: no failure signal in 60 minutes$/,
    );
  });

  it("the sweep (`hotfix-bot sweep`) closes a window no event arrived for, as the GitHub App", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { production } = await liveOnProduction(state);
    for (const s of state.statuses.get(production.id) ?? []) s.created_at = iso(minutesAgo(61));
    const out: string[] = [];
    const err: string[] = [];
    const probot = await testProbot(() => {});
    const code = await runSweep(
      [],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      {
        env: { APP_ID: "123", PRIVATE_KEY: "set" },
        probot: () => probot,
      },
    );
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toEqual([
      expect.stringMatching(/^Codertocat\/Hello-World #2 v1\.4\.3: window closed clean at /),
      "swept 1 repositories, 1 with a deploy policy; 0 errors.",
    ]);
    expect(tracked(state).stages.monitor?.state).toBe("done");
    // Swept again: the window is closed; nothing is judged or written twice.
    const before = writes().length;
    await runSweep(
      [],
      { out: () => {}, err: () => {} },
      { env: { APP_ID: "123", PRIVATE_KEY: "set" }, probot: () => probot },
    );
    expect(writes().length).toBe(before);
  });

  it("the sweep route answers only POST with the bearer token, and sweeps", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { production } = await liveOnProduction(state);
    for (const s of state.statuses.get(production.id) ?? []) s.created_at = iso(minutesAgo(61));
    const route = sweepRoute(await testProbot(() => {}), { token: "s3cret", appId: 123 });
    const call = async (url: string, method: string, authorization?: string) => {
      const res = {
        status: 0,
        body: "",
        writeHead(status: number) {
          this.status = status;
          return this;
        },
        end(body?: string) {
          this.body = body ?? "";
        },
      };
      const handled = await route(
        { url, method, headers: authorization ? { authorization } : {} } as IncomingMessage,
        res as unknown as ServerResponse,
      );
      return { handled, status: res.status, body: res.body ? JSON.parse(res.body) : null };
    };
    expect((await call("/api/github/webhooks", "POST")).handled).toBe(false);
    expect(await call("/hotfix-bot/sweep", "GET", "Bearer s3cret")).toMatchObject({
      handled: true,
      status: 405,
    });
    expect(await call("/hotfix-bot/sweep", "POST", "Bearer wrong")).toMatchObject({ status: 401 });
    expect(tracked(state).stages.monitor?.state).toBe("running");
    const swept = await call("/hotfix-bot/sweep", "POST", "Bearer s3cret");
    expect(swept).toMatchObject({ status: 200, body: { repositories: 1, errors: [] } });
    expect(swept.body.swept[0].decisions[0]).toMatch(/^#2 v1\.4\.3: window closed clean at /);
    expect(tracked(state).stages.monitor?.state).toBe("done");
  });

  it("the sweep refuses to run without the app's credentials", async () => {
    const err: string[] = [];
    expect(await runSweep([], { out: () => {}, err: (l) => err.push(l) }, { env: {} })).toBe(2);
    expect(err[0]).toContain("set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  });
});

describe("/rollback-hotfix", () => {
  it("deploys the previous tag of the line to production, records it, and reuses it when repeated", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    const { probot, production } = await liveOnProduction(state);
    await probot.receive(deployerReports(state, production.id, "failure", minutesAgo(1), "500s"));

    await probot.receive(command("/rollback-hotfix", "dev"));
    expect(deploymentsIn(state, "production")).toHaveLength(1); // refused: dev may not release

    await probot.receive(command("/rollback-hotfix"));
    await probot.receive(command("/rollback-hotfix"));
    const rollbacks = deploymentsIn(state, "production").filter((d) => d.ref === "v1.4.2");
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({
      production_environment: true,
      payload: {
        hotfix_bot: {
          stage: "rollback",
          tag: "v1.4.2",
          version: "1.4.2",
          rollback_of: TAG,
          pr: PR,
          requested_by: "maintainer",
        },
      },
    });
    const create = recordedRequests()
      .filter((r) => r.method === "POST" && r.path.endsWith("/deployments"))
      .at(-1);
    expect(create?.body).toMatchObject({
      ref: "v1.4.2",
      environment: "production",
      auto_merge: false,
      required_contexts: [],
    });
    expect(tracked(state).stages.rollback).toMatchObject({ state: "running" });
    expect(tracked(state).stages.rollback?.text).toMatch(
      /^asked by @maintainer: `v1\.4\.2` → `production`: deployment \d+ created/,
    );
    expect(mentions(state).slice(-2)).toEqual([
      expect.stringMatching(
        /^@maintainer rolling `production` back to `v1\.4\.2` \(deployment \d+\)/,
      ),
      expect.stringMatching(/^@maintainer already rolling `production` back to `v1\.4\.2`/),
    ]);

    // The deployer finishes the rollback.
    await probot.receive(deployerReports(state, rollbacks[0]?.id as number, "success", new Date()));
    expect(tracked(state).stages.rollback).toMatchObject({ state: "done" });
    expect(mentions(state).at(-1)).toMatch(/^@maintainer ✅ `production` is back on `v1\.4\.2`\./);
  });

  it("refuses when the hotfix never reached production", async () => {
    const state = releasedFake(policyText("manual"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    await (await app()).receive(command("/rollback-hotfix"));
    expect(deploymentsIn(state, "production")).toEqual([]);
    expect(mentions(state).at(-1)).toBe(
      "@maintainer `v1.4.3` was never deployed to `production` by hotfix-bot, so there is nothing to roll back.",
    );
  });
});

describe("redelivery", () => {
  it("a redelivered deployment_status creates no second deployment, posts nothing and writes nothing", async () => {
    const state = releasedFake(policyText("manual"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    const probot = await app();
    const event = deployerReports(
      state,
      state.deployments[0]?.id as number,
      "success",
      minutesAgo(3),
    );
    await probot.receive(event);
    const before = {
      deployments: state.deployments.length,
      comments: state.comments.length,
      writes: writes().length,
    };
    await probot.receive({ ...event, id: "again" });
    await (await app()).receive({ ...event, id: "again, after a restart" });
    expect({
      deployments: state.deployments.length,
      comments: state.comments.length,
      writes: writes().length,
    }).toEqual(before);
  });

  it("releasing again (a repeated /release-hotfix) reuses the staging deployment", async () => {
    const state = releasedFake(policyText("auto"));
    fakeDeployGitHub(state);
    await releaseFinished(state);
    await releaseFinished(state);
    expect(state.deployments).toHaveLength(1);
  });
});
