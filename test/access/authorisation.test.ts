/**
 * Who a rule names — approval groups and who may run commands (`release.allowed`) — decided by
 * one matcher (`src/access/rules.ts`), used by `membership.ts` (approvals) and `authorise.ts`
 * (commands).
 *
 * - Unit tests over a small fake of the `Access` port: the rule's logic, its order of lookups,
 *   and the words of a refusal.
 * - The adapter against the GitHub stand-in, with an organisation (`OrgHandle`) whose teams the
 *   App may not read (403 without Members, 404 for a secret team), with a pending invitation,
 *   and with repository permissions as GitHub reports them.
 * - Through the app: a refused command names the team problem, and the `Hotfix policy` check
 *   run is rewritten when only its summary changes (the first of two QA approvals).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { pino } from "pino";
import { Probot } from "probot";
import { authorise, type Allowed } from "../../src/access/authorise.js";
import { resolveMembership } from "../../src/access/membership.js";
import { describeRule, matchRule, permissionAtLeast, type Rule } from "../../src/access/rules.js";
import type { Permission } from "../../src/github/model.js";
import type { Access, TeamAnswer } from "../../src/github/port/access.js";
import type { GitHubPort } from "../../src/github/port.js";
import { createGitHubPort, type Octokit } from "../../src/github/octokit-port.js";
import type { ApprovalGroup } from "../../src/policy/schema.js";
import {
  newAppCredentials,
  UnthrottledOctokit,
  type AppCredentials,
} from "../../sandbox/app-host.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { OrgHandle, RepoHandle } from "../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import {
  mark,
  openScenario,
  reactionsTo,
  replies,
  say,
  settled,
  writesSince,
  type AppScenario,
} from "../deploy/deploy-scenario.js";

// ——— A fake of the port: what GitHub would answer, and which questions were asked ———

interface Facts {
  /** `org/slug` → its active members, or what GitHub answers for any member question. */
  teams?: Record<string, readonly string[] | Exclude<TeamAnswer, "member" | "not-member">>;
  permissions?: Record<string, Permission>;
}

function fakeAccess(facts: Facts): Access & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async teamMembership(org, slug, login) {
      asked.push(`team ${org}/${slug} ${login}`);
      const team = facts.teams?.[`${org}/${slug}`];
      if (team === undefined) return "team-not-visible";
      if (typeof team === "string") return team;
      return team.some((m) => m.toLowerCase() === login.toLowerCase()) ? "member" : "not-member";
    },
    async permissionOf(login) {
      asked.push(`permission ${login}`);
      return facts.permissions?.[login.toLowerCase()] ?? "none";
    },
    async isCollaborator(login) {
      asked.push(`collaborator ${login}`);
      return facts.permissions?.[login.toLowerCase()] !== undefined;
    },
  };
}

const rule = (parts: Partial<Rule>): Rule => ({ users: [], teams: [], ...parts });
const allowed = (parts: Partial<Allowed>): Allowed => ({
  users: [],
  teams: [],
  permission: "maintain",
  ...parts,
});
const group = (parts: Partial<ApprovalGroup> & { name: string }): ApprovalGroup => ({
  count: 1,
  teams: [],
  users: [],
  ...parts,
});

describe("rules: who a rule names (over a fake Access port)", () => {
  it("a listed user matches without asking GitHub anything, whatever the case of the login", async () => {
    const access = fakeAccess({});
    expect(await matchRule(access, "Mia", rule({ users: ["mia"], teams: ["acme/qa"] }))).toEqual({
      matches: true,
      via: "listed by name",
      problems: [],
    });
    expect(access.asked).toEqual([]);
  });

  it("a member of a listed team matches; the permission is then not looked up", async () => {
    const access = fakeAccess({ teams: { "acme/qa": ["quinn"] }, permissions: { quinn: "read" } });
    const match = await matchRule(
      access,
      "quinn",
      rule({ teams: ["acme/qa"], permission: "admin" }),
    );
    expect(match).toMatchObject({ matches: true, via: "member of acme/qa" });
    expect(access.asked).toEqual(["team acme/qa quinn"]);
  });

  it("the permission counts when at least the one asked for; without a permission part it is never looked up", async () => {
    const access = fakeAccess({ permissions: { mia: "maintain", dana: "write" } });
    expect(await matchRule(access, "mia", rule({ permission: "write" }))).toMatchObject({
      matches: true,
      via: "maintain permission",
    });
    expect(await matchRule(access, "dana", rule({ permission: "maintain" }))).toEqual({
      matches: false,
      problems: [],
      permission: "write",
    });
    const quiet = fakeAccess({ permissions: { dana: "admin" } });
    expect(await matchRule(quiet, "dana", rule({ users: ["mia"] }))).toEqual({
      matches: false,
      problems: [],
      permission: null,
    });
    expect(quiet.asked).toEqual([]);
  });

  it.each<[Permission | "none", Permission, boolean]>([
    ["admin", "maintain", true],
    ["maintain", "maintain", true],
    ["write", "maintain", false],
    ["triage", "write", false],
    ["read", "read", true],
    ["none", "read", false],
  ])("permission %s is at least %s: %s", (actual, required, expected) => {
    expect(permissionAtLeast(actual, required)).toBe(expected);
  });

  it("a team the app cannot see, or may not read, never counts and is reported as a problem a person can act on", async () => {
    const access = fakeAccess({ teams: { "acme/ops": "forbidden" } });
    const match = await matchRule(access, "olga", rule({ teams: ["acme/secret", "acme/ops"] }));
    expect(match).toEqual({
      matches: false,
      permission: null,
      problems: [
        'Team acme/secret does not exist or the app cannot see it: check the name in .github/hotfix.yml, and that the app is installed on acme with the organisation permission "Members: read"',
        'The app may not read the members of acme/ops: grant it the organisation permission "Members: read" (GitHub App settings → Permissions)',
      ],
    });
  });

  it("an unreadable team does not stop another part of the rule from matching", async () => {
    const access = fakeAccess({
      teams: { "acme/ops": "forbidden" },
      permissions: { olga: "admin" },
    });
    const match = await matchRule(
      access,
      "olga",
      rule({ teams: ["acme/ops"], permission: "admin" }),
    );
    expect(match).toMatchObject({ matches: true, via: "admin permission" });
    expect(match.problems).toHaveLength(1);
  });

  it("describes a rule in the words of a check run's row", () => {
    expect(describeRule(rule({ teams: ["acme/qa"], users: ["alice"], permission: "admin" }))).toBe(
      "acme/qa, @alice, anyone with admin permission",
    );
  });
});

describe("membership: the approval groups each reviewer belongs to (over a fake Access port)", () => {
  const QA = group({ name: "QA", teams: ["acme/qa"] });
  const OPS = group({
    name: "Operations",
    teams: ["acme/ops"],
    users: ["alice"],
    permission: "admin",
  });

  it("puts each reviewer in every group whose rule names them, keyed by lower-cased login", async () => {
    const access = fakeAccess({
      teams: { "acme/qa": ["quinn", "alice"], "acme/ops": ["olga"] },
      permissions: { quinn: "write", olga: "write", alice: "write" },
    });
    const { groupsOf, problems } = await resolveMembership(
      access,
      ["Quinn", "olga", "alice", "dana"],
      [QA, OPS],
    );
    expect(
      Object.fromEntries([...groupsOf].map(([login, groups]) => [login, [...groups].sort()])),
    ).toEqual({
      quinn: ["QA"],
      olga: ["Operations"],
      alice: ["Operations", "QA"],
      dana: [],
    });
    expect(problems.size).toBe(0);
  });

  it("a group with `permission: admin` does not take an approver who only has write", async () => {
    const access = fakeAccess({ permissions: { olga: "write", root: "admin" } });
    const admins = group({ name: "Operations", permission: "admin" });
    const { groupsOf } = await resolveMembership(access, ["olga", "root"], [admins]);
    expect([...(groupsOf.get("olga") ?? [])]).toEqual([]);
    expect([...(groupsOf.get("root") ?? [])]).toEqual(["Operations"]);
  });

  it("keeps, per group, why its membership could not be judged", async () => {
    const access = fakeAccess({ teams: { "acme/qa": "forbidden" } });
    const { problems } = await resolveMembership(access, ["quinn", "dana"], [QA]);
    expect([...problems]).toEqual([
      [
        "QA",
        'The app may not read the members of acme/qa: grant it the organisation permission "Members: read" (GitHub App settings → Permissions)',
      ],
    ]);
  });
});

describe("authorise: who may run a command, and a refusal in words (over a fake Access port)", () => {
  const RELEASERS = allowed({
    teams: ["acme/release-managers"],
    users: ["rita"],
    permission: "maintain",
  });

  it("allows anyone one part of `release.allowed` names, and says which", async () => {
    const access = fakeAccess({
      teams: { "acme/release-managers": ["mia"] },
      permissions: { max: "admin" },
    });
    expect(await authorise(access, "mia", RELEASERS, "release")).toEqual({
      ok: true,
      via: "member of acme/release-managers",
    });
    expect(await authorise(access, "rita", RELEASERS, "release")).toEqual({
      ok: true,
      via: "listed by name",
    });
    expect(await authorise(access, "max", RELEASERS, "release")).toEqual({
      ok: true,
      via: "admin permission",
    });
  });

  it("a refusal names every rule, the person's permission, and what to do", async () => {
    const access = fakeAccess({
      teams: { "acme/release-managers": ["mia"] },
      permissions: { dana: "write" },
    });
    expect(await authorise(access, "dana", RELEASERS, "release")).toEqual({
      ok: false,
      reason:
        "@dana may not release here: that is allowed to listed users (@rita), or members of acme/release-managers, or anyone with maintain permission or higher (policy key `release.allowed`); @dana has write permission on this repository and is in none of the listed teams or users. Ask someone who may, or an admin to change the policy.",
    });
    const stranger = await authorise(access, "zed", allowed({}), "promote hotfixes");
    expect(stranger).toMatchObject({ ok: false });
    expect(stranger.ok ? "" : stranger.reason).toMatch(
      /^@zed may not promote hotfixes here: that is allowed to anyone with maintain permission or higher .*@zed has no permission on this repository/,
    );
  });

  it("a refusal names a team the app cannot read when no other rule matches", async () => {
    const access = fakeAccess({
      teams: { "acme/release-managers": "forbidden" },
      permissions: { mia: "maintain" },
    });
    const result = await authorise(
      access,
      "mia",
      allowed({ teams: ["acme/release-managers"], permission: "admin" }),
      "release",
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain(
      'The app may not read the members of acme/release-managers: grant it the organisation permission "Members: read"',
    );
  });
});

// ——— The adapter against the stand-in: what GitHub answers, as the App sees it ———

describe("the access adapter against GitHub's answers (stand-in, OrgHandle)", () => {
  let standIn: StandIn;
  let credentials: AppCredentials;
  let octokit: Octokit;
  let acme: OrgHandle;
  /** A fresh port per question: the adapter memoises answers for one delivery. */
  const port = (): GitHubPort => createGitHubPort(octokit, { owner: "acme", repo: "shop" });
  const RELEASE_MANAGERS = allowed({ teams: ["acme/release-managers"], permission: "admin" });

  beforeAll(async () => {
    standIn = await startStandIn();
    credentials = newAppCredentials("acme");
    standIn.registerApp({
      id: credentials.appId,
      slug: credentials.slug,
      name: credentials.name,
      owner: credentials.owner,
      publicKey: credentials.publicKey,
      installationId: credentials.installationId,
      webhookSecret: credentials.webhookSecret,
    });
    await standIn.createRepo("acme", "shop");
    const shop = new RepoHandle(standIn, "acme", "shop");
    await shop.push("main", { "README.md": "# shop\n" }, "Initial commit", "mia");
    shop.grant("mia", "maintain");
    shop.grant("olga", "write");
    shop.grant("pat", "write");
    shop.grant("root", "admin");
    const probot = new Probot({
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      baseUrl: standIn.url,
      Octokit: UnthrottledOctokit,
      log: pino({ level: "silent" }),
    });
    octokit = (await probot.auth(credentials.installationId)) as unknown as Octokit;
  });

  beforeEach(() => {
    acme = new OrgHandle(standIn, "acme");
    acme.denyAppMembers(false);
    acme.team("release-managers", ["mia"]);
    acme.team("qa", ["quinn"]);
  });

  afterAll(async () => {
    expect(standIn.problems()).toEqual([]);
    await standIn.close();
  });

  it("an active member of the team may release; the answer comes from GitHub's membership route", async () => {
    expect(await authorise(port(), "mia", RELEASE_MANAGERS, "release")).toEqual({
      ok: true,
      via: "member of acme/release-managers",
    });
  });

  it("an organisation that denies the App Members (403): the command is refused, naming the team problem", async () => {
    acme.denyAppMembers();
    const result = await authorise(port(), "mia", RELEASE_MANAGERS, "release");
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain(
      'The app may not read the members of acme/release-managers: grant it the organisation permission "Members: read" (GitHub App settings → Permissions).',
    );
    expect(result.ok ? "" : result.reason).toContain("@mia has maintain permission");
  });

  it("a team secret to the App (404, as for no team): the command is refused, naming the team problem", async () => {
    acme.team("release-managers", ["mia"], { visible: false });
    const result = await authorise(port(), "mia", RELEASE_MANAGERS, "release");
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain(
      "Team acme/release-managers does not exist or the app cannot see it: check the name in .github/hotfix.yml",
    );
  });

  it("an unreadable team does not refuse someone another rule names", async () => {
    acme.denyAppMembers();
    expect(await authorise(port(), "root", RELEASE_MANAGERS, "release")).toMatchObject({
      ok: true,
      via: "admin permission",
    });
  });

  it("a pending (invited, not accepted) membership counts neither for release rights nor for an approval group, until accepted", async () => {
    acme.invite("release-managers", "pat");
    acme.invite("qa", "pat");
    const QA = group({ name: "QA", teams: ["acme/qa"] });

    expect(await authorise(port(), "pat", RELEASE_MANAGERS, "release")).toMatchObject({
      ok: false,
    });
    expect([
      ...((await resolveMembership(port(), ["pat"], [QA])).groupsOf.get("pat") ?? []),
    ]).toEqual([]);

    acme.accept("release-managers", "pat");
    acme.accept("qa", "pat");
    expect(await authorise(port(), "pat", RELEASE_MANAGERS, "release")).toEqual({
      ok: true,
      via: "member of acme/release-managers",
    });
    expect([
      ...((await resolveMembership(port(), ["pat"], [QA])).groupsOf.get("pat") ?? []),
    ]).toEqual(["QA"]);
  });

  it("an approval group with `permission: admin` refuses an approver GitHub reports with only write", async () => {
    const admins = group({ name: "Operations", permission: "admin" });
    const { groupsOf } = await resolveMembership(port(), ["olga", "root"], [admins]);
    expect([...(groupsOf.get("olga") ?? [])]).toEqual([]);
    expect([...(groupsOf.get("root") ?? [])]).toEqual(["Operations"]);
  });
});

// ——— Through the app ———

describe("through the app", () => {
  /** The demo's policy, with two QA approvals and releases only for release managers or admins. */
  const policy = POLICY.replace(
    '- { name: QA, count: 1, teams: ["acme/qa"] }',
    '- { name: QA, count: 2, teams: ["acme/qa"] }',
  ).replace(
    'allowed: { teams: ["acme/release-managers"], permission: maintain }',
    'allowed: { teams: ["acme/release-managers"], permission: admin }',
  );
  let run: AppScenario;
  let pr: number;

  beforeAll(async () => {
    expect(policy).toContain("count: 2");
    expect(policy).toContain("permission: admin }");
    run = await openScenario({ policy });
    run.standIn.hub.addTeam("acme", "qa", [PEOPLE.qa, "quincy"]);
    const { repo } = run.demo;
    repo.grant("quincy", "write");
    const issue = repo.openIssue(PEOPLE.qa, { title: "Login crashes", labels: ["bug"] });
    await repo.push("hotfix/session", { "src/login.ts": "export {};\n" }, "Fix login", PEOPLE.dev, {
      from: "release/1.4",
    });
    pr = (
      await repo.openPull(PEOPLE.dev, {
        head: "hotfix/session",
        base: "release/1.4",
        title: "Fix login",
        body: `Fixes #${issue.number}`,
      })
    ).number;
    await settled(run);
    await repo.check(await repo.headOf("hotfix/session"), "build", "success");
    await settled(run);
  });

  afterAll(async () => {
    await run?.close();
  });

  const gateRun = () => {
    const runs = run.demo.repo.state.checkRuns.filter((r) => r.name === "Hotfix policy");
    if (runs.length !== 1) throw new Error(`${runs.length} Hotfix policy check runs`);
    return runs[0] as (typeof runs)[number];
  };

  it("the first of two QA approvals rewrites the `Hotfix policy` check run, though only its summary changes", async () => {
    const before = structuredClone(gateRun());
    expect(before.status).toBe("in_progress");
    expect(before.output.title).toMatch(/— waiting for QA approval, Operations approval$/);
    expect(before.output.summary).toContain("Waiting for 2 approvals from QA (acme/qa)");
    const from = mark(run);

    run.demo.repo.review(PEOPLE.qa, pr, "APPROVED");
    await settled(run);

    const updates = writesSince(run, from).filter(
      (r) => r.route === "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    );
    expect(updates.map((r) => r.method)).toEqual(["PATCH"]);
    const after = gateRun();
    expect(after.id).toBe(before.id);
    expect([after.status, after.output.title]).toEqual([before.status, before.output.title]);
    expect(after.output.summary).not.toBe(before.output.summary);
    expect(after.output.summary).toContain(
      "Waiting for 1 approval from QA (acme/qa); approved so far by @quinn",
    );

    // The same review delivered again changes nothing, so nothing is written.
    const again = mark(run);
    const review = run.sent.filter((e) => e.name === "pull_request_review").at(-1);
    if (!review) throw new Error("no pull_request_review webhook was sent");
    run.standIn.webhooks.send({ name: review.name, payload: structuredClone(review.payload) });
    await settled(run);
    expect(writesSince(run, again)).toEqual([]);
  });

  it("a command from a release manager is refused while the App may not read the team, and the reply names the team problem", async () => {
    const acme = new OrgHandle(run.standIn, "acme");
    acme.denyAppMembers();
    try {
      const from = mark(run);
      const command = await say(run, PEOPLE.releaser, pr, "/release-hotfix");
      expect(replies(run, pr)).toEqual([expect.stringMatching(/^@mia may not release here: /)]);
      expect(replies(run, pr)[0]).toContain(
        'The app may not read the members of acme/release-managers: grant it the organisation permission "Members: read"',
      );
      expect(reactionsTo(run, command)).toEqual(["confused"]);
      expect(writesSince(run, from).map((r) => `${r.method} ${r.route}`)).toEqual([
        "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      ]);
      expect(run.demo.repo.pull(pr).pull.merged).toBe(false);
    } finally {
      acme.denyAppMembers(false);
    }
  });
});
