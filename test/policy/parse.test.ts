import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import {
  formatProblem,
  parseLayer,
  validateLayers,
  type PolicyProblem,
} from "../../src/policy/parse.js";

const FILE = "acme/api:.github/hotfix.yml";

function problemsOf(text: string, size?: number): PolicyProblem[] {
  const layer = parseLayer(text, FILE, size);
  if (!layer.ok) return layer.problems;
  const result = validateLayers([layer.value]);
  return result.ok ? [] : result.problems;
}

function policyOf(text: string) {
  const layer = parseLayer(text, FILE);
  if (!layer.ok) throw new Error(layer.problems.map(formatProblem).join("\n"));
  const result = validateLayers([layer.value]);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.value;
}

describe("policy parsing", () => {
  it("accepts the README's example policy", () => {
    const policy = policyOf(readFileSync("examples/hotfix.yml", "utf8"));
    expect(policy.approvals.groups.map((g) => g.name)).toEqual(["QA", "Operations"]);
    expect(policy.approvals.groups[1]).toEqual({
      name: "Operations",
      count: 1,
      teams: ["acme/ops"],
      users: ["alice"],
      permission: "admin",
    });
    expect(policy.checks.required).toEqual(["build", { name: "test (*)", app: "github-actions" }]);
    expect(policy.conflicts).toEqual({
      on_overlap: "warn",
      max_pulls: 30,
      ignore: ["CHANGELOG.md"],
    });
    expect(policy.approvals.request_reviews).toBe(true);
  });

  it("reads on_overlap: off as the word off (YAML 1.2), not as false", () => {
    expect(policyOf("conflicts:\n  on_overlap: off\n").conflicts.on_overlap).toBe("off");
  });

  it("fills every default for an empty file", () => {
    const policy = policyOf("");
    expect(policy.hotfix).toEqual({
      branches: ["hotfix/*"],
      labels: ["hotfix"],
      targets: ["main", "release/*"],
      require_linked_issue: false,
      blocking_labels: ["do-not-release"],
    });
    expect(policy.release.allowed).toEqual({ teams: [], users: [], permission: "maintain" });
    expect(policy.release.merge_method).toBe("squash");
    expect(policy.release.merge_queue).toBe("queue");
    expect(policy.release.unreadable_rules).toBe("wait");
    expect(policy.concurrency).toBe("parallel");
    expect(policy.backport).toEqual({
      when: "released",
      branches: [],
      on_conflict: "draft",
      reviewers: [],
      signed: false,
    });
  });

  it.each([
    [
      "invalid YAML",
      "release:\n  draft: true\n merge_method: x\n",
      { line: 3, message: /invalid YAML: All mapping items must start at the same column/ },
    ],
    [
      "a duplicate key",
      "release:\n  draft: true\n  draft: false\n",
      { line: 3, message: /invalid YAML.*(duplicate|unique)/i },
    ],
    ["a top-level list", "- a\n- b\n", { line: 1, message: /must be a mapping/ }],
    [
      "an unknown key, with a suggestion",
      "hotfix:\n  labels: [hotfix]\n  brnaches: [x]\n",
      {
        path: "hotfix.brnaches",
        line: 3,
        message: 'unknown key "brnaches"; did you mean "branches"?',
      },
    ],
    [
      "an unknown section, with a suggestion",
      "aprovals:\n  groups: []\n",
      { path: "aprovals", line: 1, message: /did you mean "approvals"/ },
    ],
    [
      "an unknown key far from any known one lists the known keys",
      "checks:\n  zzz: 1\n",
      { path: "checks.zzz", line: 2, message: /known keys here: required/ },
    ],
    [
      "a wrong type",
      "approvals:\n  groups:\n    - name: QA\n      count: two\n      users: [bob]\n",
      { path: "approvals.groups[0].count", line: 4, message: 'expected number, got string "two"' },
    ],
    [
      "a number that is not whole",
      "approvals:\n  groups:\n    - { name: QA, count: 1.5, users: [bob] }\n",
      { path: "approvals.groups[0].count", line: 3, message: /whole number/ },
    ],
    [
      "an enum typo",
      "release:\n  merge_method: sqaush\n",
      {
        path: "release.merge_method",
        line: 2,
        message: /expected one of "squash".*did you mean "squash"/,
      },
    ],
    [
      "a misspelt concurrency, with a suggestion",
      "release:\n  draft: false\nconcurrency: one-per-line\n",
      {
        path: "concurrency",
        line: 3,
        message:
          'expected one of "parallel", "one_per_line", got string "one-per-line"; did you mean "one_per_line"?',
      },
    ],
    [
      "an invalid glob",
      "hotfix:\n  branches: ['hotfix/{a,b']\n",
      { path: "hotfix.branches[0]", line: 2, message: /unclosed/ },
    ],
    [
      "a branch glob with a space",
      "backport:\n  branches: ['release 1.4']\n",
      { path: "backport.branches[0]", line: 2, message: /cannot match a branch/ },
    ],
    [
      "a tag template without {version}",
      "release:\n  tag: 'v-latest'\n",
      { path: "release.tag", line: 2, message: /\{version\}/ },
    ],
    [
      "a group nobody can satisfy",
      "approvals:\n  groups:\n    - name: QA\n",
      {
        path: "approvals.groups[0]",
        line: 3,
        message: /at least one of teams, users or permission/,
      },
    ],
    [
      "a team without organisation",
      "approvals:\n  groups:\n    - { name: QA, teams: [qa] }\n",
      { path: "approvals.groups[0].teams[0]", line: 3, message: /org\/team-slug/ },
    ],
    [
      "a key with no value",
      "release:\n  tag:\n",
      { path: "release.tag", line: 2, message: /expected string, got null/ },
    ],
    [
      "a misspelt key in a { name, app } check, with a suggestion",
      "checks:\n  required:\n    - build\n    - { name: test, app: github-actions, ap: x }\n",
      { path: "checks.required[1].ap", line: 4, message: 'unknown key "ap"; did you mean "app"?' },
    ],
    [
      "a required check that is neither a name nor a mapping",
      "checks:\n  required:\n    - 3\n",
      { path: "checks.required[0]", line: 3, message: "expected string or object, got number 3" },
    ],
    [
      "an app that is not a slug",
      "checks:\n  required:\n    - { name: build, app: GitHub Actions }\n",
      { path: "checks.required[0].app", line: 3, message: /an app is named by its slug/ },
    ],
    [
      "a conflicts mode typo",
      "conflicts:\n  on_overlap: blok\n",
      {
        path: "conflicts.on_overlap",
        line: 2,
        message: /expected one of "off", "warn", "block".*did you mean "block"/,
      },
    ],
    [
      "conflicts.on_overlap written as a YAML 1.1 boolean (quote it)",
      "conflicts:\n  on_overlap: false\n",
      { path: "conflicts.on_overlap", line: 2, message: /expected one of "off", "warn", "block"/ },
    ],
    [
      "max_pulls beyond one page of open PRs",
      "conflicts:\n  max_pulls: 500\n",
      { path: "conflicts.max_pulls", line: 2, message: /at most 100 \(one page of open PRs\)/ },
    ],
    [
      "an empty path to ignore",
      "conflicts:\n  ignore: ['']\n",
      { path: "conflicts.ignore[0]", line: 2, message: /cannot be empty/ },
    ],
    [
      "request_reviews that is not a boolean",
      "approvals:\n  request_reviews: sometimes\n",
      { path: "approvals.request_reviews", line: 2, message: /expected boolean/ },
    ],
  ])("reports %s with the key path and line", (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    const [problem] = problems as [PolicyProblem];
    expect(problem.file).toBe(FILE);
    if ("path" in expected) expect(problem.path).toBe(expected.path);
    expect(problem.line).toBe(expected.line);
    if (typeof expected.message === "string") expect(problem.message).toBe(expected.message);
    else expect(problem.message).toMatch(expected.message);
  });

  it("refuses a file over 64 KiB before parsing it", () => {
    const big = `# ${"x".repeat(70 * 1024)}\n`;
    const [problem] = problemsOf(big);
    expect(problem?.message).toMatch(/at most 65536 bytes/);
  });

  it("refuses a YAML alias bomb instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const [problem] = problemsOf(levels.join("\n"));
    expect(problem?.message).toMatch(/alias/i);
  });

  it("reports every problem at once, not one per run", () => {
    const problems = problemsOf(
      "release:\n  draft: maybe\n  merge_method: fast\nhotfix:\n  labls: []\n",
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      "hotfix.labls",
      "release.draft",
      "release.merge_method",
    ]);
  });

  it("formats problems the way compilers do", () => {
    expect(formatProblem({ file: FILE, path: "release.tag", line: 7, message: "bad" })).toBe(
      `${FILE}:7: release.tag: bad`,
    );
    expect(formatProblem({ file: FILE, path: "", message: "bad" })).toBe(`${FILE}: bad`);
  });
});
