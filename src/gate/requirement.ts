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

export const met = (
  id: string,
  title: string,
  reason: string,
  details?: string[],
): RequirementResult => ({
  id,
  title,
  state: "met",
  reason,
  ...(details?.length ? { details } : {}),
});
export const waiting = (
  id: string,
  title: string,
  reason: string,
  details?: string[],
): RequirementResult => ({
  id,
  title,
  state: "waiting",
  reason,
  ...(details?.length ? { details } : {}),
});
export const failed = (
  id: string,
  title: string,
  reason: string,
  details?: string[],
): RequirementResult => ({
  id,
  title,
  state: "failed",
  reason,
  ...(details?.length ? { details } : {}),
});
