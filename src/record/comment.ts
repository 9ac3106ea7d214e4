/**
 * The tracking comment on GitHub: one per PR, found by its marker, edited in place. It is written
 * only by the holder of the hotfix's lock (`step.ts`), so writers never interleave; should two
 * comments exist anyway (two replicas without a shared lock, an older version of the app), the
 * oldest is kept and the others are deleted. Notices — comments that tell a person something
 * once (staging failed, waiting for /promote-hotfix) — carry a hidden key, so "already said" is
 * read from GitHub too.
 */
import type { IssueComment, Issues } from "../github/port/issues.js";
import { isGitHubError } from "../github/errors.js";
import { isTrackingComment } from "./render.js";

const NOTICE = /<!-- hotfix-bot:notice ([^\s>]+) -->/g;

export interface PrComments {
  /** The tracking comment (the oldest, when several exist), or null. */
  tracking: IssueComment | null;
  /** Other tracking comments, to be deleted. */
  duplicates: IssueComment[];
  /** Keys of the notices hotfix-bot posted. */
  notices: string[];
  /** Notice key → the comment's address. */
  noticeUrls: Record<string, string>;
}

/** Reads hotfix-bot's comments on a PR: the tracking comment and the notices. */
export function readComments(comments: readonly IssueComment[]): PrComments {
  const ours = comments.filter((c) => c.author.isBot);
  const tracking = ours.filter((c) => isTrackingComment(c.body)).sort((a, b) => a.id - b.id);
  const noticeUrls: Record<string, string> = {};
  for (const c of ours)
    for (const m of c.body.matchAll(NOTICE)) noticeUrls[m[1] as string] ??= c.url;
  return {
    tracking: tracking[0] ?? null,
    duplicates: tracking.slice(1),
    notices: Object.keys(noticeUrls),
    noticeUrls,
  };
}

/** A notice's body: the text, then the hidden key it is known by. */
export function noticeBody(key: string, text: string): string {
  return `${text}\n\n<!-- hotfix-bot:notice ${key} -->`;
}

/**
 * Writes `body` as the PR's tracking comment when it differs from what GitHub shows. Returns the
 * comment as it now stands.
 */
export async function writeTrackingComment(
  issues: Issues,
  pr: number,
  current: PrComments,
  body: string,
): Promise<IssueComment> {
  for (const duplicate of current.duplicates) await deleteQuietly(issues, duplicate.id);
  const existing = current.tracking;
  if (existing) {
    if (existing.body !== body) await issues.updateComment(existing.id, body);
    return { ...existing, body };
  }
  const mine = await issues.createComment(pr, body);
  // Without a shared lock two writers may both have created one: keep the oldest.
  const ours = readComments(await issues.listComments(pr));
  const oldest = ours.tracking;
  if (!oldest || oldest.id === mine.id) return mine;
  for (const duplicate of ours.duplicates) await deleteQuietly(issues, duplicate.id);
  if (oldest.body !== body) await issues.updateComment(oldest.id, body);
  return { ...oldest, body };
}

async function deleteQuietly(issues: Issues, id: number): Promise<void> {
  try {
    await issues.deleteComment(id);
  } catch (error) {
    if (!isGitHubError(error, 404)) throw error;
  }
}
