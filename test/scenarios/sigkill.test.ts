/**
 * The app process killed (SIGKILL: no cleanup, no `finally`) at each write of `/release-hotfix`
 * — the release, the deploy start and both backports — once before GitHub applied the write and
 * once after (every other case), then the command repeated on a fresh process: the end state
 * must be the fault-free run's — one merge, one tag, one release, one PR per backport target with
 * all its labels, assignee and reviewers, one deployment per stage, one tracking comment — and no
 * `hotfix-bot/tmp/*` branch left behind.
 *
 * The app runs as its own process (`fixtures/app-child.ts`: Probot's `run()`, the code path of
 * `probot run`) with Octokit's retries and throttling off, so a case takes seconds, not the
 * minute Probot's one-write-a-second spacing would. Every case starts from one snapshot of the
 * stand-in taken when the PR was approved.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort, newAppCredentials, ROOT, type AppHost } from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, seedDemo } from "../../sandbox/demo-repo.js";
import {
  comment,
  playDeployer,
  playUntilApproved,
  RELEASE_COMMAND,
} from "../../sandbox/lifecycle.js";
import { endState, type EndState } from "../../sandbox/outcome.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import { startStandIn, type InterceptedRequest } from "../../sandbox/stand-in/server.js";

const CHILD = join(ROOT, "test", "scenarios", "fixtures", "app-child.ts");
const credentials = newAppCredentials(OWNER);

interface ChildApp extends AppHost {
  child: ChildProcess;
  exited: Promise<void>;
}

async function startChild(): Promise<ChildApp> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      APP_ID: String(credentials.appId),
      PRIVATE_KEY: credentials.privateKey,
      WEBHOOK_SECRET: credentials.webhookSecret,
      GHE_HOST: new URL(standIn.url).host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      WEBHOOK_PROXY_URL: "",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const workInFlight = async () => {
    const answer = await fetch(`${url}/healthz`);
    return ((await answer.json()) as { workInFlight: number }).workInFlight;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    try {
      await workInFlight();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("the app did not start within 30 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const host: ChildApp = {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    child,
    exited,
    workInFlight,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
  standIn.connectApp({
    url: host.webhookUrl,
    secret: credentials.webhookSecret,
    appId: credentials.appId,
  });
  return host;
}

const isWrite = (r: InterceptedRequest) => r.method !== "GET" && !r.path.endsWith("/access_tokens");

// The fault-free run first, at load time: its writes name the test cases.
const standIn = await startStandIn();
standIn.registerApp({
  id: credentials.appId,
  slug: credentials.slug,
  name: credentials.name,
  owner: credentials.owner,
  publicKey: credentials.publicKey,
  installationId: credentials.installationId,
  webhookSecret: credentials.webhookSecret,
});
const demo = await seedDemo(standIn);
let app = await startChild();
const player = () => ({ standIn, app, demo, settleTimeoutMs: 20_000 });
const pr = await playUntilApproved(player());
await standIn.webhooks.idle();
const approved: HubSnapshot = await standIn.hub.snapshot();
const from = standIn.requests.length;
await comment(player(), PEOPLE.releaser, pr, RELEASE_COMMAND);
const commandWrites = standIn.requests
  .slice(from)
  .filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"))
  .map((r) => `${r.method} ${r.route}`);
await playDeployer(player());
const reference: EndState = await endState(demo, pr);

afterAll(async () => {
  await app.close();
  await approved.dispose();
  await standIn.close();
});

describe("the app killed at each write of /release-hotfix, then the command again on a fresh process", () => {
  it("covers the release, the deploy start and both backports", () => {
    expect(commandWrites.length).toBeGreaterThan(25);
    for (const route of [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
      "POST /repos/{owner}/{repo}/git/tags",
      "POST /repos/{owner}/{repo}/releases",
      "POST /repos/{owner}/{repo}/deployments",
      "POST /repos/{owner}/{repo}/merges",
      "POST /repos/{owner}/{repo}/pulls",
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    ]) {
      expect(commandWrites).toContain(route);
    }
  });

  const cases = commandWrites.map((route, at) => ({
    at,
    landed: at % 2 === 1,
    label: `write ${at + 1}, ${route}, killed ${at % 2 === 1 ? "after GitHub applied it" : "before GitHub applied it"}`,
  }));

  it.each(cases)(
    "ends as the fault-free run did: $label",
    async ({ at, landed }) => {
      await standIn.webhooks.idle();
      await standIn.hub.restore(approved);
      const problemsBefore = standIn.problems().length;
      let seen = 0;
      let killed = false;
      const victim = app;
      const stop = standIn.intercept(async (request) => {
        if (killed || !isWrite(request) || seen++ !== at) return undefined;
        killed = true;
        victim.child.kill("SIGKILL");
        await victim.exited;
        // Landed: the write happens, the app never hears of it. Not landed: nothing happens.
        return landed ? undefined : { status: 502, body: { message: "Server Error" } };
      });
      try {
        demo.repo.comment(PEOPLE.releaser, pr, RELEASE_COMMAND);
        await victim.exited;
      } finally {
        stop();
      }
      expect(killed).toBe(true);
      await standIn.webhooks.idle();

      app = await startChild();
      await comment(player(), PEOPLE.releaser, pr, RELEASE_COMMAND);
      await playDeployer(player());
      const state = await endState(demo, pr);
      expect(state).toEqual(reference);
      expect(state.branches.filter((b) => b.startsWith("hotfix-bot/"))).toEqual([]);
      // Every backport PR has its labels, its assignee and the requested reviewer.
      for (const issue of demo.repo.state.issues.values()) {
        if (!issue.pull?.headRef.startsWith("backport/")) continue;
        expect(issue.assignees).toEqual(["dana"]);
        expect(issue.pull.requestedReviewers).toEqual(expect.arrayContaining(["rita"]));
      }
      // The stand-in saw nothing GitHub would refuse (unimplemented routes, OpenAPI violations).
      expect(standIn.problems().slice(problemsBefore)).toEqual([]);
    },
    60_000,
  );
});
