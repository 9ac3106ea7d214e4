/**
 * Several hotfixes of one release line on the demo repository (`release/1.4`, where v1.4.0…v1.4.2
 * exist): each from its own branch, changing its own file, built green and approved by QA and
 * Operations — so each could be released on its own — and readers for what the line ended with.
 */
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { settle } from "../../sandbox/app-host.js";
import type { AppScenario } from "../deploy/deploy-scenario.js";

/** The app (one, or replicas behind one host) on the stand-in with the demo repository. */
export type LineWorld = Pick<AppScenario, "standIn" | "app" | "demo">;

/** The demo policy without backports (they add nothing to a line's story) and, with `extra`, more keys. */
export function linePolicy(options: { deploy?: boolean; extra?: string } = {}): string {
  const withoutDeploy = POLICY.slice(0, POLICY.indexOf("\ndeploy:\n") + 1);
  const policy = (options.deploy === false ? withoutDeploy : POLICY).replace(
    "backport:\n  when: released\n",
    "backport:\n  when: never\n",
  );
  if (policy === POLICY) throw new Error("the demo policy's backport section changed");
  return `${policy}${options.extra ?? ""}`;
}

/** A green, approved hotfix PR to `release/1.4` changing `file`. Returns its number. */
export async function approvedHotfix(run: LineWorld, name: string, file: string): Promise<number> {
  const repo = run.demo.repo;
  const issue = repo.openIssue(PEOPLE.qa, { title: `${name} is broken`, labels: ["bug"] }).number;
  const head = await repo.push(
    `hotfix/${name}`,
    { [file]: `${name}\n` },
    `Fix ${name}`,
    PEOPLE.dev,
    { from: "release/1.4" },
  );
  const pr = (
    await repo.openPull(PEOPLE.dev, {
      head: `hotfix/${name}`,
      base: "release/1.4",
      title: `Fix ${name}`,
      body: `Fixes #${issue}.`,
    })
  ).number;
  await repo.check(head, "build", "success");
  repo.review(PEOPLE.qa, pr, "APPROVED");
  repo.review(PEOPLE.ops, pr, "APPROVED");
  await settle(run.standIn, run.app, 30_000);
  return pr;
}

/** The commit a tag points at, or null. */
export const tagCommit = (run: LineWorld, tag: string) =>
  run.demo.repo.git.resolveCommit(`refs/tags/${tag}`);

/** The 1.4.x tags, sorted. */
export async function lineTags(run: LineWorld): Promise<string[]> {
  return (await run.demo.repo.git.listRefs("refs/tags/v1.4."))
    .map((r) => r.ref.slice("refs/tags/".length))
    .sort();
}

/** Whether commit `a` is an ancestor of (or equal to) commit `b`. */
export async function isAncestor(run: LineWorld, a: string, b: string): Promise<boolean> {
  const result = await run.demo.repo.git.git(["merge-base", "--is-ancestor", a, b], {
    okCodes: [0, 1],
  });
  return result.code === 0;
}

/** The `Hotfix policy` check run on a PR's head as GitHub shows it now (the newest). */
export function gateOf(run: LineWorld, pr: number) {
  const head = run.demo.repo.pull(pr).pull.headSha;
  const runs = run.demo.repo.state.checkRuns.filter(
    (r) => r.name === "Hotfix policy" && r.headSha === head,
  );
  return runs[runs.length - 1] ?? null;
}
