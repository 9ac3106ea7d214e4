/**
 * Releasing through GitHub's merge queue, through the real app on the GitHub stand-in: the base
 * requires a merge queue, so `/release-hotfix` adds the PR with GraphQL `enqueuePullRequest`
 * (expectedHeadOid = the judged head) instead of a REST merge — at the back, or at the front with
 * `release.merge_queue: jump`; a repeated command never adds it twice; the release continues when
 * the queue merges the PR, and a PR the queue removes is reported with the queue's reason.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { branchRules } from "../../sandbox/stand-in/routes/rules.js";
import { mergeQueue } from "../../sandbox/stand-in/routes/graphql.js";
import type { RecordedRequest } from "../../sandbox/stand-in/server.js";
import { useDemoApp } from "../helpers/demo-app.js";

const world = useDemoApp(POLICY);
const queue = () => mergeQueue(world.standIn.hub);

beforeAll(() => {
  branchRules(world.standIn.hub, "acme", "shop").rulesets.push({
    id: 21,
    name: "Release queue",
    branches: ["release/*"],
    bypassApp: false,
    rules: [{ type: "merge_queue", parameters: { merge_method: "SQUASH" } }],
  });
});

let count = 0;
async function greenHotfix(): Promise<{ pr: number; head: string }> {
  const { repo } = world.demo;
  const branch = `hotfix/queue-${++count}`;
  await repo.push(branch, { [`src/queue-${count}.ts`]: `// fix ${count}\n` }, "Fix", PEOPLE.dev, {
    from: "release/1.4",
  });
  const { number } = await repo.openPull(PEOPLE.dev, {
    head: branch,
    base: "release/1.4",
    title: `Fix queue ${count}`,
    body: "Fixes #1",
  });
  const head = await repo.headOf(branch);
  await repo.check(head, "build", "success");
  repo.review(PEOPLE.qa, number, "APPROVED");
  repo.review(PEOPLE.ops, number, "APPROVED");
  await settle(world.standIn, world.app);
  return { pr: number, head };
}

/** An ordinary PR someone put in the queue before the hotfix. */
async function ordinaryInQueue(): Promise<number> {
  const { repo } = world.demo;
  const branch = `feature/queued-${++count}`;
  await repo.push(branch, { [`docs/q-${count}.md`]: "x\n" }, "Docs", PEOPLE.captain, {
    from: "release/1.4",
  });
  const { number } = await repo.openPull(PEOPLE.captain, {
    head: branch,
    base: "release/1.4",
    title: "Docs",
    body: "",
  });
  await settle(world.standIn, world.app);
  queue().add(world.demo.repo.state, number, PEOPLE.captain);
  return number;
}

async function during(act: () => unknown): Promise<RecordedRequest[]> {
  await settle(world.standIn, world.app);
  const from = world.standIn.requests.length;
  await act();
  await settle(world.standIn, world.app);
  return world.standIn.requests.slice(from);
}

const enqueues = (sent: RecordedRequest[]) =>
  sent.filter(
    (r) =>
      r.path.endsWith("graphql") && JSON.stringify(r.body).includes("HotfixEnqueuePullRequest"),
  );
const restMerges = (sent: RecordedRequest[]) =>
  sent.filter((r) => r.route === "/repos/{owner}/{repo}/pulls/{pull_number}/merge");
const botComments = (pr: number) =>
  [...world.demo.repo.state.comments.values()]
    .filter((c) => c.issue === pr && c.user.endsWith("[bot]"))
    .map((c) => c.body);
const base = () =>
  queue()
    .entries(world.demo.repo.state, "release/1.4")
    .map((e) => e.pr);
const tagged = (pr: number) =>
  world.demo.repo.git.git([
    "tag",
    "--contains",
    world.demo.repo.pull(pr).pull.mergeCommitSha ?? "HEAD",
  ]);

describe("releasing through GitHub's merge queue", () => {
  it("joins the queue at the back, never twice, and the release continues when the queue merges it", async () => {
    const other = await ordinaryInQueue();
    const { pr, head } = await greenHotfix();

    const first = await during(() =>
      world.demo.repo.comment(PEOPLE.releaser, pr, "/release-hotfix"),
    );
    expect(restMerges(first)).toEqual([]);
    expect(
      enqueues(first).map((r) => [r.status, (r.body as { variables: unknown }).variables]),
    ).toEqual([[200, { pullId: expect.any(String), expectedHeadOid: head, jump: false }]]);
    expect(base()).toEqual([other, pr]);
    expect(botComments(pr).join("\n")).toMatch(
      /queued \(position 2\) in GitHub's merge queue by @mia/,
    );
    expect(botComments(pr).join("\n")).toMatch(
      /added the PR to GitHub's merge queue of `release\/1.4` \(position 2\)/,
    );

    // The same command again, and a redelivery of it: the PR is already there — nothing added.
    const again = await during(() =>
      world.demo.repo.comment(PEOPLE.releaser, pr, "/release-hotfix"),
    );
    expect(enqueues(again)).toEqual([]);
    expect(base()).toEqual([other, pr]);
    expect(botComments(pr).join("\n")).toMatch(
      /@mia the PR is already in GitHub's merge queue of `release\/1.4` \(position 2\)/,
    );

    // The queue merges the ordinary PR, then the hotfix: the release goes on from the merge commit.
    await during(() => queue().mergeNext(world.demo.repo.state, "release/1.4"));
    expect(world.demo.repo.pull(pr).pull.merged).toBe(false);
    const merged = await during(() => queue().mergeNext(world.demo.repo.state, "release/1.4"));
    expect(world.demo.repo.pull(pr).pull.merged).toBe(true);
    expect(restMerges(merged)).toEqual([]);
    expect(
      merged
        .filter((r) => r.method === "POST" && r.route === "/repos/{owner}/{repo}/releases")
        .map((r) => r.status),
    ).toEqual([201]);
    const tags = String((await tagged(pr)).stdout).trim();
    expect(tags).toMatch(/^v1\.4\.\d+$/m);
    expect(world.standIn.problems()).toEqual([]);
  }, 60_000);

  it("with `release.merge_queue: jump` it asks for the front of the queue", async () => {
    await during(() =>
      world.demo.repo.push(
        "main",
        {
          ".github/hotfix.yml": POLICY.replace(
            "  merge_method: squash\n",
            "  merge_method: squash\n  merge_queue: jump\n",
          ),
        },
        "Hotfixes jump the merge queue",
        PEOPLE.releaser,
      ),
    );
    const other = await ordinaryInQueue();
    const { pr, head } = await greenHotfix();
    const sent = await during(() =>
      world.demo.repo.comment(PEOPLE.releaser, pr, "/release-hotfix"),
    );
    expect(enqueues(sent).map((r) => (r.body as { variables: unknown }).variables)).toEqual([
      { pullId: expect.any(String), expectedHeadOid: head, jump: true },
    ]);
    expect(base()).toEqual([pr, other]);
    expect(botComments(pr).join("\n")).toMatch(
      /queued \(position 1, at the front: `release.merge_queue: jump`\)/,
    );
    await during(() => queue().mergeNext(world.demo.repo.state, "release/1.4"));
    expect(world.demo.repo.pull(pr).pull.merged).toBe(true);
    expect(String((await tagged(pr)).stdout).trim()).toMatch(/^v1\.4\.\d+$/m);
    // Leave the queue empty for the next test.
    await during(() => queue().mergeNext(world.demo.repo.state, "release/1.4"));
  }, 60_000);

  it("a PR the queue removes is reported with the queue's reason, and the next command adds it again", async () => {
    const { pr } = await greenHotfix();
    await during(() => world.demo.repo.comment(PEOPLE.releaser, pr, "/release-hotfix"));
    expect(base()).toEqual([pr]);
    await during(() => queue().dequeue(world.demo.repo.state, pr, "CI_FAILURE"));
    expect(base()).toEqual([]);
    const said = botComments(pr).join("\n");
    expect(said).toMatch(
      /@mia GitHub's merge queue removed the PR \(ci failure\); nothing was merged/,
    );
    expect(said).toMatch(/removed from GitHub's merge queue \(ci failure\)/);
    expect(world.demo.repo.pull(pr).pull.merged).toBe(false);

    const again = await during(() =>
      world.demo.repo.comment(PEOPLE.releaser, pr, "/release-hotfix"),
    );
    expect(enqueues(again)).toHaveLength(1);
    expect(base()).toEqual([pr]);
    expect(world.standIn.problems()).toEqual([]);
  }, 60_000);
});
