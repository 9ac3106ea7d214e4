/**
 * A busy repository costs almost nothing, without the gate losing sight of anything. Through the
 * real app and the GitHub stand-in (which answers conditional requests as GitHub does), one
 * delivery at a time, each delivery's requests *counted* by GitHub (all but 304s):
 * - the ordinary events of an ordinary PR cost no counted request — or no request at all;
 * - yet a new label, a changed policy and a changed team membership reach the gate on the very
 *   next event.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { OWNER, PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import type { DeliveryRecord } from "../../sandbox/stand-in/webhooks.js";
import { useDemoApp } from "../helpers/demo-app.js";

const BUSY_POLICY = POLICY.replace('required: ["build"]', 'required: ["build", "test (*)"]');

const world = useDemoApp(BUSY_POLICY);

/** The deliveries `act` caused, once the app is idle again. */
async function deliveriesOf(act: () => unknown): Promise<DeliveryRecord[]> {
  await settle(world.standIn, world.app);
  const from = world.standIn.webhooks.deliveries.length;
  await act();
  await settle(world.standIn, world.app);
  return world.standIn.webhooks.deliveries.slice(from);
}

const cost = (deliveries: DeliveryRecord[]) =>
  deliveries.map((d) => `${d.event}.${d.action ?? ""} sent ${d.requests} counted ${d.counted}`);

/**
 * A CI job's deliveries: the run created (not subscribed to: nothing), the run completed (the
 * policy, asked conditionally: 304), its suite completed (its runs were judged: nothing).
 */
const CI_JOB = [
  "check_run.completed sent 1 counted 0",
  "check_run.created sent 0 counted 0",
  "check_suite.completed sent 0 counted 0",
];

const gateRuns = (sha: string) =>
  world.demo.repo.state.checkRuns.filter((r) => r.name === "Hotfix policy" && r.headSha === sha);

describe("an ordinary PR's events", () => {
  let pr = 0;
  let head = "";

  beforeAll(async () => {
    const { repo } = world.demo;
    await repo.push("feature/search", { "src/search.ts": "// 1\n" }, "Search", PEOPLE.dev, {
      from: "main",
    });
    pr = (
      await repo.openPull(PEOPLE.dev, { head: "feature/search", base: "main", title: "Search" })
    ).number;
    head = await repo.headOf("feature/search");
    // Warm: the policy and this PR have been read once, as on any repository that is not new.
    await deliveriesOf(() => repo.check(head, "warm-up", "success"));
  });

  it("a CI job that is no required check: only the policy, asked conditionally (304)", async () => {
    const deliveries = await deliveriesOf(() => world.demo.repo.check(head, "lint", "success"));
    expect(cost(deliveries).sort()).toEqual(CI_JOB);
  });

  it("a required check of a PR a payload said is no hotfix: no PR read, nothing counted", async () => {
    const deliveries = await deliveriesOf(() => world.demo.repo.check(head, "build", "success"));
    expect(cost(deliveries).sort()).toEqual(CI_JOB);
    const unit = await deliveriesOf(() => world.demo.repo.check(head, "test (unit)", "success"));
    expect(cost(unit).sort()).toEqual(CI_JOB);
  });

  it("a commit status, a review and a comment: nothing counted; a comment without a command sends nothing", async () => {
    const status = await deliveriesOf(() =>
      world.demo.repo.setStatus("acme-ci[bot]", head, "coverage/codecov", "success"),
    );
    expect(cost(status)).toEqual(["status. sent 1 counted 0"]);
    const review = await deliveriesOf(() =>
      world.demo.repo.review(PEOPLE.captain, pr, "COMMENTED", "Why?"),
    );
    expect(cost(review)).toEqual(["pull_request_review.submitted sent 1 counted 0"]);
    const comment = await deliveriesOf(() => world.demo.repo.comment(PEOPLE.dev, pr, "Because."));
    expect(cost(comment)).toEqual(["issue_comment.created sent 0 counted 0"]);
  });

  it("a push: the branch's push event sends nothing; the PR's files are listed once (a policy edit?)", async () => {
    const deliveries = await deliveriesOf(() =>
      world.demo.repo.push("feature/search", { "src/search.ts": "// 2\n" }, "More", PEOPLE.dev),
    );
    expect(cost(deliveries).sort()).toEqual([
      "pull_request.synchronize sent 2 counted 1",
      "push. sent 0 counted 0",
    ]);
  });

  it("a label that makes it a hotfix is seen at once, and its next required check re-evaluates it", async () => {
    const labelled = await deliveriesOf(() =>
      world.demo.repo.addLabels(PEOPLE.dev, pr, ["hotfix"]),
    );
    expect(labelled.map((d) => `${d.event}.${d.action}`)).toContain("pull_request.labeled");
    head = await world.demo.repo.headOf("feature/search");
    expect(gateRuns(head)).toHaveLength(1);
    const checksRow = () =>
      (gateRuns(head).at(-1)?.output.summary ?? "")
        .split("\n")
        .find((l) => l.includes("| Required checks |"));
    expect(checksRow()).toMatch(/^\| ⏳ \|/); // the new head's CI has not reported yet
    // A required check now fails on it: the gate must say so at once.
    await deliveriesOf(() => world.demo.repo.check(head, "build", "failure"));
    expect(checksRow()).toMatch(/^\| ❌ \|.*build/);
  });
});

describe("what the cache must never hide", () => {
  let pr = 0;
  let head = "";

  beforeAll(async () => {
    const { repo } = world.demo;
    await repo.push("hotfix/cart", { "src/cart.ts": "// fix\n" }, "Fix cart", PEOPLE.dev, {
      from: "release/1.4",
    });
    pr = (
      await repo.openPull(PEOPLE.dev, {
        head: "hotfix/cart",
        base: "release/1.4",
        title: "Fix cart",
        body: "Fixes #1",
      })
    ).number;
    head = await repo.headOf("hotfix/cart");
    await deliveriesOf(() => repo.check(head, "build", "success"));
    await deliveriesOf(() => repo.check(head, "test (unit)", "success"));
    await deliveriesOf(() => repo.review(PEOPLE.qa, pr, "APPROVED"));
  });

  const title = () => gateRuns(head).at(-1)?.output.title ?? "";

  it("a changed team membership reaches the gate on the very next event", async () => {
    expect(title()).toMatch(/waiting for Operations approval$/);
    // QA's approver leaves the team; the next event (any) shows QA missing again.
    world.standIn.hub.team(OWNER, "qa")?.members.delete(PEOPLE.qa);
    await deliveriesOf(() => world.demo.repo.review(PEOPLE.captain, pr, "COMMENTED", "Status?"));
    expect(title()).toMatch(/waiting for QA approval, Operations approval$/);
    world.standIn.hub.team(OWNER, "qa")?.members.add(PEOPLE.qa);
  });

  it("a changed policy reaches the gate on the very next event", async () => {
    const required = BUSY_POLICY.replace(
      'required: ["build", "test (*)"]',
      'required: ["build", "test (*)", "lint"]',
    );
    await deliveriesOf(() =>
      world.demo.repo.push(
        "main",
        { ".github/hotfix.yml": required },
        "Require lint",
        PEOPLE.releaser,
      ),
    );
    expect(gateRuns(head).at(-1)?.output.summary).toMatch(/lint/);
    // And a lint run is now judged for it, not skipped as "no required check".
    await deliveriesOf(() => world.demo.repo.check(head, "lint", "failure"));
    expect(title()).toMatch(/Required checks/);
    expect(gateRuns(head).at(-1)?.conclusion).toBe("failure");
  });
});
