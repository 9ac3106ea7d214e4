/**
 * A merged hotfix on the GitHub stand-in, for the backport and revert tests: real bare git
 * repository, real PRs, labels, reviewers and comments (`sandbox/stand-in/`), people with
 * repository permissions, and the app's port (the real Octokit adapter) pointed at it. The
 * hotfix PR is opened by a developer, labelled and merged through the hub, as on GitHub; the
 * release hotfix-bot made of it (the method it merged with, the tag, the GitHub Release) is
 * recorded the way the release step records it.
 *
 *   B0 ─┬─ main:        + NOTES.md
 *       ├─ release/1.3: line 5 changed (the fix will conflict there)
 *       └─ release/1.4: ← hotfix/login (line 5 fixed), squash-merged as M
 */
import { createInProcessLocks } from "../../src/lock/in-process-lock.js";
import { unpaced } from "../../src/backport/pace-writes.js";
import type { CarryContext } from "../../src/backport/carry.js";
import type { PullRequest } from "../../src/github/model.js";
import { policySchema } from "../../src/policy/schema.js";
import { stepHotfix } from "../../src/record/step.js";
import type { Hub } from "../../sandbox/stand-in/hub.js";
import type { RepoState } from "../../sandbox/stand-in/model.js";
import { RepoHandle } from "../../sandbox/stand-in/people.js";
import type { RecordedRequest } from "../../sandbox/stand-in/server.js";
import { numbered, OWNER, REPO, startFixture, type Fixture } from "./git-fixture.js";

export const PEOPLE = {
  /** Writes the hotfix: the backport PRs are assigned to them. */
  dev: "dev",
  /** `backport.reviewers`. */
  captain: "release-captain",
  /** Merges hotfixes; may release (maintain permission). */
  releaser: "mia",
  /** Read access only: may not start backports. */
  stranger: "sam",
} as const;

/** "Close pull request" without merging, as GitHub does it: `pull_request.closed`, not merged. */
export function closePull(hub: Hub, repo: RepoState, number: number, by: string): void {
  hub.closePull(repo, number, by);
}

export interface Scenario {
  fx: Fixture;
  repo: RepoHandle;
  /** The hotfix PR. */
  pr: number;
  /** Its merge commit on release/1.4 (the squash commit by default). */
  merge: string;
  /** Heads of the targets before any backport. */
  heads: { main: string; r13: string };
  /** A use-case context over the stand-in; `backport` overrides the policy's section. */
  ctx(backport?: Record<string, unknown>): CarryContext;
  /** The hotfix PR as the app reads it. */
  pull(): Promise<PullRequest>;
  /** The PR as the stand-in holds it (labels, assignees, requested reviewers, body). */
  held(number: number): ReturnType<RepoHandle["pull"]>;
  /** Numbers of the PRs from `head` (any state). */
  pullsFrom(head: string): number[];
  /** Comments on `number`, oldest first. */
  comments(number: number): string[];
  /** The tracking comment's text, or null. */
  tracking(): string | null;
  /** Requests since `mark()` / writes among them. */
  mark(): void;
  requests(): RecordedRequest[];
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

export interface ScenarioOptions {
  /**
   * `released` (default): hotfix-bot merged it, tagged v1.4.3 and published the release, as its
   * release step records. `by-hand`: a person merged it; hotfix-bot never released it.
   */
  merged?: "released" | "by-hand";
  /** How it was merged (default squash). */
  method?: "squash" | "merge";
  /** The hotfix's commits: 1 (line 5 fixed, default) or 2 (then line 8 too). */
  commits?: 1 | 2;
}

export async function startScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const fx = await startFixture();
  try {
    return await seed(fx, options);
  } catch (error) {
    await fx.close();
    throw error;
  }
}

async function seed(fx: Fixture, options: ScenarioOptions): Promise<Scenario> {
  const { hub } = fx.standIn;
  hub.addUser(PEOPLE.dev, { name: "Dev", email: "dev@example.com" });
  const repo = new RepoHandle(fx.standIn, OWNER, REPO);
  repo.grant(PEOPLE.dev, "write");
  repo.grant(PEOPLE.captain, "write");
  repo.grant(PEOPLE.releaser, "maintain");
  repo.grant(PEOPLE.stranger, "read");

  const who = PEOPLE.releaser;
  const b0 = await repo.push(
    "main",
    { "app.txt": numbered(10), "conf.txt": "x\n" },
    "Initial",
    who,
  );
  await repo.branch("release/1.3", b0, who);
  await repo.branch("release/1.4", b0, who);
  const r13 = await repo.push(
    "release/1.3",
    { "app.txt": numbered(10, { 5: "line 5 as 1.3 has it" }) },
    "1.3 tweak",
    who,
  );
  const main = await repo.push("main", { "NOTES.md": "notes\n" }, "Add notes", who);
  await repo.push(
    "hotfix/login",
    { "app.txt": numbered(10, { 5: "line 5 fixed" }) },
    "Fix login crash",
    PEOPLE.dev,
    { from: "release/1.4" },
  );
  if (options.commits === 2) {
    await repo.push(
      "hotfix/login",
      { "app.txt": numbered(10, { 5: "line 5 fixed", 8: "line 8 checked" }) },
      "Check line 8 too",
      PEOPLE.dev,
    );
  }
  const opened = await repo.openPull(PEOPLE.dev, {
    head: "hotfix/login",
    base: "release/1.4",
    title: "Fix login crash",
    body: "Fixes #12",
  });
  const pr = opened.number;
  repo.addLabels(PEOPLE.dev, pr, ["hotfix", "bug", "backport release/1.3"]);
  const method = options.method ?? "squash";
  const { sha: merge } = await hub.mergePull(repo.state, pr, { method }, who);

  const scenario: Scenario = {
    fx,
    repo,
    pr,
    merge,
    heads: { main, r13 },
    ctx: (backport = {}) => ({
      github: fx.github,
      policy: policySchema.parse({
        backport: {
          branches: ["main", "release/1.3"],
          reviewers: [PEOPLE.captain],
          ...backport,
        },
      }),
      locks: createInProcessLocks(),
      ownAppId: null,
      pacer: unpaced,
      now: () => new Date(),
    }),
    pull: async () => {
      const pull = await fx.github.getPull(pr);
      if (!pull) throw new Error(`no PR #${pr}`);
      return pull;
    },
    held: (number) => repo.pull(number),
    pullsFrom: (head) =>
      [...repo.state.issues.values()].filter((i) => i.pull?.headRef === head).map((i) => i.number),
    comments: (number) =>
      [...repo.state.comments.values()]
        .filter((c) => c.issue === number)
        .sort((a, b) => a.id - b.id)
        .map((c) => c.body),
    tracking: () =>
      scenario.comments(pr).find((b) => b.startsWith("<!-- hotfix-bot:tracking -->")) ?? null,
    mark: () => fx.mark(),
    requests: () => fx.requestsSinceMark(),
    writes: () => fx.requestsSinceMark().filter((r) => r.method !== "GET"),
    close: () => fx.close(),
  };

  if ((options.merged ?? "released") === "released") {
    // What the release step leaves: the tag and the release on GitHub, and in the record the
    // request and how hotfix-bot merged (GitHub does not say).
    await fx.github.createAnnotatedTag({ name: "v1.4.3", message: "v1.4.3", commitSha: merge });
    await fx.github.createRelease({
      tagName: "v1.4.3",
      targetSha: merge,
      name: "v1.4.3",
      body: "Fix login crash",
      draft: false,
      makeLatest: false,
    });
    await stepHotfix(scenario.ctx(), pr, async (step) => {
      step.store((s) => ({
        ...s,
        release: {
          by: PEOPLE.releaser,
          at: "2026-11-26T12:00:00.000Z",
          headSha: opened.pull.headSha,
          method,
          tag: "v1.4.3",
        },
      }));
    });
  }
  return scenario;
}

/** `- [x] ✅ **Backport to `main`** — …`: the tracking comment's line of one target. */
export function backportLine(tracking: string | null, target: string): string | undefined {
  return (tracking ?? "").split("\n").find((l) => l.includes(`**Backport to \`${target}\`**`));
}

/** Method and route of each request, e.g. `POST /repos/{owner}/{repo}/git/commits`. */
export function routesOf(requests: readonly RecordedRequest[]): string[] {
  return requests.map(
    (r) => `${r.method} ${(r.route ?? r.path).replace("/repos/{owner}/{repo}", "")}`,
  );
}
