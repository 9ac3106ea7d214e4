/**
 * The reads behind the `Ongoing work` requirement: the hotfix's own files, one page of the open
 * PRs to its base (one request), and the files of at most `conflicts.max_pulls` of them — each
 * list is paged by 100 and read conditionally, so an unchanged PR costs a 304 that GitHub does
 * not count. Read a few at a time: a busy base branch should not make the gate slow.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { isGitHubError } from "../github/errors.js";
import type { Policy } from "../policy/schema.js";
import { matchesAny } from "../policy/patterns.js";
import {
  changedPaths,
  chooseToCompare,
  type ChangedPaths,
  type OngoingWork,
  type OtherPull,
} from "./requirements/ongoing-work.js";

/** Files lists read at once. */
const AT_ONCE = 4;

export async function gatherOngoingWork(
  github: GitHubPort,
  pull: PullRequest,
  policy: Pick<Policy, "hotfix" | "conflicts">,
): Promise<OngoingWork | null> {
  if (policy.conflicts.on_overlap === "off") return null;
  const [ownFiles, listed] = await Promise.all([
    github.listPullFiles(pull.number),
    github.listOpenPullsTo(pull.base.ref),
  ]);
  const own = changedPaths(ownFiles);
  const { chosen, left } = chooseToCompare(listed.pulls, pull, policy);
  const base = {
    self: pull.number,
    base: pull.base.ref,
    own,
    notCompared: left,
    unlisted: listed.more,
  };
  // A hotfix too large to list, or with no file that counts, overlaps nothing we could name.
  if ("tooLarge" in own || own.paths.every((p) => matchesAny(p, policy.conflicts.ignore)))
    return { ...base, compared: [] };

  const compared: OngoingWork["compared"] = [];
  for (let i = 0; i < chosen.length; i += AT_ONCE) {
    const batch = chosen.slice(i, i + AT_ONCE);
    const read = await Promise.all(batch.map((other) => filesOf(github, other)));
    read.forEach((changed, j) => {
      if (changed) compared.push({ pull: batch[j] as OtherPull, changed });
    });
  }
  return { ...base, compared };
}

/** null when GitHub no longer answers for the PR (404): there is nothing to compare. */
async function filesOf(github: GitHubPort, other: OtherPull): Promise<ChangedPaths | null> {
  try {
    return changedPaths(await github.listPullFiles(other.number));
  } catch (error) {
    if (isGitHubError(error, 404)) return null;
    throw error;
  }
}
