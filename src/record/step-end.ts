/**
 * Work that ends every step of a hotfix, after the step's own work and before the tracking
 * comment is written, by the one writer that holds the hotfix's lock: it sees the record as
 * the comment will show it and may add to what the comment stores. In the order registered:
 * the release's evidence is appended and time to restore observed (src/evidence/follow.ts),
 * then notifications are sent (src/notify/at-step-end.ts), once per happening.
 *
 * Registered by the entry points (`createApp`, the sweep CLI) — the record does not know who
 * listens, so it depends on none of them.
 */
import type { GitHubPort } from "../github/port.js";
import type { Integrations } from "../integrations/environment.js";
import type { Policy } from "../policy/schema.js";
import type { HotfixRecord, StoredRecord } from "./schema.js";

export interface StepEnd {
  github: GitHubPort;
  /** The record as it will be shown (the stored part as this step leaves it). */
  record: HotfixRecord;
  policy: Policy;
  /** `owner/repo`. */
  repository: string;
  now: () => Date;
  integrations: Integrations | undefined;
}

/**
 * Returns the stored record to write (or null: nothing to add). A failure of its own (a
 * receiver down, GitHub refusing an upload) is the hook's to handle: the next step tries again.
 */
export type StepEndHook = (end: StepEnd) => Promise<StoredRecord | null>;

const hooks: StepEndHook[] = [];

export function addStepEndHook(hook: StepEndHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

export async function endStep(end: StepEnd): Promise<StoredRecord | null> {
  let stored: StoredRecord | null = null;
  for (const hook of hooks) {
    const next = await hook(stored ? { ...end, record: { ...end.record, stored } } : end);
    if (next) stored = next;
  }
  return stored;
}
