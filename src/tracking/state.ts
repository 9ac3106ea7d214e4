/**
 * The lifecycle of one hotfix as the tracking comment shows it. The comment is display and a
 * hint (which tag this PR was released as); the truth is always re-read from GitHub (is the PR
 * merged, does the tag exist and where does it point, does the release exist).
 */
export type StageState = "pending" | "running" | "done" | "failed" | "skipped";

export interface Stage {
  state: StageState;
  /** What happened, in words: "merged as 1a2b3c4", "v1.4.3 on 1a2b3c4". */
  text: string;
  link?: string;
  /** ISO time of the last change. */
  at?: string;
}

export interface TrackingState {
  /** Stage id → stage. Ids: gate, merge, tag, release, backport:<branch>, deploy:<env>, monitor. */
  stages: Record<string, Stage>;
  /** Facts later stages need: the released version, tag and merge commit, who released. */
  facts: Record<string, string>;
}

export const emptyState = (): TrackingState => ({ stages: {}, facts: {} });

/** Display order: the lifecycle, then anything else in insertion order. */
const ORDER = [
  "gate",
  "merge",
  "tag",
  "release",
  "backport",
  "deploy",
  "deploy:staging",
  "deploy:production",
  "monitor",
  "rollback",
];

export function orderedStages(state: TrackingState): Array<[string, Stage]> {
  const rank = (id: string) => {
    const i = ORDER.findIndex((o) => id === o || id.startsWith(`${o}:`));
    return i < 0 ? ORDER.length : i;
  };
  return Object.entries(state.stages).sort(([a], [b]) => rank(a) - rank(b));
}

export function setStage(state: TrackingState, id: string, stage: Stage): TrackingState {
  // `at` is when the stage last changed: a repeated step that finds it as it was keeps it, so
  // the comment's text stays the same and a rerun or redelivery writes nothing.
  const current = state.stages[id];
  if (
    current &&
    current.state === stage.state &&
    current.text === stage.text &&
    current.link === stage.link
  ) {
    return state;
  }
  return { ...state, stages: { ...state.stages, [id]: stage } };
}

export function setFacts(state: TrackingState, facts: Record<string, string>): TrackingState {
  return { ...state, facts: { ...state.facts, ...facts } };
}
