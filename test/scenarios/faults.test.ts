/**
 * A fault at each write of `/release-hotfix` — release, deploy start and backports — then the
 * command again: the end state must equal the fault-free run's (one merge, one tag, one
 * release, one PR per backport target, one deployment per stage, one tracking comment, no
 * temporary branches left). The faults rotate through GitHub's failures: 500, 502 (an HTML
 * page), a connection dropped before the request was handled, one dropped after it was
 * handled (done, but the answer lost), and the secondary rate limit (403 with retry-after).
 *
 * Every case starts from one snapshot of the stand-in taken when the PR was approved.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import {
  comment,
  playDeployer,
  playUntilApproved,
  RELEASE_COMMAND,
} from "../../sandbox/lifecycle.js";
import { endState, type EndState } from "../../sandbox/outcome.js";
import type { FaultKind } from "../../sandbox/stand-in/faults.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import { startScenario, writes, type Scenario } from "./harness.js";

const KINDS: Array<[string, FaultKind]> = [
  ["500", { status: 500 }],
  ["502", { status: 502 }],
  ["dropped before", { drop: "before" }],
  ["dropped after", { drop: "after" }],
  ["secondary rate limit", { secondaryRateLimit: true, retryAfterSeconds: 1 }],
];

/** The command, the command again, then the deployer: staging, production, the window. */
async function releaseTwice(run: Scenario, pr: number): Promise<void> {
  await comment(run.player, PEOPLE.releaser, pr, RELEASE_COMMAND);
  await comment(run.player, PEOPLE.releaser, pr, RELEASE_COMMAND);
  await playDeployer(run.player);
}

// The fault-free run comes first, at load time: its writes name the test cases.
const run = await startScenario();
const pr = await playUntilApproved(run.player);
const approved: HubSnapshot = await run.standIn.hub.snapshot();
const from = run.standIn.requests.length;
await comment(run.player, PEOPLE.releaser, pr, RELEASE_COMMAND);
/** The writes of the fault-free command, in order: the places a fault is injected. */
const commandWrites = writes(run.standIn, from).map((r) => `${r.method} ${r.route}`);
await comment(run.player, PEOPLE.releaser, pr, RELEASE_COMMAND);
await playDeployer(run.player);
const reference: EndState = await endState(run.demo, pr);

afterAll(async () => {
  await approved.dispose();
  await run.close();
});

describe("a fault at each write of /release-hotfix, then the command again", () => {
  it("covers the release, the deploy start and both backports", () => {
    expect(commandWrites.length).toBeGreaterThan(25);
    for (const route of [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
      "POST /repos/{owner}/{repo}/git/tags",
      "POST /repos/{owner}/{repo}/releases",
      "POST /repos/{owner}/{repo}/deployments",
      "POST /repos/{owner}/{repo}/merges",
      "POST /repos/{owner}/{repo}/pulls",
    ]) {
      expect(commandWrites).toContain(route);
    }
  });

  const cases = commandWrites.map((route, at) => {
    const [name, kind] = KINDS[at % KINDS.length] as [string, FaultKind];
    return { at, label: `write ${at + 1}, ${route}, answered ${name}`, kind };
  });

  it.each(cases)("ends as the fault-free run did: $label", async ({ at, kind }) => {
    await run.standIn.hub.restore(approved);
    const problemsBefore = run.standIn.problems().length;
    const fault = run.standIn.fault({
      match: (r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"),
      after: at,
      kind,
    });
    try {
      await releaseTwice(run, pr);
    } finally {
      fault.remove();
    }
    expect(fault.fired).toHaveLength(1);
    expect(await endState(run.demo, pr)).toEqual(reference);
    expect(run.standIn.problems().slice(problemsBefore)).toEqual([]);
  });
});
