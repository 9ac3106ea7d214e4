/** Pure: every requirement of the policy applied to the facts of one PR at one head commit. */
import type { PullRequest } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import type { RequirementResult } from "./requirement.js";
import { targetAllowed } from "./requirements/target.js";
import { readyForReview } from "./requirements/ready.js";
import { linkedIssuePresent } from "./requirements/linked-issue.js";
import { noBlockingLabels } from "./requirements/blocking-labels.js";
import { requiredChecksPassed, type ChecksFacts } from "./requirements/checks.js";
import { approvalsGiven } from "./requirements/approvals.js";
import type { Membership } from "../access/membership.js";
import type { Stances } from "./requirements/stances.js";
import { releaseLineFree } from "./requirements/release-line.js";
import type { LineSnapshot } from "../line/snapshot.js";
import { releaseScheduleAllows } from "./requirements/schedule.js";
import type { ScheduleDecision } from "../schedule/decide.js";
import { ongoingWorkRequirement, type OngoingWork } from "./requirements/ongoing-work.js";
import { branchRuleRequirements } from "./requirements/branch-rules.js";
import type { Finding } from "../rules/foresee.js";

export interface GateFacts {
  pull: PullRequest;
  stances: Stances;
  membership: Membership;
  checks: ChecksFacts;
  /** The PR's release line, when the policy releases one hotfix at a time per line. */
  line?: LineSnapshot | null;
  /** The release schedule at evaluation time; null when the policy has none. */
  schedule: ScheduleDecision | null;
  /** Other open PRs to the same base and their files; null when not looked at. */
  ongoingWork: OngoingWork | null;
  /** What GitHub's rules on the base branch will do to the merge; null or absent: not read. */
  branchRules?: Finding[] | null;
}

export type GateState = "success" | "waiting" | "failure";

export interface GateVerdict {
  state: GateState;
  headSha: string;
  requirements: RequirementResult[];
  /** The schedule as judged (null or absent: the policy has none), for the release's queue. */
  schedule?: ScheduleDecision | null;
}

export function evaluateGate(facts: GateFacts, policy: Policy): GateVerdict {
  const requirements = [
    targetAllowed(facts.pull, policy),
    readyForReview(facts.pull),
    linkedIssuePresent(facts.pull, policy),
    noBlockingLabels(facts.pull, policy),
    requiredChecksPassed(facts.checks, policy),
    ...approvalsGiven(facts.stances, facts.membership, policy),
    releaseLineFree(facts.pull, facts.line ?? null),
    releaseScheduleAllows(facts.schedule),
    ongoingWorkRequirement(facts.ongoingWork, policy),
    ...branchRuleRequirements(facts.branchRules ?? null),
  ].filter((r): r is RequirementResult => r !== null);
  const state: GateState = requirements.some((r) => r.state === "failed")
    ? "failure"
    : requirements.every(holdsNothing)
      ? "success"
      : "waiting";
  return { state, headSha: facts.pull.head.sha, requirements, schedule: facts.schedule };
}

/** A met requirement, or one met with a warning: neither holds the release. */
export function holdsNothing(r: RequirementResult): boolean {
  return r.state === "met" || r.state === "warning";
}

/** What is still missing, in one line, for replies such as a refused `/release-hotfix`. */
export function unmetRequirements(verdict: GateVerdict): RequirementResult[] {
  return verdict.requirements.filter((r) => !holdsNothing(r));
}

/** What people should know before releasing, though it holds nothing. */
export function warnings(verdict: GateVerdict): RequirementResult[] {
  return verdict.requirements.filter((r) => r.state === "warning");
}
