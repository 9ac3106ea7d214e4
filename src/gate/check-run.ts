/**
 * Writes a check run only when what GitHub shows would change ("if the status did not change,
 * don't write"): a redelivered or repeated event costs no write.
 */
import type { CheckRun } from "../github/model.js";
import type { Checks } from "../github/port/checks.js";
import { outputDiffers, type CheckRunOutput } from "./render.js";

export type CheckWrite = "created" | "updated" | "unchanged";

/** Our latest run of that name on the commit (runs by other apps with the same name are not ours). */
export function ownRun(
  runs: readonly CheckRun[],
  name: string,
  ownAppId: number | null,
): CheckRun | undefined {
  return runs
    .filter((r) => r.name === name && (ownAppId === null || r.appId === ownAppId))
    .sort((a, b) => b.id - a.id)[0];
}

export async function publishCheckRun(
  checks: Checks,
  input: {
    sha: string;
    name: string;
    output: CheckRunOutput;
    current: CheckRun | undefined;
    annotations?: Array<{ path: string; line: number; message: string }>;
    /** A re-run asked for by a person writes a fresh run even when nothing changed. */
    force?: boolean;
  },
): Promise<CheckWrite> {
  const { current, output } = input;
  if (!input.force && !outputDiffers(current, output)) return "unchanged";
  const write = {
    name: input.name,
    ...output,
    ...(input.annotations ? { annotations: input.annotations } : {}),
  };
  // A completed run is not reopened: going back to "in progress" is a new run, as GitHub shows re-runs.
  if (
    current &&
    !input.force &&
    (current.status !== "completed" || output.status === "completed")
  ) {
    await checks.updateCheckRun(current.id, write);
    return "updated";
  }
  await checks.createCheckRun(input.sha, write);
  return "created";
}
