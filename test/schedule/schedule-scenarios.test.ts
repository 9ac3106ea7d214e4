/**
 * Release windows, freezes, the audited override and queued releases through the real app on
 * the GitHub stand-in (real git, signed deliveries, every request checked against GitHub's
 * OpenAPI description). The app's clock is injected (`AppConfig.now`, and the sweep's `now`):
 * a test moves it instead of waiting. Every test starts from the snapshot taken when the hotfix
 * PR to `release/1.4` was approved and green, inside the window (Thursday 11:00 in Berlin).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { runSweep } from "../../src/cli/sweep.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { HOTFIX_BRANCH, playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import {
  botComments,
  mark,
  openScenario,
  probotFor,
  reactionsTo,
  replies,
  routesOf,
  say,
  settled,
  stages,
  trackingBody,
  trackingComments,
  writesSince,
  type AppScenario,
} from "../deploy/deploy-scenario.js";

const SWEEP_TOKEN = "schedule-sweep-token";
const POLICY_WITH_SCHEDULE = `${POLICY}schedule:
  timezone: Europe/Berlin
  windows:
    - { days: [mon-thu], hours: "09:00-16:00" }
  freeze_labels: [release-freeze]
  override: { teams: [acme/release-managers] }
`;

/** Thursday 2026-11-26 11:00 in Berlin (CET, +01:00): inside the window. */
const THURSDAY_OPEN = "2026-11-26T10:00:00Z";
/** Thursday 17:30 in Berlin: the window closed at 16:00; it opens again on Monday at 09:00. */
const THURSDAY_CLOSED = "2026-11-26T16:30:00Z";
/** Monday 2026-11-30 09:30 in Berlin. */
const MONDAY_OPEN = "2026-11-30T08:30:00Z";
const NEXT_OPENING =
  "release window opens Mon 09:00 Europe/Berlin (release windows for `release/1.4`: Mon–Thu 09:00–16:00 Europe/Berlin)";

const COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
const REACTION = "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions";
const MERGE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";

let clock = new Date(THURSDAY_OPEN);
const at = (iso: string) => {
  clock = new Date(iso);
};

let run: AppScenario;
let pr: number;
let approved: HubSnapshot | undefined;
let problemsBefore = 0;

beforeAll(async () => {
  run = await openScenario({
    policy: POLICY_WITH_SCHEDULE,
    sweepToken: SWEEP_TOKEN,
    now: () => clock,
  });
  pr = await playUntilApproved(run.player);
  approved = await run.standIn.hub.snapshot();
}, 120_000);

afterAll(async () => {
  await approved?.dispose();
  await run?.close();
});

beforeEach(async () => {
  if (!approved) throw new Error("the approved state was not prepared");
  await run.standIn.hub.restore(approved);
  at(THURSDAY_OPEN);
  problemsBefore = run.standIn.problems().length;
});

afterEach(() => {
  // Every request the app sent was one GitHub would accept (OpenAPI), and answered.
  expect(run.standIn.problems().slice(problemsBefore)).toEqual([]);
});

const repo = () => run.demo.repo;
const pull = () => repo().pull(pr).pull;
const head = () => pull().headSha;

/** The `Hotfix policy` check as the PR shows it: our newest run on the head. */
function gate() {
  const latest = repo()
    .state.checkRuns.filter((r) => r.name === "Hotfix policy" && r.headSha === head())
    .at(-1);
  return {
    status: latest?.status,
    conclusion: latest?.conclusion ?? null,
    title: latest?.output.title ?? "",
    summary: latest?.output.summary ?? "",
  };
}
/** The check's row for the release schedule: icon and details. */
const scheduleRow = () =>
  /^\| (\S+) \| Release schedule \| (.*) \|$/m.exec(gate().summary)?.slice(1, 3) ?? null;

/** `hotfix-bot sweep` as a scheduler runs it, at the test's clock. */
async function sweepByCli(): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSweep(
    [],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    {
      env: { APP_ID: String(run.credentials.appId), PRIVATE_KEY: run.credentials.privateKey },
      probot: () => probotFor(run),
      now: () => clock,
    },
  );
  await settled(run);
  expect({ code, err }).toEqual({ code: 0, err: [] });
  return out;
}

/** `POST /hotfix-bot/sweep`, as a scheduler calls it (the app's clock). */
async function sweepByRoute(): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(`${run.app.url}/hotfix-bot/sweep`, {
    method: "POST",
    headers: { authorization: `Bearer ${SWEEP_TOKEN}` },
  });
  const body: unknown = await answer.json();
  await settled(run);
  return { status: answer.status, body };
}

const released = () => repo().state.releases.map((r) => r.tagName);

describe("release windows", () => {
  it("(the prepared state: green inside the window, the schedule row met)", () => {
    expect(gate()).toMatchObject({ status: "completed", conclusion: "success" });
    expect(scheduleRow()).toEqual([
      "✅",
      "inside the release window (Mon–Thu 09:00–16:00 Europe/Berlin)",
    ]);
  });

  it("outside the window, /release-hotfix is refused with the next opening, and nothing but the reply is written", async () => {
    at(THURSDAY_CLOSED);
    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);

    expect(replies(run, pr)).toEqual([
      [
        `@mia not released: the release schedule is closed for \`release/1.4\` — ${NEXT_OPENING}.`,
        "",
        "- Comment `/release-hotfix --when-open` to release it when the schedule opens (the final check is made again first).",
        '- `/release-hotfix --override "reason"` releases it now, recorded with the reason; that is allowed to acme/release-managers (policy key `schedule.override`).',
      ].join("\n"),
    ]);
    expect(routesOf(writesSince(run, from))).toEqual([COMMENT]);
    expect(pull().merged).toBe(false);
    expect(released()).toEqual([]);
  });

  it("the sweep makes the gate wait when the window closes and green when it opens, writing only on a change", async () => {
    at(THURSDAY_CLOSED);
    await sweepByCli();
    expect(gate()).toMatchObject({
      status: "in_progress",
      title: "8 of 9 requirements met — waiting for Release schedule (⚠️ Ongoing work)",
    });
    expect(scheduleRow()).toEqual(["⏳", NEXT_OPENING]);
    expect(gate().summary).toContain(
      "While the schedule is closed, `/release-hotfix --when-open` queues the release",
    );

    const from = mark(run);
    await sweepByCli();
    expect(writesSince(run, from)).toEqual([]);

    at(MONDAY_OPEN);
    await sweepByCli();
    expect(gate()).toMatchObject({ status: "completed", conclusion: "success" });
    expect(scheduleRow()?.[0]).toBe("✅");
  });
});

describe("the audited override", () => {
  const REASON = "checkout fails for every customer since 16:10";

  it("an override by someone the rule names releases now; the person, the rule and the reason are in the tracking comment and the release notes", async () => {
    at(THURSDAY_CLOSED);
    const command = await say(
      run,
      PEOPLE.releaser,
      pr,
      `${RELEASE_COMMAND} --override "${REASON}"`,
    );

    expect(pull().merged).toBe(true);
    expect(released()).toEqual(["v1.4.3"]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "rocket"]);
    expect(stages(run, pr)["Schedule override"]).toEqual({
      state: "done",
      text: `@mia released outside the release schedule (${NEXT_OPENING}) as member of acme/release-managers (\`schedule.override\`: acme/release-managers): “${REASON}”`,
    });
    const notes = repo().state.releases[0]?.body ?? "";
    expect(notes).toContain(
      [
        "### Released outside the release schedule",
        `The schedule said: ${NEXT_OPENING}. @mia overrode it as member of acme/release-managers (policy key \`schedule.override\`: acme/release-managers), giving the reason: “${REASON}”`,
      ].join("\n"),
    );
  });

  it("inside the window an override overrides nothing, and nothing is recorded", async () => {
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --override "${REASON}"`);
    expect(released()).toEqual(["v1.4.3"]);
    expect(stages(run, pr)["Schedule override"]).toBeUndefined();
    expect(repo().state.releases[0]?.body).not.toContain("outside the release schedule");
  });

  it("an override from someone allowed to release whom the rule does not name is refused with who may; nothing is released", async () => {
    repo().grant("max", "maintain");
    at(THURSDAY_CLOSED);
    const from = mark(run);
    const command = await say(run, "max", pr, `${RELEASE_COMMAND} --override "${REASON}"`);

    expect(replies(run, pr)).toEqual([
      "@max may not release outside the release schedule here: that is allowed to acme/release-managers (policy key `schedule.override`); @max is in none of the listed teams or users. Wait for the schedule to open, queue the release with `--when-open`, or ask someone who may.",
    ]);
    expect(reactionsTo(run, command)).toEqual(["confused"]);
    expect(routesOf(writesSince(run, from))).toEqual([REACTION, COMMENT]);
    expect(pull().merged).toBe(false);
    expect(trackingComments(run, pr)).toEqual([]);
  });

  it("an override without a reason is refused before anything is read", async () => {
    at(THURSDAY_CLOSED);
    const from = mark(run);
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --override`);
    expect(replies(run, pr)).toEqual([
      '@mia --override needs a reason: /release-hotfix --override "<reason>"',
    ]);
    expect(routesOf(writesSince(run, from))).toEqual([REACTION, COMMENT]);
    expect(pull().merged).toBe(false);
  });
});

describe("queued releases", () => {
  it("--when-open queues once; the sweep (CLI) leaves it while closed and releases it when the window opens", async () => {
    at(THURSDAY_CLOSED);
    const queuedOn = head();
    const command = await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --when-open`);

    expect(pull().merged).toBe(false);
    expect(reactionsTo(run, command)).toEqual(["eyes"]);
    expect(stages(run, pr)["Scheduled release"]).toEqual({
      state: "running",
      text: `queued by @mia on ${queuedOn.slice(0, 7)} at 2026-11-26 16:30 UTC: released when the release schedule opens (Mon 09:00 Europe/Berlin), after the final check is made again. \`/release-hotfix --cancel\` withdraws it`,
    });
    const queued = trackingBody(run, pr);

    // The command again: still one intent, the comment unchanged.
    const again = mark(run);
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --when-open`);
    expect(routesOf(writesSince(run, again))).toEqual([REACTION]);
    expect(trackingBody(run, pr)).toBe(queued);

    // Swept while still closed: nothing changes.
    const closed = mark(run);
    await sweepByCli();
    // Only the gate's check may change (it now waits for the window); the intent stays.
    expect(routesOf(writesSince(run, closed)).filter((r) => !r.includes("/check-runs"))).toEqual(
      [],
    );
    expect(trackingBody(run, pr)).toBe(queued);
    expect(pull().merged).toBe(false);

    at(MONDAY_OPEN);
    const out = await sweepByCli();
    expect(out).toContain(
      `acme/shop #${pr} queued release: released v1.4.3 on ${pull().mergeCommitSha?.slice(0, 7)}; deploy: staging waiting; backports: main opened, release/1.3 conflict-draft`,
    );
    expect(pull().merged).toBe(true);
    expect(released()).toEqual(["v1.4.3"]);
    expect(reactionsTo(run, command)).toEqual(["eyes", "rocket"]);
    expect(stages(run, pr)["Scheduled release"]).toEqual({
      state: "done",
      text: "queued by @mia, released by the sweep at 2026-11-30 08:30 UTC when the release schedule opened",
    });
    expect(stages(run, pr)["Final check"]?.state).toBe("done");
    expect(repo().state.releases[0]?.body).toContain("Released by @mia with `/release-hotfix`.");
  });

  it("a queued release whose gate turned red meanwhile is not released (HTTP sweep); the requester is told once", async () => {
    at(THURSDAY_CLOSED);
    const queuedOn = head();
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --when-open`);
    // CI is re-run on the same commit over the weekend and fails.
    await repo().check(queuedOn, "build", "failure");
    await settled(run);

    at(MONDAY_OPEN);
    const swept = await sweepByRoute();
    expect(swept.status).toBe(200);
    expect(pull().merged).toBe(false);
    expect(released()).toEqual([]);
    const told = botComments(run, pr).filter((c) => c.body.includes("the release you queued"));
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toMatch(
      new RegExp(
        `^@mia the release you queued at 2026-11-26 16:30 UTC did not run: the hotfix policy is not met on ${queuedOn.slice(0, 7)}\\. Missing: Required checks\\.\\n\\n- ❌ \\*\\*Required checks\\*\\*: \\[build\\]`,
      ),
    );
    expect(told[0]?.body).toContain(
      "The queued release is dropped; comment `/release-hotfix --when-open` (or `/release-hotfix` once the schedule is open) to ask again.",
    );
    expect(stages(run, pr)["Scheduled release"]).toEqual({
      state: "failed",
      text: `queued by @mia, not released at 2026-11-30 08:30 UTC: the hotfix policy is not met on ${queuedOn.slice(0, 7)}. Missing: Required checks.`,
    });

    // Swept again: the intent is gone, nobody is told twice.
    const from = mark(run);
    await sweepByRoute();
    expect(routesOf(writesSince(run, from))).not.toContain(COMMENT);
    expect(routesOf(writesSince(run, from))).not.toContain(MERGE);
  });

  it("a queued release is not released when the PR's head moved after it was queued", async () => {
    at(THURSDAY_CLOSED);
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --when-open`);
    const queuedOn = head();
    await repo().push(HOTFIX_BRANCH, { "NOTES.md": "A note.\n" }, "Add a note", PEOPLE.dev);
    await settled(run);

    at(MONDAY_OPEN);
    await sweepByCli();
    expect(pull().merged).toBe(false);
    expect(stages(run, pr)["Scheduled release"]?.text).toContain(
      `the PR's head moved from ${queuedOn.slice(0, 7)} to ${head().slice(0, 7)} after the release was queued`,
    );
  });

  it("--cancel withdraws it: the window opens and nothing is released", async () => {
    at(THURSDAY_CLOSED);
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --when-open`);
    const cancel = await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --cancel`);
    expect(reactionsTo(run, cancel)).toEqual(["+1"]);
    expect(stages(run, pr)["Scheduled release"]).toEqual({
      state: "skipped",
      text: "queued by @mia, withdrawn by @mia at 2026-11-26 16:30 UTC",
    });

    at(MONDAY_OPEN);
    const from = mark(run);
    await sweepByCli();
    expect(routesOf(writesSince(run, from))).not.toContain(MERGE);
    expect(pull().merged).toBe(false);

    const nothing = await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --cancel`);
    expect(reactionsTo(run, nothing)).toEqual([]);
    expect(replies(run, pr)).toEqual([
      "@mia nothing is queued for this hotfix, so there is nothing to cancel.",
    ]);
  });
});

describe("freezes declared by an issue", () => {
  it("an open issue with the freeze label makes the gate wait and refuses the release; closing it turns the gate green again", async () => {
    const freeze = repo().openIssue(PEOPLE.captain, {
      title: "Holiday freeze",
      body: "No releases until the new year.",
      labels: ["release-freeze"],
    });
    await settled(run);

    const frozen = `frozen by #${freeze.number} (Holiday freeze) until the issue is closed`;
    expect(gate()).toMatchObject({ status: "in_progress" });
    expect(scheduleRow()).toEqual(["⏳", frozen]);

    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
    expect(replies(run, pr)).toEqual([
      expect.stringContaining(
        `@mia not released: the release schedule is closed for \`release/1.4\` — ${frozen}.`,
      ),
    ]);
    expect(pull().merged).toBe(false);

    repo().closeIssue(PEOPLE.captain, freeze.number);
    await settled(run);
    expect(gate()).toMatchObject({ status: "completed", conclusion: "success" });
    expect(scheduleRow()?.[0]).toBe("✅");
  });

  it("a freeze of another line (`branch: release/1.3`) leaves this hotfix alone; an unreadable `branch:` line freezes every line and says so", async () => {
    const before = gate();
    const other = repo().openIssue(PEOPLE.captain, {
      title: "1.3 is frozen",
      body: "branch: release/1.3",
      labels: ["release-freeze"],
    });
    await settled(run);
    expect(gate()).toEqual(before);

    repo().openIssue(PEOPLE.captain, {
      title: "Freeze 1.4",
      body: "branch: release 1.4",
      labels: ["release-freeze"],
    });
    await settled(run);
    expect(gate()).toMatchObject({ status: "in_progress" });
    expect(scheduleRow()?.[1]).toMatch(
      /^frozen by #\d+ \(Freeze 1\.4\) until the issue is closed — its line `branch: release 1\.4` could not be read \(.*\), so it freezes every line; fix it to `branch: <name>`$/,
    );
    expect(other.number).toBeGreaterThan(0);
  });

  it("editing a freeze issue's `branch:` line to name this line freezes it", async () => {
    const freeze = repo().openIssue(PEOPLE.captain, {
      title: "Line freeze",
      body: "branch: release/1.3",
      labels: ["release-freeze"],
    });
    await settled(run);
    expect(gate()).toMatchObject({ status: "completed", conclusion: "success" });

    repo().editIssue(PEOPLE.captain, freeze.number, { body: "branch: release/1.3, release/1.4" });
    await settled(run);
    expect(gate()).toMatchObject({ status: "in_progress" });
    expect(scheduleRow()).toEqual([
      "⏳",
      `frozen by #${freeze.number} (Line freeze) until the issue is closed`,
    ]);
  });

  it("closing the freeze issue runs a release queued for it", async () => {
    const freeze = repo().openIssue(PEOPLE.captain, {
      title: "Incident freeze",
      labels: ["release-freeze"],
    });
    await settled(run);
    await say(run, PEOPLE.releaser, pr, `${RELEASE_COMMAND} --when-open`);
    expect(stages(run, pr)["Scheduled release"]?.state).toBe("running");
    expect(pull().merged).toBe(false);

    repo().closeIssue(PEOPLE.captain, freeze.number);
    await settled(run);
    expect(pull().merged).toBe(true);
    expect(released()).toEqual(["v1.4.3"]);
    expect(stages(run, pr)["Scheduled release"]?.state).toBe("done");
  });

  it("an issue without a label costs no request; one with another label re-evaluates no gate", async () => {
    const from = mark(run);
    const plain = repo().openIssue(PEOPLE.qa, { title: "A question" });
    repo().closeIssue(PEOPLE.qa, plain.number);
    await settled(run);
    expect(run.standIn.requests.slice(from)).toEqual([]);

    const labelled = mark(run);
    repo().openIssue(PEOPLE.qa, { title: "Typo on the cart page", labels: ["bug"] });
    await settled(run);
    const sent = run.standIn.requests.slice(labelled);
    expect(sent.filter((r) => r.route === "/repos/{owner}/{repo}/pulls")).toEqual([]);
    expect(writesSince(run, labelled)).toEqual([]);
  });
});

describe("schedule.outside_window: queue", () => {
  it("makes the plain command queue the release", async () => {
    await repo().push(
      "main",
      { ".github/hotfix.yml": `${POLICY_WITH_SCHEDULE}  outside_window: queue\n` },
      "Queue releases outside the window",
      PEOPLE.releaser,
    );
    await settled(run);
    at(THURSDAY_CLOSED);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
    expect(pull().merged).toBe(false);
    expect(stages(run, pr)["Scheduled release"]?.state).toBe("running");
    expect(replies(run, pr)).toEqual([]);
  });
});
