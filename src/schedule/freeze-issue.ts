/**
 * Pure: which lines an open freeze issue freezes. As Kubernetes' Prow does with its blocker
 * label, an issue freezes every line unless it names one: a line `branch: release/1.4` in its
 * body (several names or globs may follow, separated by commas; several such lines add up). A `branch:` line that cannot be read freezes every line — a freeze must never be lifted by
 * a typo — and the gate says so, so the issue's author can fix it.
 */
import { globProblem, matchesAny } from "../policy/patterns.js";

/** An open issue carrying a freeze label, as the gate reads it. */
export interface FreezeIssue {
  number: number;
  title: string;
  url: string;
  body: string;
}

export type FreezeScope =
  | { kind: "every-line" }
  | { kind: "branches"; branches: string[] }
  | { kind: "unreadable"; line: string; problem: string };

const BRANCH_LINE = /^[ \t]*branch:[ \t]*(.*?)[ \t]*$/gim;

export function freezeScope(issue: Pick<FreezeIssue, "body">): FreezeScope {
  const branches: string[] = [];
  for (const match of (issue.body ?? "").replace(/\r\n?/g, "\n").matchAll(BRANCH_LINE)) {
    const line = match[0].trim();
    const names = (match[1] ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
    if (names.length === 0) return { kind: "unreadable", line, problem: "it names no branch" };
    for (const name of names) {
      const clean = name.replace(/^`(.*)`$/, "$1");
      const problem = globProblem(clean, "branch");
      if (problem) return { kind: "unreadable", line, problem };
      branches.push(clean);
    }
  }
  return branches.length > 0 ? { kind: "branches", branches } : { kind: "every-line" };
}

/** Whether the issue freezes `base`; an unreadable scope freezes every line. */
export function freezes(scope: FreezeScope, base: string): boolean {
  return scope.kind !== "branches" || matchesAny(base, scope.branches);
}
