/** One line of the tracking comment: a stage of the lifecycle and where it stands. */
export type StageState = "pending" | "running" | "done" | "failed" | "skipped";

export interface Stage {
  state: StageState;
  /** What happened, in words: "merged as 1a2b3c4", "v1.4.3 on 1a2b3c4". */
  text: string;
  link?: string;
  /** When it last changed, from GitHub's times. */
  at?: string;
}
