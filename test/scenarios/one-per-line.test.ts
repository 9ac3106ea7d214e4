/**
 * `concurrency: one_per_line` through the real app on the GitHub stand-in (real git): while a
 * hotfix of `release/1.4` is being released — merged but not yet tagged and published, or with
 * `deploy:` not yet through production and its monitoring window — every other hotfix of the
 * line waits for it: its `Hotfix policy` check names the hotfix it waits for and its place in
 * line, `/release-hotfix` is refused with that reason, and when the first is through (a
 * deployment status, the sweep closing its window, its release finished) the others' checks
 * are re-evaluated, and the next one released takes the next version. Time is injected into the
 * sweep, never waited for.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { runSweep } from "../../src/cli/sweep.js";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import { RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import {
  onlyDeployment,
  openScenario,
  probotFor,
  replies,
  report,
  say,
  settled,
  stages,
  type AppScenario,
} from "../deploy/deploy-scenario.js";
import {
  approvedHotfix,
  gateOf,
  isAncestor,
  linePolicy,
  lineTags,
  tagCommit,
} from "./line-hotfixes.js";

const ONE_PER_LINE = "concurrency: one_per_line\n";

let problemsBefore = 0;
const pull = (run: AppScenario, pr: number) => run.demo.repo.pull(pr).pull;

/** The `Release line` row of a PR's `Hotfix policy` check: its icon and text. */
function lineRow(run: AppScenario, pr: number): string {
  const summary = gateOf(run, pr)?.output.summary ?? "";
  return /^\| (\S+) \| Release line \| (.*) \|$/mu.exec(summary)?.slice(1).join(" ") ?? "(none)";
}
const gateState = (run: AppScenario, pr: number) => {
  const check = gateOf(run, pr);
  return check?.status === "completed" ? check.conclusion : check?.status;
};

function useLine(policy: string, hotfixes: string[]) {
  const world = { run: undefined as unknown as AppScenario, prs: [] as number[] };
  let ready: HubSnapshot | undefined;
  beforeAll(async () => {
    world.run = await openScenario({ policy });
    for (const name of hotfixes)
      world.prs.push(await approvedHotfix(world.run, name, `src/${name}.ts`));
    ready = await world.run.standIn.hub.snapshot();
  }, 60_000);
  afterAll(async () => {
    await ready?.dispose();
    await world.run?.close();
  });
  beforeEach(async () => {
    if (!ready) throw new Error("the hotfixes were not prepared");
    await world.run.standIn.hub.restore(ready);
    problemsBefore = world.run.standIn.problems().length;
  });
  afterEach(() => {
    expect(world.run.standIn.problems().slice(problemsBefore)).toEqual([]);
  });
  return world;
}

describe("one_per_line with a deploy: policy — the second waits until the first is through production and its window", () => {
  const world = useLine(linePolicy({ extra: ONE_PER_LINE }), ["cart", "login"]);

  it("waits, is refused, follows the first through staging and production, and is released as v1.4.4 once the sweep closes the window", async () => {
    const { run } = world;
    const [first = 0, second = 0] = world.prs;
    expect(gateState(run, second)).toBe("success");
    expect(lineRow(run, second)).toBe(
      `✅ no other hotfix is being released on \`release/1.4\`<br>also waiting on this line, opened earlier: #${first} — the first one released takes the line`,
    );

    await say(run, PEOPLE.releaser, first, RELEASE_COMMAND);
    expect(await tagCommit(run, "v1.4.3")).toBe(pull(run, first).mergeCommitSha);
    const waits = (what: string) =>
      `⏳ waits for #${first} (\`release/1.4\`: ${what}); 2nd in line — \`release/1.4\` releases one hotfix at a time (\`concurrency: one_per_line\`)`;
    expect(gateState(run, second)).toBe("in_progress");
    expect(lineRow(run, second)).toBe(waits("deploying v1.4.3 to staging"));

    // The final check refuses it with the same reason; nothing is merged.
    await say(run, PEOPLE.releaser, second, RELEASE_COMMAND);
    expect(pull(run, second).merged).toBe(false);
    const refusal = replies(run, second).pop() ?? "";
    expect(refusal).toMatch(/^@mia not released: the hotfix policy is not met on /);
    expect(refusal).toContain(
      `- ⏳ **Release line**: waits for #${first} (\`release/1.4\`: deploying v1.4.3 to staging); 2nd in line`,
    );

    // Each deployment status moves the first along, and the second's check follows.
    await report(run, onlyDeployment(run, "staging"), "success");
    expect(lineRow(run, second)).toBe(waits("deploying v1.4.3 to production"));
    await report(run, onlyDeployment(run, "production"), "success");
    const production = onlyDeployment(run, "production");
    const live = production.statuses.find((s) => s.state === "success")?.createdAt ?? "";
    const closes = new Date(Date.parse(live) + 60 * 60_000);
    const until = `${closes.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    expect(lineRow(run, second)).toBe(waits(`v1.4.3 in production, monitoring until ${until}`));
    expect(gateState(run, second)).toBe("in_progress");

    // An hour later no event comes: the sweep closes the window, and re-evaluates the line.
    const env = { APP_ID: String(run.credentials.appId), PRIVATE_KEY: run.credentials.privateKey };
    const out: string[] = [];
    const code = await runSweep(
      [],
      { out: (l) => out.push(l), err: (l) => out.push(l) },
      { env, probot: () => probotFor(run), now: () => new Date(closes.getTime() + 60_000) },
    );
    await settled(run);
    expect({ code, out }).toEqual({
      code: 0,
      out: [
        expect.stringMatching(new RegExp(`^acme/shop #${first} v1\\.4\\.3: window closed clean`)),
        expect.stringMatching(/^swept 1 repositories/),
      ],
    });
    expect(stages(run, first).Monitoring?.state).toBe("done");
    expect(gateState(run, second)).toBe("success");
    expect(lineRow(run, second)).toBe("✅ no other hotfix is being released on `release/1.4`");

    await say(run, PEOPLE.releaser, second, RELEASE_COMMAND);
    expect(await lineTags(run)).toEqual(["v1.4.0", "v1.4.1", "v1.4.2", "v1.4.3", "v1.4.4"]);
    const v144 = await tagCommit(run, "v1.4.4");
    expect(v144).toBe(pull(run, second).mergeCommitSha);
    expect(await isAncestor(run, pull(run, first).mergeCommitSha as string, v144 as string)).toBe(
      true,
    );
  });
});

describe("one_per_line without deploy: — a hotfix holds the line from its merge until it is tagged and published", () => {
  const world = useLine(linePolicy({ deploy: false, extra: ONE_PER_LINE }), [
    "cart",
    "login",
    "search",
  ]);

  it("a release that stopped after its merge holds the line: the others wait in order, and its rerun frees them", async () => {
    const { run } = world;
    const [first = 0, second = 0, third = 0] = world.prs;
    run.standIn.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/git/tags",
      kind: { status: 502 },
    });
    await say(run, PEOPLE.releaser, first, RELEASE_COMMAND);
    const merge = pull(run, first).mergeCommitSha?.slice(0, 7);
    expect(stages(run, first).Tagged?.state).toBe("failed");

    const held = `#${first} (\`release/1.4\`: merged as ${merge}, not released yet)`;
    expect(lineRow(run, second)).toBe(
      `⏳ waits for ${held}; 2nd in line — \`release/1.4\` releases one hotfix at a time (\`concurrency: one_per_line\`)`,
    );
    expect(lineRow(run, third)).toBe(
      `⏳ waits for ${held}; 3rd in line — \`release/1.4\` releases one hotfix at a time (\`concurrency: one_per_line\`)<br>also ahead, opened earlier: #${second}`,
    );
    await say(run, PEOPLE.releaser, third, RELEASE_COMMAND);
    expect(pull(run, third).merged).toBe(false);
    expect(replies(run, third).pop()).toContain(`**Release line**: waits for ${held}`);

    // The first one's command again: tagged v1.4.3 and published; the line is free.
    await say(run, PEOPLE.releaser, first, RELEASE_COMMAND);
    expect(await tagCommit(run, "v1.4.3")).toBe(pull(run, first).mergeCommitSha);
    expect(gateState(run, second)).toBe("success");
    expect(gateState(run, third)).toBe("success");
    expect(lineRow(run, third)).toBe(
      `✅ no other hotfix is being released on \`release/1.4\`<br>also waiting on this line, opened earlier: #${second} — the first one released takes the line`,
    );

    // Without a deploy: section a release is through once published: the next goes at once.
    await say(run, PEOPLE.releaser, third, RELEASE_COMMAND);
    await say(run, PEOPLE.releaser, second, RELEASE_COMMAND);
    expect(await tagCommit(run, "v1.4.4")).toBe(pull(run, third).mergeCommitSha);
    expect(await tagCommit(run, "v1.4.5")).toBe(pull(run, second).mergeCommitSha);
  });

  it("a hotfix merged by hand holds the line until someone releases it", async () => {
    const { run } = world;
    const [first = 0, second = 0] = world.prs;
    await run.demo.repo.hub.mergePull(
      run.demo.repo.state,
      first,
      { method: "squash" },
      PEOPLE.releaser,
    );
    await settled(run);
    const merge = pull(run, first).mergeCommitSha?.slice(0, 7);
    expect(gateState(run, second)).toBe("in_progress");
    expect(lineRow(run, second)).toContain(
      `waits for #${first} (\`release/1.4\`: merged as ${merge}, not released yet); 2nd in line`,
    );
  });
});
