import type { Finding } from "../../rules/foresee.js";
import type { RequirementResult } from "../requirement.js";

/**
 * GitHub's own rules on the base branch as rows of the gate (see src/rules/foresee.ts): what
 * GitHub would refuse is shown before the command, each with what to do.
 */
export function branchRuleRequirements(findings: readonly Finding[] | null): RequirementResult[] {
  return (findings ?? []).map((f) => ({
    id: f.id,
    title: f.title,
    state: f.state,
    reason: f.state === "met" || !f.fix ? f.reason : `${f.reason} To do: ${f.fix}`,
    ...(f.details?.length ? { details: f.details } : {}),
  }));
}
