import type { PullRequest } from "../../github/model.js";
import type { Policy } from "../../policy/schema.js";
import { failed, met, type RequirementResult } from "../requirement.js";

export function noBlockingLabels(pull: PullRequest, policy: Policy): RequirementResult {
  const blocking = policy.hotfix.blocking_labels;
  const present = pull.labels.filter((l) =>
    blocking.some((b) => b.toLowerCase() === l.toLowerCase()),
  );
  if (present.length === 0) return met("blocking-labels", "Blocking labels", "no blocking label");
  const names = present.map((l) => `\`${l}\``).join(", ");
  return failed(
    "blocking-labels",
    "Blocking labels",
    `${names} ${present.length === 1 ? "blocks" : "block"} the release; remove ${present.length === 1 ? "it" : "them"} when the hotfix may ship`,
  );
}
