/**
 * What a lifecycle left behind on the stand-in, in a form two runs can be compared by (no
 * shas or times, which differ from run to run): refs, tags and what they point at, releases,
 * PRs, tracking comments, deployments. `lifecycleProblems` says, in words, where a run's end
 * state differs from what the lifecycle must produce.
 */
import { isTrackingComment } from "../src/record/render.js";
import type { Demo } from "./demo-repo.js";
import { PEOPLE } from "./demo-repo.js";
import { HOTFIX_BRANCH, ONGOING_BRANCH } from "./lifecycle.js";
import type { StandIn } from "./stand-in/server.js";

export interface EndState {
  branches: string[];
  /** Tag → the subject of the commit it points at. */
  tags: Record<string, string>;
  releases: Array<{ tag: string; draft: boolean; latest: boolean }>;
  /** By head and base; numbers are left out (they depend on the order PRs were opened in). */
  pulls: Array<{
    hotfix: boolean;
    head: string;
    base: string;
    state: string;
    merged: boolean;
    draft: boolean;
    labels: string[];
    /** Subjects of the PR's commits. */
    commits: string[];
  }>;
  /** PR number → how many tracking comments the bot keeps there. */
  trackingComments: Record<number, number>;
  /** PR number → tracking stages as `id: state`. */
  stages: Record<number, string[]>;
  deployments: Array<{ ref: string; environment: string; states: string[] }>;
  /** The hotfix's merge commit: subject and files. */
  merge: { subject: string; files: string[] } | null;
  /** The last `Hotfix policy` run on the hotfix's head; PR numbers left out of its rows. */
  gate: { conclusion: string | null; title: string; ongoingWork: string } | null;
  /** Whom the bot asked to review the hotfix (users and org/team), each once. */
  reviewersAsked: string[];
}

export async function endState(demo: Demo, hotfixPr: number): Promise<EndState> {
  const { repo } = demo;
  const git = repo.git;
  const subject = async (rev: string) =>
    ((await git.readCommit((await git.resolveCommit(rev)) ?? ""))?.message ?? "").split("\n")[0] ??
    "";
  const branches = (await git.listRefs("refs/heads/"))
    .map((r) => r.ref.slice("refs/heads/".length))
    .sort();
  const tags: Record<string, string> = {};
  for (const ref of await git.listRefs("refs/tags/")) {
    tags[ref.ref.slice("refs/tags/".length)] = await subject(ref.ref);
  }
  const pulls = [];
  const trackingComments: Record<number, number> = {};
  const stages: Record<number, string[]> = {};
  for (const issue of [...repo.state.issues.values()].sort((a, b) => a.number - b.number)) {
    const ours = [...repo.state.comments.values()].filter(
      (c) =>
        c.issue === issue.number && c.user === repo.hub.botLogin() && isTrackingComment(c.body),
    );
    if (ours.length > 0) {
      trackingComments[issue.number] = ours.length;
      stages[issue.number] = readStages(ours[0]?.body ?? "")
        .map(({ id, state }) => `${id}: ${state}`)
        .sort();
    }
    const pull = issue.pull;
    if (!pull) continue;
    const shas = await git.revList(["--reverse", `${pull.baseSha}..${pull.headSha}`]);
    const commits = [];
    for (const sha of shas) commits.push(await subject(sha));
    pulls.push({
      hotfix: issue.number === hotfixPr,
      head: pull.headRef,
      base: pull.baseRef,
      state: issue.state,
      merged: pull.merged,
      draft: pull.draft,
      labels: [...issue.labels].sort(),
      commits,
    });
  }
  const hotfix = repo.state.issues.get(hotfixPr)?.pull;
  let merge: EndState["merge"] = null;
  if (hotfix?.mergeCommitSha) {
    const commit = await git.readCommit(hotfix.mergeCommitSha);
    const files = await git.changedFiles(commit?.parents[0] ?? null, hotfix.mergeCommitSha);
    merge = {
      subject: (commit?.message ?? "").split("\n")[0] ?? "",
      files: files.map((f) => f.path).sort(),
    };
  }
  const gateRun = repo.state.checkRuns
    .filter((r) => r.name === "Hotfix policy" && r.headSha === hotfix?.headSha)
    .at(-1);
  const gate = gateRun
    ? {
        conclusion: gateRun.conclusion,
        title: gateRun.output.title ?? "",
        ongoingWork: (
          (gateRun.output.summary ?? "").split("\n").find((l) => l.includes("| Ongoing work |")) ??
          ""
        ).replace(/#\d+|\/pull\/\d+/g, "#N"),
      }
    : null;
  const bot = repo.hub.botLogin();
  const reviewersAsked = [
    ...new Set(
      repo.hub.journal
        .filter((e) => e.actor === bot)
        .flatMap(
          (e) =>
            new RegExp(`^asked (.+) to review #${hotfixPr}$`).exec(e.text)?.[1]?.split(", ") ?? [],
        ),
    ),
  ].sort();
  return {
    gate,
    reviewersAsked,
    branches,
    tags,
    releases: repo.state.releases
      .map((r) => ({
        tag: r.tagName,
        draft: r.draft,
        latest: repo.state.latestRelease === r.tagName,
      }))
      .sort((a, b) => a.tag.localeCompare(b.tag)),
    pulls: pulls.sort((a, b) => `${a.head} ${a.base}`.localeCompare(`${b.head} ${b.base}`)),
    trackingComments,
    stages,
    deployments: repo.state.deployments
      .map((d) => ({
        ref: d.ref,
        environment: d.environment,
        states: d.statuses.map((s) => s.state),
      }))
      .sort((a, b) => `${a.environment} ${a.ref}`.localeCompare(`${b.environment} ${b.ref}`)),
    merge,
  };
}

const STATES: Record<string, string> = {
  "⬜": "pending",
  "⏳": "running",
  "✅": "done",
  "❌": "failed",
  "➖": "skipped",
};
const IDS: Record<string, string> = {
  "Final check": "gate",
  Merged: "merge",
  Tagged: "tag",
  Released: "release",
  Deploy: "deploy",
  Monitoring: "monitor",
  Rollback: "rollback",
};

/** The stages a tracking comment shows, read back from its lines: `- [x] ✅ **Merged** — …`. */
export function readStages(body: string): Array<{ id: string; state: string }> {
  const stages = [];
  for (const match of body.matchAll(/^- \[[ x]\] (\S+) \*\*(.+?)\*\* — /gmu)) {
    const [, icon = "", title = ""] = match;
    const backport = /^Backport to `(.+)`$/.exec(title)?.[1];
    const deploy = /^Deploy to (.+)$/.exec(title)?.[1];
    const id =
      IDS[title] ??
      (backport !== undefined ? `backport:${backport}` : deploy ? `deploy:${deploy}` : title);
    stages.push({ id, state: STATES[icon] ?? icon });
  }
  return stages;
}

/** How the end state differs from what the lifecycle must produce; [] when it is right. */
export function lifecycleProblems(
  state: EndState,
  hotfixPr: number,
  /** The hotfix's branch: `/start-hotfix` names it after the issue. */
  hotfixBranch: string = HOTFIX_BRANCH,
): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const hotfix = state.pulls.find((p) => p.hotfix);
  expect(hotfix?.merged === true, `PR #${hotfixPr} is merged`);
  expect(
    JSON.stringify(Object.keys(state.tags).sort()) ===
      JSON.stringify(["v1.3.0", "v1.3.1", "v1.4.0", "v1.4.1", "v1.4.2", "v1.4.3", "v2.0.0"]),
    `exactly one new tag, v1.4.3 (tags: ${Object.keys(state.tags).join(", ")})`,
  );
  expect(
    state.tags["v1.4.3"] === state.merge?.subject,
    `v1.4.3 points at the hotfix's merge commit ("${state.tags["v1.4.3"]}" vs "${state.merge?.subject}")`,
  );
  expect(
    JSON.stringify(state.releases) ===
      JSON.stringify([{ tag: "v1.4.3", draft: false, latest: false }]),
    `one release, v1.4.3, published, not Latest (v2.0.0 is higher): ${JSON.stringify(state.releases)}`,
  );
  const backports = state.pulls.filter((p) => p.head.startsWith("backport/"));
  const toMain = backports.filter((p) => p.base === "main");
  const to13 = backports.filter((p) => p.base === "release/1.3");
  expect(
    backports.length === 2,
    `one backport PR per target (${backports.map((p) => `${p.head}→${p.base}`).join(", ")})`,
  );
  expect(
    toMain.length === 1 && toMain[0]?.draft === false && toMain[0].state === "open",
    "a clean backport PR to main",
  );
  expect(
    to13.length === 1 && to13[0]?.draft === true && to13[0].labels.includes("backport-conflict"),
    "a draft backport PR to release/1.3 with the conflict label",
  );
  expect(
    toMain[0]?.commits.length === 1 && to13[0]?.commits.length === 1,
    `each backport PR carries one commit (${toMain[0]?.commits.length}, ${to13[0]?.commits.length})`,
  );
  expect(
    !state.branches.some((b) => b.startsWith("hotfix-bot/")),
    `no temporary branches left (${state.branches.filter((b) => b.startsWith("hotfix-bot/")).join(", ")})`,
  );
  expect(
    JSON.stringify(state.branches) ===
      JSON.stringify(
        [
          `backport/${hotfixPr}-to-main`,
          `backport/${hotfixPr}-to-release/1.3`,
          hotfixBranch,
          ONGOING_BRANCH,
          "main",
          "release/1.3",
          "release/1.4",
        ].sort(),
      ),
    `branches: ${state.branches.join(", ")}`,
  );
  expect(
    state.trackingComments[hotfixPr] === 1,
    `one tracking comment on #${hotfixPr} (${state.trackingComments[hotfixPr] ?? 0})`,
  );
  expect(
    state.reviewersAsked.includes("@acme/qa") && state.reviewersAsked.includes("@acme/ops"),
    `the bot asked QA's and Operations' teams to review (asked: ${state.reviewersAsked.join(", ") || "nobody"})`,
  );
  expect(
    state.gate?.conclusion === "success" && / \(⚠️ Ongoing work\)$/.test(state.gate.title),
    `the gate is green with a warning about ongoing work (${state.gate?.conclusion}: ${state.gate?.title})`,
  );
  expect(
    /^\| ⚠️ \| Ongoing work \|.*Log sessions on sign-in — @rita: `src\/login\.ts`/.test(
      state.gate?.ongoingWork ?? "",
    ),
    `the warning names the ordinary PR changing src/login.ts (${state.gate?.ongoingWork})`,
  );
  const stages = state.stages[hotfixPr] ?? [];
  for (const wanted of [
    "gate: done",
    "merge: done",
    "tag: done",
    "release: done",
    "backport:main: done",
    "backport:release/1.3: pending",
    "deploy:staging: done",
    "deploy:production: done",
  ]) {
    expect(stages.includes(wanted), `tracking comment shows "${wanted}" (${stages.join("; ")})`);
  }
  const deployed = (env: string) =>
    state.deployments.filter((d) => d.environment === env && d.ref === "v1.4.3");
  expect(
    deployed("staging").length === 1 && deployed("staging")[0]?.states.at(-1) === "success",
    `one staging deployment of v1.4.3, succeeded (${JSON.stringify(deployed("staging"))})`,
  );
  expect(
    deployed("production").length === 1 && deployed("production")[0]?.states.at(-1) === "success",
    `one production deployment of v1.4.3, succeeded (${JSON.stringify(deployed("production"))})`,
  );
  return problems;
}

/** Problems on the stand-in's side and in the deliveries: unimplemented routes, OpenAPI violations, 5xx. */
export function runProblems(standIn: StandIn): string[] {
  const failed = standIn.webhooks.deliveries
    .filter((d) => d.status === 0 || d.status >= 500)
    .map(
      (d) =>
        `delivery ${d.event}.${d.action ?? ""} answered ${d.status || d.error}${d.answer ? `: ${d.answer}` : ""}`,
    );
  return [...standIn.problems(), ...failed];
}

export { PEOPLE };
