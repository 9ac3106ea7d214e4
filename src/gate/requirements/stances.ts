import type { PullRequest, Review } from "../../github/model.js";
import { commitsNameWriters, ownAuthors, type Writers } from "./writers.js";

export interface Stance {
  login: string;
  /** `approved-unchecked`: given on a PR a bot opened whose commits could not be read. */
  stance: "approved" | "approved-older-commit" | "approved-unchecked" | "changes-requested";
}

export interface Stances {
  /** Each eligible reviewer's standing review: the latest approval or request for changes. */
  stances: Stance[];
  /**
   * Why some reviews do not count, for the explanation: the PR author's own approval, the
   * approvals of those who wrote commits of a PR a bot opened (`writers`), bots.
   */
  ignored: { author: boolean; writers: string[]; bots: string[] };
  /** Why no approval can be counted at all (the commits of a bot's PR unread); null: they can. */
  unchecked: string | null;
}

const key = (login: string) => login.toLowerCase();

/**
 * The review that stands for each person, GitHub's way: the latest APPROVED, CHANGES_REQUESTED
 * or DISMISSED review wins; a later COMMENTED review changes nothing. The PR author and bots
 * never count; nor do the approvals of the people who wrote the commits of a PR a bot opened
 * (`writers.ts`) — their requests for changes still block — and when those people are unknown
 * no approval counts. With `invalidateOnPush`, an approval given
 * on an older commit is kept apart so the reason can say why it does not count.
 */
export function reviewerStances(
  pull: PullRequest,
  reviews: readonly Review[],
  invalidateOnPush: boolean,
  writers: Writers,
): Stances {
  const ordered = [...reviews].sort(
    (a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? "") || a.id - b.id,
  );
  const latest = new Map<string, Review>();
  let author = false;
  const authors = ownAuthors(pull, writers);
  const ownApprovals: string[] = [];
  const bots = new Set<string>();
  for (const review of ordered) {
    if (!["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(review.state)) continue;
    if (key(review.reviewer.login) === key(pull.author.login)) {
      author ||= review.state === "APPROVED";
      continue;
    }
    if (review.reviewer.isBot) {
      bots.add(review.reviewer.login);
      continue;
    }
    latest.set(key(review.reviewer.login), review);
  }
  const unchecked = commitsNameWriters(pull) && "unreadable" in writers ? writers.unreadable : null;
  const stances: Stance[] = [];
  for (const review of latest.values()) {
    const login = review.reviewer.login;
    if (review.state === "CHANGES_REQUESTED") stances.push({ login, stance: "changes-requested" });
    // A writer's request for changes still blocks; only their approval is their own.
    else if (review.state === "APPROVED" && authors.has(key(login))) ownApprovals.push(login);
    else if (review.state === "APPROVED") {
      const stale =
        invalidateOnPush && review.commitId !== null && review.commitId !== pull.head.sha;
      stances.push({
        login,
        stance: stale ? "approved-older-commit" : unchecked ? "approved-unchecked" : "approved",
      });
    }
  }
  return {
    stances,
    ignored: { author, writers: ownApprovals, bots: [...bots] },
    unchecked,
  };
}

/** Reviewers whose group membership must be known: current approvers and those blocking. */
export function loginsToResolve(stances: Stances): string[] {
  return stances.stances
    .filter((s) => s.stance === "approved" || s.stance === "changes-requested")
    .map((s) => s.login);
}
