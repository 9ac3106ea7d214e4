/**
 * When backports happen. The target rules are pure (table below); the triggers run on the GitHub
 * stand-in — a merge or a close through the running app (Probot's server, signed webhooks), and
 * the `/backport` command through its use-case with people, permissions and comments as GitHub
 * has them.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { onBackportCommand } from "../../src/backport/on-backport-command.js";
import { labelTarget } from "../../src/backport/triggers.js";
import { backportTargets } from "../../src/backport/targets.js";
import { settle } from "../../sandbox/app-host.js";
import { PEOPLE as DEMO } from "../../sandbox/demo-repo.js";
import { useDemoApp } from "../helpers/demo-app.js";
import { closePull, PEOPLE, routesOf, startScenario, type Scenario } from "./backport-scenario.js";

describe("backport targets", () => {
  it.each([
    ["backport release/1.3", "release/1.3"],
    ["Backport  main", "main"],
    ["backport-conflict", null],
    ["backport", null],
    ["backport a b", null],
  ])("label %j → %j", (label, target) => {
    expect(labelTarget(label)).toBe(target);
  });

  it("resolves names and globs against the branches, never the PR's own base, and reports unmatched", () => {
    expect(
      backportTargets(
        ["main", "release/*", "legacy"],
        ["main", "release/1.3", "release/1.4", "feature/x"],
        "release/1.4",
      ),
    ).toEqual({
      targets: ["main", "release/1.3"],
      unmatched: ["legacy"],
    });
  });
});

const POLICY = `hotfix:
  branches: ["hotfix/*"]
  labels: ["hotfix"]
backport:
  when: merged
  branches: ["main", "release/*"]
`;

describe("merges and closes, through the running app", () => {
  const world = useDemoApp(POLICY);

  /** The releaser squash-merges PR `number`; the app has seen it. */
  async function squashMerge(number: number): Promise<void> {
    await world.standIn.hub.mergePull(
      world.demo.repo.state,
      number,
      { method: "squash" },
      DEMO.releaser,
    );
    await settle(world.standIn, world.app);
  }

  /** A PR from `branch` to release/1.4 by the developer, with `labels`; the app has seen it. */
  async function openPull(branch: string, labels: string[]): Promise<number> {
    await world.demo.repo.push(
      branch,
      { [`docs/${branch}.md`]: "typo\n" },
      `Fix a typo (${branch})`,
      DEMO.dev,
      {
        from: "release/1.4",
      },
    );
    const { number } = await world.demo.repo.openPull(DEMO.dev, {
      head: branch,
      base: "release/1.4",
      title: `Fix a typo (${branch})`,
    });
    if (labels.length) world.demo.repo.addLabels(DEMO.dev, number, labels);
    await settle(world.standIn, world.app);
    return number;
  }

  const requestsSince = (from: number) =>
    world.standIn.requests.slice(from).filter((r) => !r.path.endsWith("/access_tokens"));
  const backportPulls = (number: number) =>
    [...world.demo.repo.state.issues.values()].filter((i) =>
      i.pull?.headRef.startsWith(`backport/${number}-to-`),
    );

  it("a PR closed without merging is not backported, even with a backport label: the policy read, nothing else", async () => {
    const number = await openPull("docs/closed", ["backport main"]);
    const from = world.standIn.requests.length;
    closePull(world.standIn.hub, world.demo.repo.state, number, DEMO.dev);
    await settle(world.standIn, world.app);
    expect(world.standIn.webhooks.deliveries.at(-1)).toMatchObject({
      event: "pull_request",
      action: "closed",
      status: 200,
    });
    // The backport handler sends nothing; the gate's handler reads the policy (a 304): with
    // `conflicts.on_overlap: block` a closed PR may free a hotfix (this policy does not block).
    expect(routesOf(requestsSince(from))).toEqual(["GET /contents/{path+}"]);
    expect(backportPulls(number)).toEqual([]);
  });

  it("a merged PR that is not a hotfix and has no backport label: the policy is read, nothing is written", async () => {
    const number = await openPull("docs/merged", ["bug"]);
    const from = world.standIn.requests.length;
    const delivered = world.standIn.webhooks.deliveries.length;
    await squashMerge(number);
    expect(world.standIn.webhooks.deliveries.slice(delivered)).toContainEqual(
      expect.objectContaining({ event: "pull_request", action: "closed", status: 200 }),
    );
    expect(requestsSince(from).filter((r) => r.method !== "GET")).toEqual([]);
    expect(routesOf(requestsSince(from))).toContain("GET /contents/{path+}");
    expect(backportPulls(number)).toEqual([]);
  });

  it("a merged PR with a `backport main` label gets its backport PR (the counterpart of the two above)", async () => {
    const number = await openPull("docs/labelled", ["backport main"]);
    await squashMerge(number);
    expect(backportPulls(number).map((i) => [i.pull?.baseRef, i.state])).toEqual([
      ["main", "open"],
    ]);
    expect(world.standIn.problems()).toEqual([]);
  });
});

describe("/backport, through its use-case", () => {
  let sc: Scenario;
  afterEach(async () => {
    const problems = sc.fx.standIn.problems();
    await sc.close();
    expect(problems).toEqual([]);
  });

  const reactionsTo = (id: number) =>
    (sc.repo.state.comments.get(id)?.reactions ?? []).map((r) => r.content);
  const replies = (from: number) => sc.comments(sc.pr).slice(from);
  const backportBranches = async () =>
    (await sc.fx.git.listRefs(`refs/heads/backport/`)).map((r) => r.ref);

  it("on a PR that is not merged yet says to add the labels instead, and carries nothing", async () => {
    sc = await startScenario();
    await sc.repo.push("hotfix/next", { "next.txt": "next\n" }, "Next fix", PEOPLE.dev, {
      from: "release/1.4",
    });
    const { number } = await sc.repo.openPull(PEOPLE.dev, {
      head: "hotfix/next",
      base: "release/1.4",
      title: "Next fix",
    });
    const command = sc.repo.comment(PEOPLE.releaser, number, "/backport release/1.3 main");
    sc.mark();
    const result = await onBackportCommand(sc.ctx(), {
      pullNumber: number,
      commentId: command.id,
      actor: PEOPLE.releaser,
      targets: ["release/1.3", "main"],
    });
    expect(result).toBe("refused: not merged");
    expect(sc.comments(number).slice(1)).toEqual([
      `@${PEOPLE.releaser} #${number} is not merged yet, so there is nothing to backport. Add the labels \`backport release/1.3\`, \`backport main\` instead: the backport then happens at merge.`,
    ]);
    expect(routesOf(sc.writes())).toEqual(["POST /issues/{issue_number}/comments"]);
    expect(await backportBranches()).toEqual([]);
  });

  it("by someone not allowed to release is refused with a reply and 😕, and opens nothing", async () => {
    sc = await startScenario();
    const before = sc.comments(sc.pr).length;
    const command = sc.repo.comment(PEOPLE.stranger, sc.pr, "/backport main");
    sc.mark();
    const result = await onBackportCommand(sc.ctx(), {
      pullNumber: sc.pr,
      commentId: command.id,
      actor: PEOPLE.stranger,
      targets: ["main"],
    });
    expect(result).toBe(`refused: @${PEOPLE.stranger} not allowed to backport`);
    expect(reactionsTo(command.id)).toEqual(["confused"]);
    const [reply, ...more] = replies(before + 1);
    expect(more).toEqual([]);
    expect(reply).toMatch(
      new RegExp(
        `^@${PEOPLE.stranger} may not start backports here: .*@${PEOPLE.stranger} has read permission`,
      ),
    );
    expect(routesOf(sc.writes())).toEqual([
      "POST /issues/comments/{comment_id}/reactions",
      "POST /issues/{issue_number}/comments",
    ]);
    expect(await backportBranches()).toEqual([]);
    expect(sc.pullsFrom(`backport/${sc.pr}-to-main`)).toEqual([]);
  });

  it("by a maintainer carries the fix: 👀 then 🚀, and the backport PR (the counterpart of the refusal)", async () => {
    sc = await startScenario();
    const command = sc.repo.comment(PEOPLE.releaser, sc.pr, "/backport main");
    const result = await onBackportCommand(sc.ctx(), {
      pullNumber: sc.pr,
      commentId: command.id,
      actor: PEOPLE.releaser,
      targets: ["main"],
    });
    expect(result).toBe("backports: main opened");
    expect(reactionsTo(command.id)).toEqual(["eyes", "rocket"]);
    expect(sc.pullsFrom(`backport/${sc.pr}-to-main`)).toHaveLength(1);
  });
});
