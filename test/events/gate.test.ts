import { describe, expect, it } from "@jest/globals";
import { createApp } from "../../src/app.js";
import {
  githubApi,
  loadWebhookExample,
  mockInstallationToken,
  recordedRequests,
  testProbot,
  useGitHubNock,
} from "../helpers/github-nock.js";
import {
  apiCheckRun,
  apiReview,
  checkRuns,
  noBranchRules,
  noPolicy,
  type PayloadPull,
  policyFile,
  policyFileAt,
  pullFiles,
  repoPath,
  reviews,
  statuses,
  teamMember,
} from "./github-mocks.js";

useGitHubNock();

const APP_ID = 123;
/**
 * The gate's own requirements, and the reads behind them. Other open PRs (`conflicts`) and
 * review requests are left out here: the scenarios on the stand-in test them through real git
 * (test/scenarios/ongoing-work.test.ts, test/scenarios/review-requests.test.ts).
 */
const POLICY = `
hotfix:
  targets: ["master", "release/*"]
checks:
  required: ["build"]
approvals:
  request_reviews: false
  groups:
    - { name: QA, teams: ["acme/qa"] }
conflicts:
  on_overlap: "off"
`;

/** A real `pull_request` payload, turned into a hotfix PR from `hotfix/login` onto master. */
function prEvent(
  action: "opened" | "synchronize" | "labeled" | "closed" | "edited" = "opened",
  change: (pr: PayloadPull) => void = () => {},
) {
  // GitHub's examples have no "edited" delivery: an "opened" one re-labelled stands in for it.
  const example = action === "edited" ? "opened" : action;
  const payload = loadWebhookExample(
    `pull_request.${example}` as "pull_request.opened",
    (p) => p.installation !== undefined,
  );
  (payload as { action: string }).action = action;
  const pr = payload.pull_request as unknown as PayloadPull;
  pr.head.ref = "hotfix/login";
  pr.labels = [];
  pr.draft = false;
  pr.state = "open";
  pr.merged = false;
  change(pr);
  return { id: `delivery-${Math.random()}`, name: "pull_request" as const, payload };
}

const writes = () =>
  recordedRequests().filter((r) => r.method !== "GET" && !r.path.includes("access_tokens"));

async function probot() {
  return testProbot(createApp({ appId: APP_ID }));
}

describe("Hotfix policy gate", () => {
  it("labels a hotfix recognised by branch and shows what is missing", async () => {
    const event = prEvent();
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    pullFiles(api, 2);
    policyFile(api, POLICY);
    api.post(`${repoPath}/issues/2/labels`).reply(200, [{ name: "hotfix" }]);
    reviews(api, 2, [apiReview("qa-carol", "APPROVED", "0".repeat(40))]);
    noBranchRules(api);
    checkRuns(api, sha, [apiCheckRun("build", "in_progress", null)]);
    statuses(api, sha, []);
    api
      .post(`${repoPath}/check-runs`)
      .reply(201, apiCheckRun("Hotfix policy", "in_progress", null, APP_ID));

    await (await probot()).receive(event);

    const [label, check] = writes();
    expect(label?.body).toEqual({ labels: ["hotfix"] });
    expect(check?.body).toMatchObject({
      name: "Hotfix policy",
      head_sha: sha,
      status: "in_progress",
      output: { title: "3 of 5 requirements met — waiting for Required checks, QA approval" },
    });
    const summary = (check?.body as { output: { summary: string } }).output.summary;
    expect(summary).toContain(
      "| ⏳ | Required checks | waiting: [build](https://github.com/Codertocat/Hello-World/runs/",
    );
    expect(summary).toContain(
      "| ⏳ | QA approval | Waiting for 1 approval from QA (acme/qa); @qa-carol approved an older commit, and approvals on older commits don't count |",
    );
    expect(summary).toContain("| ✅ | Base branch | `master` is a hotfix target |");
  });

  it("turns green when checks pass and the group approves, and says how to release", async () => {
    const event = prEvent("labeled", (pr) => (pr.labels = [{ name: "hotfix" }]));
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY);
    reviews(api, 2, [apiReview("qa-carol", "APPROVED", sha)]);
    noBranchRules(api);
    checkRuns(api, sha, [
      apiCheckRun("build", "completed", "success"),
      apiCheckRun("Hotfix policy", "in_progress", null, APP_ID),
    ]);
    statuses(api, sha, []);
    teamMember(api, "acme/qa", "qa-carol", true);
    api.patch(/\/check-runs\/\d+$/).reply(200, {});

    await (await probot()).receive(event);

    const [update] = writes();
    expect(update?.body).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "5 of 5 requirements met — ready to release: comment /release-hotfix" },
    });
  });

  it("a new push makes an earlier approval stale (invalidate_on_push) on the new head", async () => {
    const event = prEvent("synchronize", (pr) => (pr.labels = [{ name: "hotfix" }]));
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    pullFiles(api, 2);
    policyFile(api, POLICY);
    reviews(api, 2, [apiReview("qa-carol", "APPROVED", "1".repeat(40))]);
    noBranchRules(api);
    checkRuns(api, sha, [apiCheckRun("build", "completed", "success")]);
    statuses(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});

    await (await probot()).receive(event);

    expect(writes()[0]?.body).toMatchObject({
      status: "in_progress",
      output: { title: expect.stringMatching(/waiting for QA approval/) },
    });
  });

  it("a repeated event writes nothing when the verdict is unchanged", async () => {
    const event = prEvent("labeled", (pr) => (pr.labels = [{ name: "hotfix" }]));
    const sha = event.payload.pull_request.head.sha;
    // First delivery: learn exactly what the bot writes.
    const build = apiCheckRun("build", "completed", "failure");
    const first = mockInstallationToken(githubApi());
    policyFile(first, POLICY);
    reviews(first, 2, []);
    noBranchRules(first);
    checkRuns(first, sha, [build]);
    statuses(first, sha, []);
    first.post(`${repoPath}/check-runs`).reply(201, {});
    const app = await probot();
    await app.receive(event);
    const written = writes()[0]?.body as {
      status: string;
      conclusion: string;
      output: { title: string; summary: string };
    };
    expect(written).toMatchObject({ conclusion: "failure" });

    // Redelivery: GitHub now shows that check run; nothing may be written.
    const again = githubApi();
    policyFile(again, POLICY);
    reviews(again, 2, []);
    noBranchRules(again);
    checkRuns(again, sha, [
      build,
      apiCheckRun("Hotfix policy", written.status, written.conclusion, APP_ID, written.output),
    ]);
    statuses(again, sha, []);
    const before = writes().length;
    await app.receive({ ...event, id: "redelivered" });
    expect(writes().length).toBe(before);
  });

  it("a PR that is not a hotfix gets no check run and costs zero writes", async () => {
    const event = prEvent("opened", (pr) => (pr.head.ref = "feature/login"));
    const api = mockInstallationToken(githubApi());
    pullFiles(api, 2);
    policyFile(api, POLICY);
    await (await probot()).receive(event);
    expect(writes()).toEqual([]);
  });

  it("a repository without a policy is left alone", async () => {
    const event = prEvent("labeled", (pr) => (pr.labels = [{ name: "hotfix" }]));
    noPolicy(mockInstallationToken(githubApi()));
    await (await probot()).receive(event);
    expect(writes()).toEqual([]);
  });

  it("a closed PR costs the policy read only (with `block` it may free a hotfix), and no write", async () => {
    const event = prEvent("closed", (pr) => {
      pr.state = "closed";
    });
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY);
    await (await probot()).receive(event);
    expect(
      recordedRequests()
        .filter((r) => !r.path.includes("access_tokens"))
        .map((r) => r.method),
    ).toEqual(["GET"]);
  });

  it("an edit that does not change the base is ignored", async () => {
    const event = prEvent("edited");
    delete (event.payload as { changes?: unknown }).changes;
    await (await probot()).receive(event);
    expect(recordedRequests()).toEqual([]);
  });

  it("an invalid policy fails the check with its problems and does nothing else", async () => {
    const event = prEvent();
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    pullFiles(api, 2);
    policyFile(api, "release:\n  merge_method: fast\n");
    checkRuns(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await (await probot()).receive(event);
    const all = writes();
    expect(all).toHaveLength(1); // no label, nothing else
    expect(all[0]?.body).toMatchObject({
      name: "Hotfix policy",
      conclusion: "failure",
      output: { title: expect.stringMatching(/^The hotfix policy is invalid \(1 problem\)/) },
    });
    expect((all[0]?.body as { output: { summary: string } }).output.summary).toContain(
      'Codertocat/Hello-World:.github/hotfix.yml:2: release.merge_method: expected one of "squash", "merge", "rebase", "none", got string "fast"',
    );
  });

  it("a team the app cannot see fails the group and explains the Members permission", async () => {
    const event = prEvent("labeled", (pr) => (pr.labels = [{ name: "hotfix" }]));
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY);
    reviews(api, 2, [apiReview("qa-carol", "APPROVED", sha)]);
    noBranchRules(api);
    checkRuns(api, sha, [apiCheckRun("build", "completed", "success")]);
    statuses(api, sha, []);
    api
      .get("/orgs/acme/teams/qa/members")
      .query({ per_page: "100" })
      .reply(404, { message: "Not Found" });
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await (await probot()).receive(event);
    const body = writes()[0]?.body as { conclusion: string; output: { summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toMatch(
      /Team acme\/qa does not exist or the app cannot see it.*Members: read/,
    );
  });

  it("reads every page of reviews beyond 100", async () => {
    const event = prEvent("labeled", (pr) => (pr.labels = [{ name: "hotfix" }]));
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    policyFile(api, POLICY);
    const page1 = Array.from({ length: 100 }, (_, i) =>
      apiReview(`commenter${i}`, "COMMENTED", sha, i + 1),
    );
    api
      .get(`${repoPath}/pulls/2/reviews`)
      .query({ per_page: "100" })
      .reply(200, page1, {
        link: `<https://api.github.com${repoPath}/pulls/2/reviews?per_page=100&page=2>; rel="next"`,
      });
    api
      .get(`${repoPath}/pulls/2/reviews`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [apiReview("qa-carol", "APPROVED", sha, 500)]);
    noBranchRules(api);
    checkRuns(api, sha, [apiCheckRun("build", "completed", "success")]);
    statuses(api, sha, []);
    teamMember(api, "acme/qa", "qa-carol", true);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await (await probot()).receive(event);
    expect(writes()[0]?.body).toMatchObject({ conclusion: "success" });
  });
});

describe("re-evaluation on other events", () => {
  it("check_run completed by another app re-evaluates the PRs with that head", async () => {
    const payload = loadWebhookExample("check_run.completed");
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    payload.check_run.name = "build"; // a required check
    const sha = payload.check_run.head_sha;
    const api = mockInstallationToken(githubApi());
    const pr = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined)
      .pull_request as unknown as PayloadPull;
    pr.head.ref = "hotfix/login";
    pr.head.sha = sha;
    api.get(`${repoPath}/pulls/2`).reply(200, pr);
    policyFile(api, POLICY);
    reviews(api, 2, []);
    noBranchRules(api);
    checkRuns(api, sha, [apiCheckRun("build", "completed", "success")]);
    statuses(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await (await probot()).receive({ id: "cr", name: "check_run", payload });
    expect(writes()[0]?.body).toMatchObject({ name: "Hotfix policy", status: "in_progress" });
  });

  it("a finished CI run is judged once: its suite's completion costs nothing when its runs were judged", async () => {
    const payload = loadWebhookExample(
      "check_suite.completed",
      (p) => p.check_suite.latest_check_runs_count > 0,
    );
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    await (await probot()).receive({ id: "cs", name: "check_suite", payload });
    expect(recordedRequests()).toEqual([]);
  });

  it("a suite that finished without any check run (a workflow that failed to start) is judged", async () => {
    const payload = loadWebhookExample(
      "check_suite.completed",
      (p) => p.check_suite.latest_check_runs_count > 0,
    );
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    payload.check_suite.latest_check_runs_count = 0;
    const sha = payload.check_suite.head_sha;
    const api = mockInstallationToken(githubApi());
    const pr = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined)
      .pull_request as unknown as PayloadPull;
    pr.head.ref = "hotfix/login";
    pr.head.sha = sha;
    policyFile(api, POLICY);
    for (const listed of payload.check_suite.pull_requests) {
      api.get(`${repoPath}/pulls/${listed.number}`).reply(200, { ...pr, number: listed.number });
      reviews(api, listed.number, []);
    }
    if (payload.check_suite.pull_requests.length === 0)
      api.get(`${repoPath}/commits/${sha}/pulls`).query(true).reply(200, [pr]);
    noBranchRules(api);
    checkRuns(api, sha, []);
    statuses(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await (await probot()).receive({ id: "cs0", name: "check_suite", payload });
    expect(writes()[0]?.body).toMatchObject({ name: "Hotfix policy" });
  });

  it("our own completed check run is ignored", async () => {
    const payload = loadWebhookExample("check_run.completed");
    payload.installation = { id: 1, node_id: "x" } as typeof payload.installation;
    payload.check_run.app!.id = APP_ID;
    await (await probot()).receive({ id: "own", name: "check_run", payload });
    expect(recordedRequests()).toEqual([]);
  });

  it("a status finds open PRs by head commit (forks included) and re-evaluates them", async () => {
    const payload = loadWebhookExample("status", (p) => p.installation !== undefined);
    payload.context = "build"; // a required check
    const sha = payload.sha;
    const api = mockInstallationToken(githubApi());
    const pr = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined)
      .pull_request as unknown as PayloadPull;
    pr.head.ref = "hotfix/login";
    pr.head.sha = sha;
    pr.head.repo.full_name = "someone/Hello-World"; // a fork
    api.get(`${repoPath}/commits/${sha}/pulls`).query(true).reply(200, [pr]);
    policyFile(api, POLICY);
    reviews(api, 2, []);
    noBranchRules(api);
    checkRuns(api, sha, []);
    statuses(api, sha, [{ context: "build", state: "success" }]);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await (await probot()).receive({ id: "st", name: "status", payload });
    expect(writes()[0]?.body).toMatchObject({
      output: { title: "4 of 5 requirements met — waiting for QA approval" },
    });
  });

  it("re-run on our check writes a fresh run even when nothing changed", async () => {
    const app = await probot();
    // First, an ordinary evaluation: learn what the bot shows for this PR.
    const event = prEvent("labeled", (pr) => (pr.labels = [{ name: "hotfix" }]));
    const sha = event.payload.pull_request.head.sha;
    const first = mockInstallationToken(githubApi());
    policyFile(first, POLICY);
    reviews(first, 2, []);
    noBranchRules(first);
    checkRuns(first, sha, []);
    statuses(first, sha, []);
    first.post(`${repoPath}/check-runs`).reply(201, {});
    await app.receive(event);
    const shown = writes()[0]?.body as {
      status: string;
      conclusion: string | null;
      output: { title: string; summary: string };
    };

    // Then a person presses "Re-run" on that very run (GitHub's real rerequested payload).
    const payload = loadWebhookExample("check_run.rerequested");
    payload.repository = event.payload.repository as unknown as typeof payload.repository;
    payload.check_run.app!.id = APP_ID;
    payload.check_run.name = "Hotfix policy";
    payload.check_run.head_sha = sha;
    payload.check_run.pull_requests = [];
    const api = githubApi();
    api
      .get(`${repoPath}/commits/${sha}/pulls`)
      .query(true)
      .reply(200, [event.payload.pull_request]);
    policyFile(api, POLICY);
    reviews(api, 2, []);
    noBranchRules(api);
    checkRuns(api, sha, [
      apiCheckRun("Hotfix policy", shown.status, shown.conclusion, APP_ID, shown.output),
    ]);
    statuses(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    await app.receive({ id: "rr", name: "check_run", payload });
    expect(writes().map((w) => w.method)).toEqual(["POST", "POST"]);
    expect(writes()[1]?.body).toEqual(writes()[0]?.body);
  });

  it("a push to the default branch that changes the policy re-evaluates open PRs", async () => {
    const payload = loadWebhookExample(
      "push",
      (p) => p.installation !== undefined && p.commits.length > 0,
    );
    payload.ref = `refs/heads/${payload.repository.default_branch}`;
    (payload.commits[0] as { modified: string[] }).modified = [".github/hotfix.yml"];
    const owner = payload.repository.owner!.login ?? payload.repository.owner!.name;
    const api = mockInstallationToken(githubApi());
    const pr = loadWebhookExample("pull_request.opened", (p) => p.installation !== undefined)
      .pull_request as unknown as PayloadPull;
    pr.head.ref = "feature/x";
    policyFile(api, POLICY, `/repos/${owner}/${payload.repository.name}`);
    api.get(`/repos/${owner}/${payload.repository.name}/pulls`).query(true).reply(200, [pr]);
    await (await probot()).receive({ id: "push", name: "push", payload });
    // The only open PR is not a hotfix: read, decided, no write.
    expect(recordedRequests().some((r) => r.path.includes("/pulls?"))).toBe(true);
    expect(writes()).toEqual([]);
  });
});

describe("Hotfix policy file check", () => {
  it("validates the policy a PR proposes, with annotations on the lines", async () => {
    const event = prEvent("opened", (pr) => (pr.head.ref = "admin/tighten-policy"));
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    pullFiles(api, 2, [".github/hotfix.yml"]);
    policyFileAt(
      api,
      sha,
      "approvals:\n  groups:\n    - { name: QA, cuont: 1, teams: [acme/qa] }\n",
    );
    checkRuns(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    policyFile(api, POLICY);
    await (await probot()).receive(event);
    const [check] = writes();
    expect(check?.body).toMatchObject({
      name: "Hotfix policy file",
      conclusion: "failure",
      output: {
        title: "The hotfix policy in this PR is invalid (1 problem)",
        annotations: [
          {
            path: ".github/hotfix.yml",
            start_line: 3,
            end_line: 3,
            annotation_level: "failure",
            message: 'approvals.groups[0].cuont: unknown key "cuont"; did you mean "count"?',
          },
        ],
      },
    });
  });

  it("also runs where no policy exists yet, so the first policy is checked before merging", async () => {
    const event = prEvent("opened", (pr) => (pr.head.ref = "admin/add-policy"));
    const sha = event.payload.pull_request.head.sha;
    const api = mockInstallationToken(githubApi());
    pullFiles(api, 2, [{ filename: ".github/hotfix.yml", status: "added" }]);
    policyFileAt(api, sha, POLICY);
    checkRuns(api, sha, []);
    api.post(`${repoPath}/check-runs`).reply(201, {});
    noPolicy(api);
    await (await probot()).receive(event);
    expect(writes()[0]?.body).toMatchObject({ name: "Hotfix policy file", conclusion: "success" });
  });
});
