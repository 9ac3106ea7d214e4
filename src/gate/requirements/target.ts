import type { PullRequest } from "../../github/model.js";
import type { Policy } from "../../policy/schema.js";
import { matchesAny } from "../../policy/patterns.js";
import { failed, met, type RequirementResult } from "../requirement.js";

export function targetAllowed(pull: PullRequest, policy: Policy): RequirementResult {
  const allowed = policy.hotfix.targets;
  const base = pull.base.ref;
  return matchesAny(base, allowed)
    ? met("target", "Base branch", `\`${base}\` is a hotfix target`)
    : failed(
        "target",
        "Base branch",
        `\`${base}\` is not a hotfix target (allowed: ${allowed.map((t) => `\`${t}\``).join(", ")}); change the PR's base branch`,
      );
}
