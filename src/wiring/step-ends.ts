/**
 * What ends every step of a hotfix, in this order (src/record/step-end.ts): the release's
 * evidence is appended and time to restore observed, then the notifications the step made due
 * are sent — so a notification sees the record as the comment will show it. Registered by each
 * entry that runs steps (`createApp`, the sweep CLI); registering twice adds nothing.
 */
import { addStepEndHook } from "../record/step-end.js";
import { followReleaseAtStepEnd } from "../evidence/follow.js";
import { notifyAtStepEnd } from "../notify/at-step-end.js";

export function registerStepEnds(): void {
  addStepEndHook(followReleaseAtStepEnd);
  addStepEndHook(notifyAtStepEnd);
}
