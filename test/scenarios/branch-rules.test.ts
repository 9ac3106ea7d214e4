/**
 * GitHub's rules foreseen, through the real app on the GitHub stand-in: a ruleset asking for
 * more than the policy (two approving reviews, a check the policy does not list) shows both in
 * the gate before anyone types the command; rules hotfix-bot cannot read hold the gate and name
 * the permission; a required merge queue the app may not bypass fails the gate, and the
 * stand-in refuses a REST merge as GitHub does.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { branchRules } from "../../sandbox/stand-in/routes/rules.js";
import { HttpError } from "../../sandbox/stand-in/router.js";
import { useDemoApp } from "../helpers/demo-app.js";

const world = useDemoApp(POLICY);
const MERGE = "/repos/{owner}/{repo}/pulls/{pull_number}/merge";

const rules = () => branchRules(world.standIn.hub, "acme", "shop");

beforeEach(() => {
  const state = rules();
  state.rulesets.length = 0;
  state.protection.clear();
  state.administrationDenied = false;
});

let branchCount = 0;
async function openHotfix(): Promise<{ pr: number; head: string }> {
  const { repo } = world.demo;
  const branch = `hotfix/rules-${++branchCount}`;
  await repo.push(branch, { [`src/rules-${branchCount}.ts`]: "// fix\n" }, "Fix", PEOPLE.dev, {
    from: "release/1.4",
  });
  const { number } = await repo.openPull(PEOPLE.dev, {
    head: branch,
    base: "release/1.4",
    title: `Fix rules ${branchCount}`,
    body: "Fixes #1",
  });
  await settle(world.standIn, world.app);
  return { pr: number, head: await repo.headOf(branch) };
}

function gate(head: string) {
  const runs = world.demo.repo.state.checkRuns.filter(
    (r) => r.name === "Hotfix policy" && r.headSha === head,
  );
  const run = runs[runs.length - 1];
  if (!run) throw new Error("no gate");
  return { status: run.status, conclusion: run.conclusion, summary: run.output.summary ?? "" };
}

function row(summary: string, title: string): string {
  return summary.split("\n").find((line) => line.includes(title)) ?? "";
}

const repliesTo = (pr: number) =>
  [...world.demo.repo.state.comments.values()]
    .filter((c) => c.issue === pr && c.user.endsWith("[bot]"))
    .map((c) => c.body);

const mergesSince = (from: number) =>
  world.standIn.requests.slice(from).filter((r) => r.route === MERGE);

async function green(pr: number, head: string, more: () => Promise<unknown> = async () => {}) {
  const { repo } = world.demo;
  await repo.check(head, "build", "success");
  repo.review(PEOPLE.qa, pr, "APPROVED");
  repo.review(PEOPLE.ops, pr, "APPROVED");
  await more();
  await settle(world.standIn, world.app);
}

describe("GitHub's rules in the gate", () => {
  it("a ruleset requiring 2 approvals and a check the policy lacks shows both, and the release waits for them", async () => {
    rules().rulesets.push({
      id: 11,
      name: "Release lines",
      branches: ["release/*"],
      bypassApp: false,
      rules: [
        { type: "pull_request", parameters: { required_approving_review_count: 2 } },
        {
          type: "required_status_checks",
          parameters: { required_status_checks: [{ context: "security-scan" }] },
        },
      ],
    });
    const { pr, head } = await openHotfix();
    let shown = gate(head);
    expect(shown.status).toBe("in_progress");
    expect(row(shown.summary, "GitHub: approving reviews")).toMatch(
      /ruleset "Release lines" on `release\/1.4` requires 2 approving reviews.*the PR has 0\..*To do: Get 2 more approving reviews/,
    );
    expect(row(shown.summary, "GitHub: required checks")).toMatch(
      /requires `security-scan`, which the policy does not list: `security-scan` has not reported/,
    );

    // The policy's groups are met by Quinn alone for QA … but Operations and GitHub still wait.
    const { repo } = world.demo;
    await repo.check(head, "build", "success");
    repo.review(PEOPLE.qa, pr, "APPROVED");
    await settle(world.standIn, world.app);
    expect(row(gate(head).summary, "GitHub: approving reviews")).toMatch(/the PR has 1\./);

    // Everything the policy asks is met; GitHub's check is still missing: no merge is tried.
    repo.review(PEOPLE.ops, pr, "APPROVED");
    await settle(world.standIn, world.app);
    shown = gate(head);
    expect(shown.status).toBe("in_progress");
    expect(row(shown.summary, "GitHub: approving reviews")).toMatch(/✅|met|the PR has 2/);
    const before = world.standIn.requests.length;
    repo.comment(PEOPLE.releaser, pr, "/release-hotfix");
    await settle(world.standIn, world.app);
    expect(mergesSince(before)).toEqual([]);
    expect(repliesTo(pr).join("\n")).toMatch(/security-scan/);

    // The scan passes: the gate is green and the release merges.
    await repo.check(head, "security-scan", "success");
    await settle(world.standIn, world.app);
    expect(gate(head)).toMatchObject({ status: "completed", conclusion: "success" });
    const from = world.standIn.requests.length;
    repo.comment(PEOPLE.releaser, pr, "/release-hotfix");
    await settle(world.standIn, world.app);
    expect(mergesSince(from).map((r) => r.status)).toEqual([200]);
    expect(world.standIn.problems()).toEqual([]);
  }, 60_000);

  it("branch protection hotfix-bot may not read holds the gate and names the permission — never read as no rules", async () => {
    rules().protection.set("release/1.4", { required_linear_history: { enabled: true } });
    rules().administrationDenied = true;
    const { pr, head } = await openHotfix();
    await green(pr, head);
    const shown = gate(head);
    expect(shown.status).toBe("in_progress");
    expect(row(shown.summary, "GitHub branch protection")).toMatch(
      /could not read the branch protection of `release\/1.4` \(GitHub answered 403.*Administration: read/,
    );

    // Granted: the protection is read, and a squash merge keeps the history linear.
    rules().administrationDenied = false;
    await world.demo.repo.check(head, "build", "success");
    await settle(world.standIn, world.app);
    const after = gate(head);
    expect(after).toMatchObject({ status: "completed", conclusion: "success" });
    expect(row(after.summary, "GitHub: linear history")).toMatch(
      /branch protection on `release\/1.4` requires a linear history: a squash merge keeps it linear/,
    );
    expect(world.standIn.problems()).toEqual([]);
  }, 60_000);

  it("a required merge queue: the gate says the release goes through it; GitHub refuses a REST merge; a bypass actor merges directly", async () => {
    rules().rulesets.push({
      id: 12,
      name: "Queue",
      branches: ["release/*"],
      bypassApp: false,
      rules: [{ type: "merge_queue", parameters: { merge_method: "SQUASH" } }],
    });
    const { pr, head } = await openHotfix();
    await green(pr, head);
    const shown = gate(head);
    expect(shown).toMatchObject({ status: "completed", conclusion: "success" });
    expect(row(shown.summary, "GitHub: merge queue")).toMatch(
      /requires a merge queue: `\/release-hotfix` adds the PR to the queue/,
    );
    const hub = world.standIn.hub;
    const repoState = world.demo.repo.state;
    await expect(
      hub.mergePull(repoState, pr, { method: "squash", sha: head }, hub.botLogin()),
    ).rejects.toEqual(new HttpError(405, "Changes must be made through the merge queue"));

    // hotfix-bot made a bypass actor: the release merges directly, with no GraphQL at all.
    rules().rulesets[0]!.bypassApp = true;
    await world.demo.repo.check(head, "build", "success");
    await settle(world.standIn, world.app);
    expect(row(gate(head).summary, "GitHub: merge queue")).toMatch(
      /may bypass it and merges directly/,
    );
    const from = world.standIn.requests.length;
    world.demo.repo.comment(PEOPLE.releaser, pr, "/release-hotfix");
    await settle(world.standIn, world.app);
    expect(mergesSince(from).map((r) => r.status)).toEqual([200]);
    expect(world.standIn.requests.slice(from).filter((r) => r.path.endsWith("graphql"))).toEqual(
      [],
    );
    expect(world.standIn.problems()).toEqual([]);
  }, 60_000);
});
