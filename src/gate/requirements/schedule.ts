import type { ScheduleDecision } from "../../schedule/decide.js";
import { met, waiting, type RequirementResult } from "../requirement.js";

export const SCHEDULE_REQUIREMENT = "schedule";

/**
 * The release schedule as a row of the gate: waiting (never failed — the hotfix is fine, it is
 * only not the time) while a freeze holds or no window is open, with when it opens. No row when
 * the policy has no `schedule:` to speak of.
 */
export function releaseScheduleAllows(decision: ScheduleDecision | null): RequirementResult | null {
  if (!decision) return null;
  const title = "Release schedule";
  return decision.open
    ? met(SCHEDULE_REQUIREMENT, title, decision.reason)
    : waiting(SCHEDULE_REQUIREMENT, title, decision.reason);
}
