import { matchingPatterns } from "../policy/patterns.js";

/**
 * The branches a fix is carried to: `backport.branches` names and globs resolved against the
 * repository's branches, never the PR's own base, in the policy's order. A name that matches
 * no branch is reported, not silently dropped.
 */
export function backportTargets(
  patterns: readonly string[],
  branches: readonly string[],
  base: string,
): { targets: string[]; unmatched: string[] } {
  const targets: string[] = [];
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const hits = branches.filter((b) => matchingPatterns(b, [pattern]).length > 0).sort();
    if (hits.length === 0) unmatched.push(pattern);
    for (const hit of hits) if (hit !== base && !targets.includes(hit)) targets.push(hit);
  }
  return { targets, unmatched };
}
