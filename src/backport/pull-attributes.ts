/**
 * A PR hotfix-bot opens (a backport, a revert) gets labels, assignees, reviewers and a link to
 * the PR it comes from. Each attribute is made sure of on its own, against what GitHub shows
 * now: a run that crashed right after opening the PR — before any of them — leaves a PR the
 * next run completes, whatever else it finds. Adding is all it does: a label or assignee a
 * person added stays, and someone who already reviewed is not asked again.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/model.js";
import { isGitHubError } from "../github/errors.js";

export interface WantedAttributes {
  labels: readonly string[];
  assignees: readonly string[];
  reviewers: readonly string[];
  /** Text the body must contain (the link to the original PR); appended when missing. */
  bodyLink: string;
}

export interface AttributesResult {
  /** What it had to add, e.g. ["labels", "reviewers"] ([] when all was there). */
  added: string[];
  /** What GitHub refused, in words (a reviewer who is not a collaborator). */
  problems: string[];
}

export async function ensurePullAttributes(
  github: GitHubPort,
  pull: PullRequest,
  wanted: WantedAttributes,
  options: { justOpened?: boolean } = {},
): Promise<AttributesResult> {
  const added: string[] = [];
  const problems: string[] = [];
  const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));

  const hasLabels = lower(pull.labels);
  const labels = wanted.labels.filter((l) => !hasLabels.has(l.toLowerCase()));
  const hasAssignees = lower(pull.assignees ?? []);
  const assignees = wanted.assignees.filter((a) => !hasAssignees.has(a.toLowerCase()));
  if (labels.length && assignees.length) {
    // Both missing (a PR opened a moment ago): one request sets both.
    await github.updateIssue(pull.number, {
      labels: [...pull.labels, ...labels],
      assignees: [...(pull.assignees ?? []), ...assignees],
    });
    added.push("labels", "assignees");
  } else if (labels.length) {
    await github.addLabels(pull.number, labels);
    added.push("labels");
  } else if (assignees.length) {
    await github.updateIssue(pull.number, { assignees: [...(pull.assignees ?? []), ...assignees] });
    added.push("assignees");
  }

  const asked = lower([...(pull.requestedReviewers ?? []), pull.author.login]);
  let reviewers = wanted.reviewers.filter((r) => !asked.has(r.toLowerCase()));
  if (reviewers.length && !options.justOpened) {
    // Someone who reviewed is no longer "requested": do not ask them again.
    const reviewed = lower((await github.listReviews(pull.number)).map((r) => r.reviewer.login));
    reviewers = reviewers.filter((r) => !reviewed.has(r.toLowerCase()));
  }
  if (reviewers.length) {
    try {
      await github.requestReviewers(pull.number, reviewers);
      added.push("reviewers");
    } catch (error) {
      // 422: someone who cannot review here (not a collaborator, or the author). The PR stands.
      if (!isGitHubError(error, 422)) throw error;
      problems.push(
        `GitHub refused to request a review from ${reviewers.map((r) => `@${r}`).join(", ")}: ${error.message} (policy \`backport.reviewers\`)`,
      );
    }
  }

  if (wanted.bodyLink && !pull.body.includes(wanted.bodyLink)) {
    await github.updatePullBody(pull.number, `${pull.body}\n\n${wanted.bodyLink}`.trim());
    added.push("body");
  }
  return { added, problems };
}
