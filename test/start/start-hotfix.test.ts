/**
 * `/start-hotfix` through the real app on the GitHub stand-in (real git underneath): the branch
 * is created at the line's latest release tag, not its head, and the reply names the unreleased
 * commits; the first push opens the PR; a repeated command or a branch created meanwhile
 * creates nothing; every refusal is a reply and nothing else.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { LOGIN_FIX, PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { useDemoApp } from "../helpers/demo-app.js";

const world = useDemoApp(POLICY);
const LINE = "release/1.4";
const TITLE = "Login crashes when the session has expired";

async function act(fn: () => unknown): Promise<number> {
  await settle(world.standIn, world.app);
  const from = world.standIn.requests.length;
  await fn();
  await settle(world.standIn, world.app);
  return from;
}

const writesSince = (from: number) =>
  world.standIn.requests
    .slice(from)
    .filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"))
    .map((r) => `${r.method} ${r.route}`);

const repliesOn = (issue: number) =>
  [...world.demo.repo.state.comments.values()]
    .filter((c) => c.issue === issue && c.user.endsWith("[bot]"))
    .map((c) => c.body);

const lastReply = (issue: number) => repliesOn(issue).at(-1) ?? "";

const branchSha = (name: string) => world.demo.repo.git.readRef(`refs/heads/${name}`);

const NO_BRANCH_NO_PR = (from: number) =>
  writesSince(from).filter(
    (w) =>
      !w.startsWith("POST /repos/{owner}/{repo}/issues/{issue_number}/comments") &&
      !w.includes("/reactions"),
  );

describe("/start-hotfix on an issue", () => {
  let issue = 0;
  let branch = "";
  let released = "";
  let unreleased = "";
  let startFrom = 0;
  let startTo = 0;

  beforeAll(async () => {
    const { repo } = world.demo;
    released = (await repo.git.resolveCommit("v1.4.2")) as string;
    // Work merged on the line after its latest release: not what users run.
    unreleased = await repo.push(
      LINE,
      { "src/banner.ts": "export const banner = 'new';\n" },
      "Show the new banner",
      PEOPLE.releaser,
    );
    issue = repo.openIssue(PEOPLE.qa, {
      title: TITLE,
      body: "Steps: sign in, wait a day, reload.\n\nVersion: 1.4.2\n",
      labels: ["bug"],
    }).number;
    branch = `hotfix/${issue}-login-crashes-when-the-session-has`;
    startFrom = await act(() => repo.comment(PEOPLE.dev, issue, "/start-hotfix"));
    startTo = world.standIn.requests.length;
  }, 30_000);

  it("costs a known number of requests, and a comment without the command none", async () => {
    const apiCalls = (from: number, to = world.standIn.requests.length) =>
      world.standIn.requests.slice(from, to).filter((r) => !r.path.endsWith("/access_tokens"));
    const start = apiCalls(startFrom, startTo).map((r) => `${r.method} ${r.route}`);
    // 11, plus one per unreleased commit named (here 1).
    expect(start).toHaveLength(12);
    expect(start.filter((r) => !r.startsWith("GET"))).toEqual([
      "POST /repos/{owner}/{repo}/git/refs",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    const from = await act(() =>
      world.demo.repo.comment(PEOPLE.dev, issue, "Thanks, looking at it."),
    );
    expect(apiCalls(from)).toEqual([]);
  });

  it("creates the branch at the line's latest release tag, not the line's head", async () => {
    expect(await branchSha(branch)).toBe(released);
    expect(await branchSha(LINE)).toBe(unreleased);
  });

  it("replies with the branch, the tag, the unreleased commits and the commands", () => {
    const reply = lastReply(issue);
    expect(reply).toContain(`@${PEOPLE.dev} started the hotfix for #${issue} on line 1.4.x`);
    expect(reply).toContain("(the affected version the issue gives)");
    expect(reply).toContain(`\`${branch}\``);
    expect(reply).toContain("**v1.4.2**");
    expect(reply).toContain(`\`${LINE}\` has 1 commit since v1.4.2 that is not released`);
    expect(reply).toContain(`- ${unreleased.slice(0, 7)} Show the new banner`);
    expect(reply).toContain(`git fetch origin\ngit switch --track origin/${branch}`);
  });

  it("a repeated command reports the branch and moves nothing", async () => {
    const from = await act(() => world.demo.repo.comment(PEOPLE.dev, issue, "/start-hotfix 1.4"));
    expect(lastReply(issue)).toContain(
      `the branch \`${branch}\` already exists (at ${released.slice(0, 7)})`,
    );
    expect(NO_BRANCH_NO_PR(from)).toEqual([]);
    expect(await branchSha(branch)).toBe(released);
  });

  it("the first push opens the PR to the line: the issue's title, Fixes #, label, pusher assigned", async () => {
    const { repo } = world.demo;
    const from = await act(() =>
      repo.push(branch, { "src/login.ts": LOGIN_FIX }, "Redirect expired sessions", PEOPLE.dev),
    );
    const opening = world.standIn.requests
      .slice(from)
      .filter((r) => r.method === "POST" && r.route === "/repos/{owner}/{repo}/pulls");
    expect(opening).toHaveLength(1);
    // The push delivery's own cost: the PR is opened in 6 requests.
    const pushes = world.standIn.webhooks.deliveries.filter((d) => d.event === "push");
    expect(pushes.at(-1)?.requests).toBe(6);
    const pulls = [...repo.state.issues.values()].filter((i) => i.pull?.headRef === branch);
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.title).toBe(TITLE);
    expect(pull.pull?.baseRef).toBe(LINE);
    expect(pull.body).toMatch(new RegExp(`^Fixes #${issue}\\b`));
    expect(pull.labels).toEqual(["hotfix"]);
    expect(pull.assignees).toEqual([PEOPLE.dev]);
    // ... and it goes through the gate as usual.
    expect(
      repo.state.checkRuns.some(
        (r) => r.name === "Hotfix policy" && r.headSha === pull.pull?.headSha,
      ),
    ).toBe(true);
  });

  it("a second push opens nothing more", async () => {
    const { repo } = world.demo;
    const from = await act(() =>
      repo.push(branch, { "src/login.ts": `${LOGIN_FIX}// more\n` }, "More", PEOPLE.dev),
    );
    expect(
      writesSince(from).filter((w) => w.startsWith("POST /repos/{owner}/{repo}/pulls")),
    ).toEqual([]);
    expect([...repo.state.issues.values()].filter((i) => i.pull?.headRef === branch)).toHaveLength(
      1,
    );
  });

  describe("its approvals: a bot opened it, so who wrote its commits is its author", () => {
    const COMMITS = "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits";
    const started = () =>
      [...world.demo.repo.state.issues.values()].find((i) => i.pull?.headRef === branch)!;
    /** The QA row of the latest `Hotfix policy` run on the PR's head. */
    const qaRow = () => {
      const head = started().pull?.headSha;
      const run = world.demo.repo.state.checkRuns
        .filter((r) => r.name === "Hotfix policy" && r.headSha === head)
        .at(-1);
      return (run?.output.summary ?? "").split("\n").find((l) => l.includes("| QA approval |"));
    };
    const commitsReads = (from: number) =>
      world.standIn.requests.slice(from).filter((r) => `${r.method} ${r.route}` === COMMITS);

    beforeAll(() => {
      // The developer is also in QA: before the fix, their own approval satisfied the group.
      world.standIn.hub.invite("acme", "qa", PEOPLE.dev);
      world.standIn.hub.acceptInvite("acme", "qa", PEOPLE.dev);
    });

    it("the pusher's approval does not count, and the QA row says why by name", async () => {
      const pr = started();
      expect(pr.user).toMatch(/\[bot\]$/);
      const from = await act(() =>
        world.demo.repo.review(PEOPLE.dev, pr.number, "APPROVED", "LGTM"),
      );
      expect(qaRow()).toContain("⏳");
      expect(qaRow()).toContain(
        `@${PEOPLE.dev} wrote commits of this PR, which a bot opened: their own approval doesn't count`,
      );
      // One more read per evaluation, for a PR a bot opened only.
      expect(commitsReads(from)).toHaveLength(1);
    });

    it("another QA member's approval then satisfies the group", async () => {
      await act(() => world.demo.repo.review(PEOPLE.qa, started().number, "APPROVED"));
      expect(qaRow()).toContain("✅");
      expect(qaRow()).toContain(`approved by @${PEOPLE.qa}`);
    });

    it("commits GitHub will not list: no approval counts, the group fails saying why", async () => {
      world.standIn.fault({
        route: `/repos/{owner}/{repo}/pulls/{pull_number}/commits`,
        kind: { status: 502 },
      });
      await act(() => world.demo.repo.review(PEOPLE.ops, started().number, "APPROVED"));
      expect(qaRow()).toContain("❌");
      expect(qaRow()).toContain("GitHub did not list this PR's commits (502");
      expect(qaRow()).toContain("no approval counts until the gate can see who wrote its commits");
      // The next evaluation reads them again: counted again.
      await act(() => world.demo.repo.review(PEOPLE.ops, started().number, "APPROVED", "again"));
      expect(qaRow()).toContain(`approved by @${PEOPLE.qa}`);
    });

    it("a PR a person opened: its gate reads no commits", async () => {
      const { repo } = world.demo;
      const own = `hotfix/${issue}-by-hand`;
      await repo.push(own, { "src/login.ts": LOGIN_FIX }, "Redirect expired sessions", PEOPLE.dev, {
        from: "v1.4.2",
      });
      let number = 0;
      const from = await act(async () => {
        number = (
          await repo.openPull(PEOPLE.dev, {
            head: own,
            base: LINE,
            title: "Redirect expired sessions",
            body: `Fixes #${issue}`,
          })
        ).number;
      });
      const mine = world.standIn.requests
        .slice(from)
        .filter((r) => r.path.includes(`/pulls/${number}/`));
      // Its gate ran (its reviews were read), without reading its commits.
      expect(mine.map((r) => r.route)).toContain(
        "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      );
      expect(mine.filter((r) => r.route?.endsWith("/commits"))).toEqual([]);
      expect(
        repo.state.checkRuns.some(
          (r) => r.name === "Hotfix policy" && r.headSha === repo.pull(number).pull.headSha,
        ),
      ).toBe(true);
    });
  });

  it("a branch created meanwhile by someone else is reported, not moved", async () => {
    const { repo } = world.demo;
    const other = repo.openIssue(PEOPLE.qa, { title: "Cart total off by a cent", body: "" }).number;
    const name = `hotfix/${other}-cart-total-off-by-a-cent`;
    const head = await repo.git.resolveCommit(LINE);
    // Someone pushes the same branch just before the app's ref creation reaches GitHub.
    const stop = world.standIn.intercept(async ({ method, route, body }) => {
      if (
        method === "POST" &&
        route === "/repos/{owner}/{repo}/git/refs" &&
        (body as { ref?: string }).ref === `refs/heads/${name}`
      ) {
        stop();
        await repo.branch(name, LINE, PEOPLE.captain);
      }
      return undefined;
    });
    await act(() => repo.comment(PEOPLE.dev, other, "/start-hotfix release/1.4"));
    expect(lastReply(other)).toContain(
      `the branch \`${name}\` already exists (at ${head?.slice(0, 7)})`,
    );
    expect(await branchSha(name)).toBe(head);
  });
});

describe("/start-hotfix refusals: a clear reply, nothing created", () => {
  beforeAll(async () => {
    const { repo } = world.demo;
    world.standIn.hub.addUser("rob", { name: "Rob Reader" });
    repo.grant("rob", "read");
    // A line branch with no release tag yet.
    await repo.branch("release/3.0", "main", PEOPLE.releaser);
    await settle(world.standIn, world.app);
  }, 30_000);

  const cases: Array<[string, () => number, string, string, string]> = [
    [
      "someone not allowed",
      () =>
        world.demo.repo.openIssue(PEOPLE.qa, { title: "Crash on reload", body: "Version: 1.4.2" })
          .number,
      "rob",
      "/start-hotfix",
      "@rob may not start a hotfix here, so nothing was created: that is allowed to anyone with write permission (policy key `start.allowed`); @rob has read permission",
    ],
    [
      "a line that does not exist",
      () => world.demo.repo.openIssue(PEOPLE.qa, { title: "Crash on reload", body: "" }).number,
      PEOPLE.dev,
      "/start-hotfix 9.9",
      "nothing was created: `9.9` names no maintained release line; maintained lines: `release/3.0`, `release/1.4`, `release/1.3`.",
    ],
    [
      "a line without release tags",
      () => world.demo.repo.openIssue(PEOPLE.qa, { title: "Crash on reload", body: "" }).number,
      PEOPLE.dev,
      "/start-hotfix 3.0",
      "nothing was created: line 3.0.x (`release/3.0`) has no release yet (no stable tag matching `v3.0.*`)",
    ],
    [
      "a title that slugs to nothing",
      () =>
        world.demo.repo.openIssue(PEOPLE.qa, { title: "🔥🔥🔥", body: "Version: 1.4.2" }).number,
      PEOPLE.dev,
      "/start-hotfix",
      "nothing was created: the issue's title “🔥🔥🔥” has no letter or digit",
    ],
    [
      "no line given and none in the issue: asks",
      () =>
        world.demo.repo.openIssue(PEOPLE.qa, { title: "Crash on reload", body: "It crashes." })
          .number,
      PEOPLE.dev,
      "/start-hotfix",
      "which release line should the hotfix start from? The issue does not say which version is affected; maintained lines: `release/3.0`, `release/1.4`, `release/1.3`.",
    ],
    [
      "two lines",
      () => world.demo.repo.openIssue(PEOPLE.qa, { title: "Crash on reload", body: "" }).number,
      PEOPLE.dev,
      "/start-hotfix 1.4 1.3",
      "takes one line or version",
    ],
  ];

  it.each(cases)("%s", async (_name, open, who, command, expected) => {
    const issue = open();
    const from = await act(() => world.demo.repo.comment(who, issue, command));
    expect(lastReply(issue)).toContain(expected);
    expect(NO_BRANCH_NO_PR(from)).toEqual([]);
    const branches = await world.demo.repo.git.listRefs(`refs/heads/hotfix/${issue}-`);
    expect(branches).toEqual([]);
  });

  it("on a pull request", async () => {
    const { repo } = world.demo;
    await repo.push("feature/x", { "x.txt": "x\n" }, "x", PEOPLE.dev, { from: LINE });
    const { number } = await repo.openPull(PEOPLE.dev, {
      head: "feature/x",
      base: LINE,
      title: "X",
    });
    const from = await act(() => repo.comment(PEOPLE.dev, number, "/start-hotfix 1.4"));
    expect(lastReply(number)).toContain(
      "`/start-hotfix` starts a hotfix from the issue that reports the bug, and this is a pull request",
    );
    expect(NO_BRANCH_NO_PR(from)).toEqual([]);
  });
});

describe("the first push", () => {
  it("believes only a start reply whose base is a release line: a forged one opens nothing", async () => {
    const { repo } = world.demo;
    world.standIn.hub.addUser("mallory[bot]", { type: "Bot" });
    const issue = repo.openIssue(PEOPLE.qa, { title: "Forged start", body: "" }).number;
    const branch = `hotfix/${issue}-forged-start`;
    repo.comment(
      "mallory[bot]",
      issue,
      `<!-- hotfix-bot:start {"branch":"${branch}","base":"main","tag":"v2.0.0","sha":"${"a".repeat(40)}"} -->`,
    );
    const from = await act(() =>
      repo.push(branch, { "x.txt": "x\n" }, "x", PEOPLE.dev, { from: "main" }),
    );
    expect(writesSince(from)).toEqual([]);
    expect([...repo.state.issues.values()].filter((i) => i.pull?.headRef === branch)).toEqual([]);
  });

  it("a start reply written by a person is not believed", async () => {
    const { repo } = world.demo;
    const issue = repo.openIssue(PEOPLE.qa, { title: "Copied reply", body: "" }).number;
    const branch = `hotfix/${issue}-copied-reply`;
    repo.comment(
      PEOPLE.dev,
      issue,
      `<!-- hotfix-bot:start {"branch":"${branch}","base":"${LINE}","tag":"v1.4.2","sha":"${"a".repeat(40)}"} -->`,
    );
    const from = await act(() =>
      repo.push(branch, { "z.txt": "z\n" }, "z", PEOPLE.dev, { from: "main" }),
    );
    expect(writesSince(from)).toEqual([]);
  });

  it("a push to a branch no /start-hotfix created opens nothing", async () => {
    const { repo } = world.demo;
    const issue = repo.openIssue(PEOPLE.qa, { title: "Not started", body: "" }).number;
    const branch = `hotfix/${issue}-not-started`;
    const from = await act(() =>
      repo.push(branch, { "y.txt": "y\n" }, "y", PEOPLE.dev, { from: LINE }),
    );
    expect(writesSince(from)).toEqual([]);
  });
});

describe("the stand-in", () => {
  it("saw no request GitHub would refuse, and no unimplemented route", async () => {
    await settle(world.standIn, world.app);
    expect(world.standIn.problems()).toEqual([]);
  });
});
