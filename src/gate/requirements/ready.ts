import type { PullRequest } from "../../github/model.js";
import { met, waiting, type RequirementResult } from "../requirement.js";

/** A draft is work in progress: it cannot be released until it is marked ready for review. */
export function readyForReview(pull: PullRequest): RequirementResult {
  return pull.draft
    ? waiting("ready", "Ready for review", "the PR is a draft; mark it ready for review")
    : met("ready", "Ready for review", "not a draft");
}
