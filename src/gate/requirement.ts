/**
 * What every gate requirement returns: its state and, always, the reason in a PR author's words.
 * `warning` is met as far as the release is concerned, but says something people should know
 * before releasing (other open PRs change the same files): it never holds the gate.
 */
export type RequirementState = "met" | "warning" | "waiting" | "failed";

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
export const warning = result("warning");
export const waiting = result("waiting");
export const failed = result("failed");
