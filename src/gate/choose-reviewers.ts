/**
 * Pure: whom to ask for a review while an approval group is missing — policy-bot's
 * `request_review`, without the random pick: every team and user the group names. Never the PR
 * author (nor, on a PR a bot opened, who wrote its commits), a bot, someone already asked (GitHub keeps them as requested until they review), or
 * someone who reviewed this head commit (asking again is noise; their review is there to read).
 * Only teams of the repository's organisation can be asked (GitHub takes a slug, not an org).
 */
import type { PullRequest, Review } from "../github/model.js";
import type { Policy } from "../policy/schema.js";
import type { RequirementResult } from "./requirement.js";
import { ownAuthors, type Writers } from "./requirements/writers.js";

export interface ReviewRequest {
  /** Logins to ask. */
  users: string[];
  /** Slugs of teams of the repository's organisation to ask. */
  teams: string[];
  /** Why a team or group named by the policy is not asked, for the log line. */
  notes: string[];
}

const NOBODY: ReviewRequest = { users: [], teams: [], notes: [] };

export function chooseReviewers(input: {
  policy: Pick<Policy, "approvals">;
  requirements: readonly RequirementResult[];
  pull: PullRequest;
  reviews: readonly Review[];
  /** Who wrote the PR besides its author (`requirements/writers.ts`): their approval can't count. */
  writers: Writers;
  /** The repository's owner: the organisation whose teams can be asked. */
  org: string;
}): ReviewRequest {
  const { policy, pull } = input;
  if (!policy.approvals.request_reviews || pull.draft || pull.state !== "open") return NOBODY;
  const lower = (s: string) => s.toLowerCase();
  const waiting = new Set(input.requirements.filter((r) => r.state === "waiting").map((r) => r.id));
  const reviewedHead = new Set(
    input.reviews
      .filter((r) => r.commitId === pull.head.sha && r.state !== "PENDING")
      .map((r) => lower(r.reviewer.login)),
  );
  const authors = ownAuthors(pull, input.writers);
  const askedUsers = new Set((pull.requestedReviewers ?? []).map(lower));
  const askedTeams = new Set((pull.requestedTeams ?? []).map(lower));
  const users = new Map<string, string>();
  const teams = new Map<string, string>();
  const notes: string[] = [];
  for (const group of policy.approvals.groups) {
    if (!waiting.has(`approval:${group.name}`)) continue;
    for (const team of group.teams) {
      const [org = "", slug = ""] = team.split("/");
      if (lower(org) !== lower(input.org)) {
        notes.push(
          `${group.name}: team ${team} is not a team of ${input.org}, and GitHub asks only the repository's own teams`,
        );
      } else if (!askedTeams.has(lower(slug))) teams.set(lower(slug), slug);
    }
    for (const login of group.users) {
      const key = lower(login);
      if (authors.has(key) || key.endsWith("[bot]")) continue;
      if (askedUsers.has(key) || reviewedHead.has(key)) continue;
      users.set(key, login);
    }
    if (group.teams.length === 0 && group.users.length === 0)
      notes.push(`${group.name}: the group names no team or user to ask (only a permission)`);
  }
  const sorted = (m: Map<string, string>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { users: sorted(users), teams: sorted(teams), notes };
}
