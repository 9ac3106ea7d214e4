import type { CheckRun, CommitStatus } from "../model.js";

export interface CheckRunWrite {
  name: string;
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  annotations?: Array<{ path: string; line: number; message: string }>;
}

export interface Checks {
  /** The latest check run of each name and app on a commit (all pages). */
  listCheckRuns(sha: string): Promise<CheckRun[]>;
  /** The latest commit status of each context on a commit (all pages). */
  listStatuses(sha: string): Promise<CommitStatus[]>;
  createCheckRun(sha: string, run: CheckRunWrite): Promise<CheckRun>;
  updateCheckRun(id: number, run: CheckRunWrite): Promise<void>;
}
