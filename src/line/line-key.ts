import type { RepoRef } from "../github/model.js";
import { lineKey } from "../lock/hotfix-lock.js";
import type { Policy } from "../policy/schema.js";
import { releaseLineOf } from "../versions/tag-template.js";

/**
 * The lock of the line a target branch belongs to: its release line (`1.4.x`, whichever branch
 * template names it), or the branch itself when it is not a release line.
 */
export function lineLockKey(repo: RepoRef, base: string, policy: Policy): string {
  return lineKey(repo, releaseLineOf(base, policy.release.lines)?.label ?? base);
}
