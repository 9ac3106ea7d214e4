/**
 * Asks the missing approvers for a review — once per head commit: when the gate evaluates a head
 * for the first time (no `Hotfix policy` run of ours on it yet), or when a draft has just been
 * marked ready. Decided from what GitHub shows, not from a memory of our own: a redelivered
 * event finds the run and asks nobody; a new push asks again whoever is still missing. GitHub
 * refuses the whole request (422) for one login or team it will not ask, so a user who is no
 * collaborator and a team the app cannot see are left out first (one read per user; the team's
 * member list the gate reads anyway); what GitHub still refuses is reported in the delivery's
 * log line, and never fails the gate.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest, Review } from "../github/model.js";
import { GitHubError } from "../github/errors.js";
import type { Policy } from "../policy/schema.js";
import type { RequirementResult } from "./requirement.js";
import { chooseReviewers } from "./choose-reviewers.js";
import type { Writers } from "./requirements/writers.js";

export async function requestMissingReviews(
  github: GitHubPort,
  input: {
    pull: PullRequest;
    requirements: readonly RequirementResult[];
    reviews: readonly Review[];
    writers: Writers;
    policy: Pick<Policy, "approvals">;
  },
): Promise<string | null> {
  const chosen = chooseReviewers({ ...input, org: github.repo.owner });
  const strangers: string[] = [];
  const users: string[] = [];
  for (const login of chosen.users) {
    if (!(await github.isCollaborator(login))) strangers.push(login);
    else users.push(login);
  }
  const notes = [
    ...chosen.notes,
    ...(strangers.length
      ? [
          `${strangers.map((l) => `@${l}`).join(", ")} not asked: no access to ${github.repo.owner}/${github.repo.repo}`,
        ]
      : []),
  ];
  const noted = notes.length ? ` (${notes.join("; ")})` : "";
  if (users.length === 0 && chosen.teams.length === 0)
    return notes.length ? `nobody to ask${noted}` : null;
  const asked = [
    ...chosen.teams.map((t) => `@${github.repo.owner}/${t}`),
    ...users.map((l) => `@${l}`),
  ].join(", ");
  try {
    await github.requestReviewers(input.pull.number, users, chosen.teams);
  } catch (error) {
    // A team without access to the repository, a user GitHub will not ask: the gate stands.
    if (!(error instanceof GitHubError)) throw error;
    return `GitHub refused to ask ${asked} for a review (${error.status}: ${error.message})${noted}`;
  }
  return `asked ${asked} for a review${noted}`;
}
