/**
 * Pure: who wrote a PR, for the rule "your own approval doesn't count". A person who opens a PR
 * is its author, and that is enough. A PR a bot opened — `/start-hotfix`'s, which hotfix-bot
 * opens when the developer first pushes — was written by the GitHub users who authored or
 * committed its commits: they count as its authors too. GitHub matches those users by email
 * (REST's top-level `author` / `committer`); a commit it matched to no one names no one.
 */
import type { PullRequest } from "../../github/model.js";
import type { CommitInfo } from "../../github/port/git.js";

export type Writers =
  /** The people besides the PR's author whose own approval doesn't count (none for a person's PR). */
  | { logins: string[] }
  /** The commits of a PR a bot opened could not be read: no approval can be checked. */
  | { unreadable: string };

export const AUTHOR_ONLY: Writers = { logins: [] };

/** GitHub's committer of commits made on github.com (web edits, merges of the base): no one. */
const WEB_FLOW = "web-flow";

/** GitHub lists at most this many commits of a PR: beyond it, who wrote the rest is unknown. */
export const LISTED_COMMITS = 250;

/** Whether the PR's commits must be read: only when a bot opened it. */
export function commitsNameWriters(pull: PullRequest): boolean {
  return pull.author.isBot;
}

/** The people of a bot-opened PR's commits: authors and committers, never bots or web-flow. */
export function writersOf(commits: readonly CommitInfo[]): Writers {
  if (commits.length >= LISTED_COMMITS)
    return {
      unreadable: `GitHub lists only the first ${LISTED_COMMITS} commits of a PR, so who wrote the rest is unknown`,
    };
  const found = new Map<string, string>();
  for (const commit of commits)
    for (const user of [commit.authorUser, commit.committerUser]) {
      if (!user || user.isBot || user.login.toLowerCase() === WEB_FLOW) continue;
      if (!found.has(user.login.toLowerCase())) found.set(user.login.toLowerCase(), user.login);
    }
  return { logins: [...found.values()] };
}

/** Why the commits could not be read, in words for the approval groups' reason. */
export function unreadableCommits(status: number, message: string): Writers {
  return {
    unreadable: `GitHub did not list this PR's commits (${status}: ${message})`,
  };
}

/** Everyone whose own approval doesn't count (lower-cased): the author, and for a bot's PR its writers. */
export function ownAuthors(pull: PullRequest, writers: Writers): Set<string> {
  const logins = [pull.author.login];
  if (commitsNameWriters(pull) && "logins" in writers) logins.push(...writers.logins);
  return new Set(logins.map((l) => l.toLowerCase()));
}
