/**
 * Conflicts with ongoing work, as pure functions: which open PRs are compared, what a file list
 * says, the requirement in `warn` and `block`, and how a warning flows through the verdict, the
 * check run and the release's refusal without holding anything.
 */
import { describe, expect, it } from "@jest/globals";
import { hotfixRecord } from "../helpers/hotfix-record.js";
import {
  changedPaths,
  chooseToCompare,
  MAX_LISTED_FILES,
  ongoingWorkRequirement,
  workKind,
  type OngoingWork,
  type OtherPull,
} from "../../src/gate/requirements/ongoing-work.js";
import { evaluateGate, unmetRequirements, warnings } from "../../src/gate/evaluate.js";
import { renderVerdict } from "../../src/gate/render.js";
import { planRelease } from "../../src/release/plan.js";
import type { PolicyInput } from "../../src/policy/schema.js";
import { HEAD, policy, pull } from "./fixtures.js";

const open = (number: number, ref: string, extra: Parameters<typeof pull>[0] = {}) =>
  pull({
    number,
    title: `PR ${number}`,
    htmlUrl: `https://github.com/acme/api/pull/${number}`,
    author: { login: `author${number}`, isBot: false },
    head: { ref, sha: String(number).repeat(40).slice(0, 40), repoFullName: "acme/api" },
    ...extra,
  });

describe("what kind of work a PR is", () => {
  const hotfix = policy().hotfix;
  it.each([
    ["backport/12-to-release/1.4", "release/1.4", [], "backport"],
    // A backport branch aimed elsewhere, retargeted by hand: ordinary work on this base.
    ["backport/12-to-release/1.3", "release/1.4", [], "ordinary"],
    ["backport/notes", "release/1.4", [], "ordinary"],
    ["hotfix/cart", "release/1.4", [], "hotfix"],
    ["feature/cart", "release/1.4", ["hotfix"], "hotfix"],
    ["feature/cart", "release/1.4", [], "ordinary"],
  ])("head %s into %s, labels %j → %s", (ref, base, labels, kind) => {
    const p = open(3, ref, {
      labels,
      base: { ref: base, sha: "c".repeat(40), repoFullName: "acme/api" },
    });
    expect(workKind(p, hotfix)).toBe(kind);
  });
});

describe("which open PRs are compared", () => {
  // GitHub's order: most recently updated first.
  const listed = [
    open(20, "feature/a"),
    open(21, "backport/5-to-release/1.4"),
    open(7, "hotfix/cart"), // the hotfix itself
    open(22, "hotfix/tax"),
    open(23, "feature/b"),
    open(24, "hotfix/ship"),
  ];

  it("other hotfixes first, then ordinary PRs, then backports; most recently updated first within each; never itself", () => {
    const { chosen, left } = chooseToCompare(listed, { number: 7 }, policy());
    expect(chosen.map((p) => `${p.kind} #${p.number}`)).toEqual([
      "hotfix #22",
      "hotfix #24",
      "ordinary #20",
      "ordinary #23",
      "backport #21",
    ]);
    expect(left).toBe(0);
  });

  it("at most conflicts.max_pulls, the rest counted", () => {
    const { chosen, left } = chooseToCompare(
      listed,
      { number: 7 },
      policy({ conflicts: { max_pulls: 3 } }),
    );
    expect(chosen.map((p) => p.number)).toEqual([22, 24, 20]);
    expect(left).toBe(2);
  });
});

describe("a PR's changed paths", () => {
  it("renamed files count by both names; the list is sorted and without repeats", () => {
    expect(
      changedPaths([
        { filename: "src/b.ts", status: "modified" },
        { filename: "src/new.ts", status: "renamed", previousFilename: "src/old.ts" },
        { filename: "src/a.ts", status: "added" },
      ]),
    ).toEqual({ paths: ["src/a.ts", "src/b.ts", "src/new.ts", "src/old.ts"] });
  });

  it("at GitHub's 3,000-file limit the list may be cut: too large to compare", () => {
    const files = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ filename: `f${i}`, status: "added" }));
    expect(changedPaths(files(MAX_LISTED_FILES - 1))).toHaveProperty("paths");
    expect(changedPaths(files(MAX_LISTED_FILES))).toEqual({ tooLarge: true });
  });
});

const other = (number: number, kind: OtherPull["kind"]): OtherPull => ({
  number,
  title: `PR ${number}`,
  url: `https://github.com/acme/api/pull/${number}`,
  author: `author${number}`,
  kind,
});

function work(
  compared: Array<[OtherPull, string[] | "too large"]>,
  over: Partial<OngoingWork> = {},
): OngoingWork {
  return {
    self: 7,
    base: "release/1.4",
    own: { paths: ["src/cart.ts", "src/tax.ts"] },
    compared: compared.map(([p, paths]) => ({
      pull: p,
      changed: paths === "too large" ? { tooLarge: true } : { paths },
    })),
    notCompared: 0,
    unlisted: false,
    ...over,
  };
}

describe("the Ongoing work requirement", () => {
  const warn = policy();
  const block = policy({ conflicts: { on_overlap: "block" } });

  it("no open PR changes the hotfix's files: met, saying how many were compared", () => {
    const r = ongoingWorkRequirement(
      work([
        [other(20, "ordinary"), ["README.md"]],
        [other(21, "backport"), ["src/shipping.ts"]],
      ]),
      warn,
    );
    expect(r).toMatchObject({
      id: "conflicts",
      title: "Ongoing work",
      state: "met",
      reason:
        "none of the 2 other open PRs to `release/1.4` compared changes the files of this hotfix",
    });
  });

  it("overlaps with warn: a warning listing hotfixes, then ordinary PRs, then backports, with the files", () => {
    const r = ongoingWorkRequirement(
      work([
        [other(30, "backport"), ["src/cart.ts"]],
        [other(20, "ordinary"), ["src/tax.ts", "src/cart.ts", "README.md"]],
        [other(25, "hotfix"), ["src/cart.ts"]],
        [other(22, "ordinary"), ["docs/x.md"]],
      ]),
      warn,
    );
    expect(r?.state).toBe("warning");
    expect(r?.reason).toBe(
      "[#25](https://github.com/acme/api/pull/25), [#20](https://github.com/acme/api/pull/20) and [#30](https://github.com/acme/api/pull/30) change the same files in `release/1.4`: agree with their authors which goes first (a warning: it does not hold the release)",
    );
    expect(r?.details).toEqual([
      "[#25](https://github.com/acme/api/pull/25) (hotfix) PR 25 — @author25: `src/cart.ts`",
      "[#20](https://github.com/acme/api/pull/20) (PR) PR 20 — @author20: `src/cart.ts`, `src/tax.ts`",
      "[#30](https://github.com/acme/api/pull/30) (backport) PR 30 — @author30: `src/cart.ts`",
    ]);
  });

  it("overlaps with block: the gate waits for those PRs", () => {
    const r = ongoingWorkRequirement(work([[other(20, "ordinary"), ["src/cart.ts"]]]), block);
    expect(r).toMatchObject({
      state: "waiting",
      reason:
        "waiting for [#20](https://github.com/acme/api/pull/20): it changes the same files in `release/1.4`; the hotfix may be released once it is merged or closed, or no longer changes them (`conflicts.on_overlap: block`)",
    });
  });

  it("with block, two hotfixes changing the same files do not wait for each other: the later one waits", () => {
    // #7 was opened before hotfix #25: #25 does not hold it, #5 does.
    const later = ongoingWorkRequirement(work([[other(25, "hotfix"), ["src/cart.ts"]]]), block);
    expect(later).toMatchObject({
      state: "warning",
      reason:
        "[#25](https://github.com/acme/api/pull/25) changes the same files in `release/1.4`, but it is a hotfix opened after this one: it waits for this one to go first (a warning: it does not hold the release)",
    });
    const earlier = ongoingWorkRequirement(
      work([
        [other(25, "hotfix"), ["src/cart.ts"]],
        [other(5, "hotfix"), ["src/cart.ts"]],
      ]),
      block,
    );
    expect(earlier?.state).toBe("waiting");
    expect(earlier?.reason).toMatch(/^waiting for \[#5\]\([^)]*\): it changes the same files/);
    expect(earlier?.details?.map((d) => d.slice(0, 4))).toEqual(["[#5]", "[#25"]);
  });

  it("a long list of PRs is cut in the reason and in the details: and N more", () => {
    const many = Array.from(
      { length: 12 },
      (_, i) => [other(20 + i, "ordinary"), ["src/cart.ts"]] as [OtherPull, string[]],
    );
    const r = ongoingWorkRequirement(work(many), warn);
    expect(r?.reason).toMatch(/\[#29\]\([^)]*\) and 2 more change the same files/);
    expect(r?.reason).not.toContain("#30]");
    expect(r?.details).toHaveLength(11);
    expect(r?.details?.at(-1)).toBe("and 2 more PRs");
  });

  it("a long list of files is cut: and N more", () => {
    const paths = Array.from({ length: 17 }, (_, i) => `src/f${String(i).padStart(2, "0")}.ts`);
    const r = ongoingWorkRequirement(
      work([[other(20, "ordinary"), paths]], { own: { paths } }),
      warn,
    );
    expect(r?.details?.[0]).toBe(
      "[#20](https://github.com/acme/api/pull/20) (PR) PR 20 — @author20: `src/f00.ts`, `src/f01.ts`, `src/f02.ts`, `src/f03.ts`, `src/f04.ts` and 12 more files",
    );
  });

  it("a PR too large to list is reported, never counted as an overlap — not even with block", () => {
    const r = ongoingWorkRequirement(
      work([
        [other(40, "ordinary"), "too large"],
        [other(20, "ordinary"), ["README.md"]],
      ]),
      block,
    );
    expect(r).toMatchObject({
      state: "warning",
      reason:
        "cannot tell whether [#40](https://github.com/acme/api/pull/40) changes the same files: GitHub lists at most 3,000 files of a PR",
      details: [
        "[#40](https://github.com/acme/api/pull/40) (PR) changes 3,000 files or more: too large to compare",
      ],
    });
  });

  it("a hotfix too large to list cannot be compared: a warning", () => {
    const r = ongoingWorkRequirement(work([], { own: { tooLarge: true } }), block);
    expect(r).toMatchObject({
      state: "warning",
      reason:
        "this hotfix changes 3,000 files or more, more than GitHub lists, so it cannot be compared with other open PRs to `release/1.4`",
    });
  });

  it("says what was not compared: beyond max_pulls, beyond one page of open PRs", () => {
    const r = ongoingWorkRequirement(
      work([[other(20, "ordinary"), ["src/cart.ts"]]], { notCompared: 12, unlisted: true }),
      policy({ conflicts: { max_pulls: 30 } }),
    );
    expect(r?.details?.slice(1)).toEqual([
      "12 less recently updated open PRs were not compared (`conflicts.max_pulls`: 30)",
      "GitHub lists 100 open PRs at most: older ones to `release/1.4` were not seen",
    ]);
  });

  it("paths in conflicts.ignore never overlap", () => {
    const ignoring = policy({ conflicts: { ignore: ["src/tax.ts", "**/*.md"] } });
    const r = ongoingWorkRequirement(
      work([[other(20, "ordinary"), ["src/tax.ts", "README.md"]]]),
      ignoring,
    );
    expect(r?.state).toBe("met");
    const all = ongoingWorkRequirement(
      work([[other(20, "ordinary"), ["src/tax.ts"]]], { own: { paths: ["src/tax.ts"] } }),
      ignoring,
    );
    expect(all?.reason).toBe("every file this hotfix changes is in `conflicts.ignore`");
  });

  it("is left out when not looked at (conflicts.on_overlap: off)", () => {
    expect(ongoingWorkRequirement(null, warn)).toBeNull();
  });
});

describe("a warning holds nothing", () => {
  const gatePolicy = (input: PolicyInput = {}) => policy({ ...input });
  const facts = (ongoingWork: OngoingWork | null) => ({
    pull: pull(),
    stances: { stances: [], ignored: { author: false, writers: [], bots: [] }, unchecked: null },
    membership: { groupsOf: new Map(), problems: new Map() },
    checks: { headSha: HEAD, checkRuns: [], statuses: [], ownAppId: 1 },
    ongoingWork,
    schedule: null,
  });
  const overlapping = work([[other(20, "ordinary"), ["src/cart.ts"]]]);

  it("warn: the verdict stays a success, the check run completes green, the title names the warning", () => {
    const verdict = evaluateGate(facts(overlapping), gatePolicy());
    expect(verdict.state).toBe("success");
    expect(unmetRequirements(verdict)).toEqual([]);
    expect(warnings(verdict).map((r) => r.id)).toEqual(["conflicts"]);
    const output = renderVerdict(verdict, { policyFiles: ["x"], command: "/release-hotfix" });
    expect(output).toMatchObject({
      status: "completed",
      conclusion: "success",
      title:
        "4 of 4 requirements met — ready to release: comment /release-hotfix (⚠️ Ongoing work)",
    });
    expect(output.summary).toContain("| ⚠️ | Ongoing work | [#20]");
    expect(output.summary).toContain(
      "⚠️ is a warning: it does not hold the release, but read it before releasing.",
    );
  });

  it("block: the same overlap makes the gate wait", () => {
    const verdict = evaluateGate(
      facts(overlapping),
      gatePolicy({ conflicts: { on_overlap: "block" } }),
    );
    expect(verdict.state).toBe("waiting");
    expect(unmetRequirements(verdict).map((r) => r.id)).toEqual(["conflicts"]);
    expect(renderVerdict(verdict, { policyFiles: ["x"], command: "/r" })).toMatchObject({
      status: "in_progress",
      title: "3 of 4 requirements met — waiting for Ongoing work",
    });
  });

  it("/release-hotfix is not refused for a warning, and is refused for a block", () => {
    const plan = (verdict: ReturnType<typeof evaluateGate>) =>
      planRelease(
        {
          pull: pull(),
          record: hotfixRecord({ pr: 7, url: "u", title: "t", author: "dev" }),
          verdict,
          choice: {
            ok: true,
            version: "1.4.3",
            tag: "v1.4.3",
            previousTag: "v1.4.2",
            line: "1.4",
            reason: "next",
            alreadyTagged: false,
            tags: [],
          },
          policy: gatePolicy(),
          backports: { targets: [], unmatched: [] },
          hotfix: { ok: true },
        },
        "mia",
      );
    expect(plan(evaluateGate(facts(overlapping), gatePolicy())).kind).toBe("release");
    const refused = plan(
      evaluateGate(facts(overlapping), gatePolicy({ conflicts: { on_overlap: "block" } })),
    );
    expect(refused).toMatchObject({ kind: "refuse", reason: "gate unmet: conflicts" });
  });
});
