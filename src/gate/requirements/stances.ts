import type { PullRequest, Review } from "../../github/model.js";

export interface Stance {
  login: string;
  stance: "approved" | "approved-older-commit" | "changes-requested";
}

export interface Stances {
  /** Each eligible reviewer's standing review: the latest approval or request for changes. */
  stances: Stance[];
  /** Why some reviews do not count, for the explanation. */
  ignored: { author: boolean; bots: string[] };
}

const key = (login: string) => login.toLowerCase();

/**
 * The review that stands for each person, GitHub's way: the latest APPROVED, CHANGES_REQUESTED
 * or DISMISSED review wins; a later COMMENTED review changes nothing. The PR author and bots
 * never count. With `invalidateOnPush`, an approval given on an older commit is kept apart so
 * the reason can say why it does not count.
 */
export function reviewerStances(
  pull: PullRequest,
  reviews: readonly Review[],
  invalidateOnPush: boolean,
): Stances {
  const ordered = [...reviews].sort(
    (a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? "") || a.id - b.id,
  );
  const latest = new Map<string, Review>();
  let author = false;
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
  const stances: Stance[] = [];
  for (const review of latest.values()) {
    const login = review.reviewer.login;
    if (review.state === "CHANGES_REQUESTED") stances.push({ login, stance: "changes-requested" });
    else if (review.state === "APPROVED") {
      const stale =
        invalidateOnPush && review.commitId !== null && review.commitId !== pull.head.sha;
      stances.push({ login, stance: stale ? "approved-older-commit" : "approved" });
    }
  }
  return { stances, ignored: { author, bots: [...bots] } };
}

/** Reviewers whose group membership must be known: current approvers and those blocking. */
export function loginsToResolve(stances: Stances): string[] {
  return stances.stances.filter((s) => s.stance !== "approved-older-commit").map((s) => s.login);
}
