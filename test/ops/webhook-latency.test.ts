import { describe, expect, it } from "@jest/globals";
import type { Probot } from "probot";
import { createApp } from "../../src/app.js";
import { handleDelivery } from "../../src/events/delivery.js";
import { createInProcessLocks } from "../../src/lock/in-process-lock.js";
import { createInProcessKnownLabels } from "../../src/memory/known-labels.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  useGitHubNock,
} from "../helpers/github-nock.js";
import {
  apiCheckRun,
  checkRuns,
  noBranchRules,
  type PayloadPull,
  policyFile,
  repoPath,
  statuses,
} from "../events/github-mocks.js";
import { deliver, eventually, useProbotServer, type RunningServer } from "./probot-server.js";

useGitHubNock();

// Ongoing work (other open PRs) is off: these tests time the answer, not the gate's reads.
const POLICY = `
hotfix:
  targets: ["master", "release/*"]
checks:
  required: ["build"]
conflicts:
  on_overlap: "off"
`;
/** The answer budget under test; GitHub's own limit is 10 s. */
const BUDGET_MS = 300;
/** How slow the GitHub stand-in is made: far beyond the budget. */
const SLOW_MS = 2_000;

function hotfixLabeled(id: string) {
  const payload = loadWebhookExample("pull_request.labeled", (p) => p.installation !== undefined);
  const pr = payload.pull_request as unknown as PayloadPull;
  Object.assign(pr, { labels: [{ name: "hotfix" }], draft: false, state: "open", merged: false });
  pr.head.ref = "hotfix/login";
  return { id, name: "pull_request", payload, sha: pr.head.sha };
}

const writes = () =>
  recordedRequests().filter((r) => r.method !== "GET" && !r.path.includes("access_tokens"));

// The deliveries go to the app over real HTTP on 127.0.0.1; GitHub stays mocked.
const startServer = useProbotServer();

/** The delivery's log line with this decision has been written: its work has ended. */
const decided = (s: RunningServer, id: string, decision: RegExp) => () =>
  s.logs.some((l) => l.delivery === id && decision.test(String(l.decision)));
const GATED = /^#2 hotfix .*check (created|updated|unchanged)/;

describe("webhook answer time (GitHub gives up after 10 s)", () => {
  it("answers a signed delivery within the budget while slow GitHub work goes on, then finishes it", async () => {
    const server = await startServer(createApp({ appId: 123, answerWithinMs: BUDGET_MS }));
    const event = hotfixLabeled("slow-1");
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY);
    noBranchRules(api);
    checkRuns(api, event.sha, [apiCheckRun("build", "completed", "success")]);
    statuses(api, event.sha, []);
    api.post(`${repoPath}/check-runs`).delay(SLOW_MS).reply(201, {});

    const answer = await deliver(server.url, event);
    const answeredAt = performance.now();

    expect(answer.status).toBe(200);
    // Bounded by the budget, not by the work: well under the injected delay.
    expect(answer.ms).toBeLessThan(BUDGET_MS + 700);
    expect(answer.ms).toBeLessThan(SLOW_MS / 2);
    expect(decided(server, "slow-1", GATED)()).toBe(false); // the work was still waiting on GitHub

    await eventually(decided(server, "slow-1", GATED));
    expect(performance.now() - answeredAt).toBeGreaterThan(SLOW_MS / 2);
    expect(writes().map((w) => w.route)).toEqual(["POST /repos/{owner}/{repo}/check-runs"]);
    // The one structured line for the gate's work: delivery, event, repo, PR, decision, requests.
    const line = server.logs.find((l) => l.delivery === "slow-1" && GATED.test(String(l.decision)));
    expect(line).toMatchObject({
      event: "pull_request.labeled",
      repo: "Codertocat/Hello-World",
      pr: 2,
      decision: expect.stringMatching(/check created/),
      requests: 7, // token, policy, GitHub's rules (rules, branch), check runs, statuses, the write
    });
  });

  it("answers fast work with its result as usual, and a failure within the budget with 500", async () => {
    const server = await startServer(createApp({ appId: 123, answerWithinMs: 5_000 }));
    const event = hotfixLabeled("fails-fast");
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY);
    noBranchRules(api);
    checkRuns(api, event.sha, []);
    statuses(api, event.sha, []);
    api.post(`${repoPath}/check-runs`).reply(500, { message: "boom" });
    const answer = await deliver(server.url, event);
    // GitHub shows the delivery as failed, so an operator can redeliver it.
    expect(answer.status).toBe(500);
  });

  it("a delivery whose work died after the answer is resumed by the redelivery, with one write", async () => {
    const server = await startServer(createApp({ appId: 123, answerWithinMs: BUDGET_MS }));
    const event = hotfixLabeled("dies-late");
    // The same run throughout: the check's summary links to it.
    const build = apiCheckRun("build", "completed", "success");
    const first = mockInstallationToken(githubApi());
    policyFile(first, POLICY);
    noBranchRules(first);
    checkRuns(first, event.sha, [build]);
    statuses(first, event.sha, []);
    first
      .post(`${repoPath}/check-runs`)
      .delay(BUDGET_MS * 3)
      .reply(502, { message: "Server Error" });
    expect((await deliver(server.url, event)).status).toBe(200);
    await eventually(() => server.logs.some((l) => l.delivery === "dies-late" && l.level >= 50));

    // GitHub (or an operator) redelivers the same delivery: it reads, finds nothing written, writes once.
    const again = githubApi();
    policyFile(again, POLICY);
    noBranchRules(again);
    checkRuns(again, event.sha, [build]);
    statuses(again, event.sha, []);
    again.post(`${repoPath}/check-runs`).reply(201, {});
    expect((await deliver(server.url, event)).status).toBe(200);
    await eventually(decided(server, "dies-late", /check created/));
    const posted = writes().filter((w) => w.route === "POST /repos/{owner}/{repo}/check-runs");
    expect(posted).toHaveLength(2); // the failed attempt and the one that stuck

    // A third delivery sees the check GitHub now shows and writes nothing.
    const written = posted[1]?.body as {
      status: string;
      conclusion: string;
      output: { title: string; summary: string };
    };
    const third = githubApi();
    policyFile(third, POLICY);
    noBranchRules(third);
    checkRuns(third, event.sha, [
      build,
      apiCheckRun("Hotfix policy", written.status, written.conclusion, 123, written.output),
    ]);
    statuses(third, event.sha, []);
    expect((await deliver(server.url, event)).status).toBe(200);
    await eventually(decided(server, "dies-late", /check unchanged/));
    expect(writes()).toHaveLength(2);
  });

  it("the answer does not grow with the work: 50 sequential slow GitHub calls (a 50-commit backport's size)", async () => {
    const CALLS = 50;
    const EACH_MS = 40;
    let done = 0;
    // A use-case of backport size run through the real delivery wrapper and server.
    const app = (probot: Probot) => {
      probot.on("issue_comment.created", (context) =>
        handleDelivery(
          context,
          {
            appId: 123,
            answerWithinMs: BUDGET_MS,
            locks: createInProcessLocks(),
            knownLabels: createInProcessKnownLabels(),
            httpCache: null,
            now: () => new Date(),
          },
          {
            run: async ({ github }) => {
              for (let i = 0; i < CALLS; i++) {
                await github.getPull(2);
                done++;
              }
              return `read ${CALLS} times`;
            },
          },
        ),
      );
    };
    const server = await startServer(app);
    const payload = loadWebhookExample(
      "issue_comment.created",
      (p) => p.installation !== undefined,
    );
    const owner = payload.repository.owner.login;
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY); // every delivery resolves the policy first
    const pull = loadWebhookExample("pull_request.opened").pull_request;
    api
      .get(`/repos/${owner}/${payload.repository.name}/pulls/2`)
      .times(CALLS)
      .delay(EACH_MS)
      .reply(200, pull);

    const answer = await deliver(server.url, { id: "fifty", name: "issue_comment", payload });
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(BUDGET_MS + 700);
    expect(done).toBeLessThan(CALLS);
    await eventually(() => done === CALLS, 10_000);
    await eventually(decided(server, "fifty", /read 50 times/));
    expect(
      server.logs.find((l) => l.delivery === "fifty" && l.requests === CALLS + 2),
    ).toMatchObject({ decision: `read ${CALLS} times` });
  });
});
