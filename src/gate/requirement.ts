/** What every gate requirement returns: its state and, always, the reason in a PR author's words. */
export type RequirementState = "met" | "waiting" | "failed";

export interface RequirementResult {
  /** Stable id, e.g. `target`, `checks`, `approval:QA`. */
  id: string;
  /** Row label in the check run, e.g. "QA approval". */
  title: string;
  state: RequirementState;
  reason: string;
  /** Extra lines (failing check names with links, …). */
  details?: string[];
  /** For an approval group: who counted for it (release notes name them). */
  approvedBy?: string[];
}

const result =
  (state: RequirementState) =>
  (id: string, title: string, reason: string, details?: string[]): RequirementResult => ({
    id,
    title,
    state,
    reason,
    ...(details?.length ? { details } : {}),
  });

export const met = result("met");
export const waiting = result("waiting");
export const failed = result("failed");
