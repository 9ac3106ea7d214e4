/**
 * One tracking comment per PR, found again by its marker, edited in place, never duplicated:
 * if two runs raced and both created one, the oldest is kept and the others are deleted.
 */
import type { Issues, IssueComment } from "../github/port/issues.js";
import { isTrackingComment, parseTracking, renderTracking } from "./render.js";
import type { TrackingState } from "./state.js";
import { isGitHubError } from "../github/errors.js";

export interface Tracking {
  state: TrackingState;
  /** Applies a change and writes the comment if its text changed. */
  update(change: (state: TrackingState) => TrackingState): Promise<TrackingState>;
  url(): string | undefined;
}

/**
 * Two runs that both found no comment both create one. Each then keeps the oldest and deletes
 * the rest (a delete the other run already did is fine), so exactly one survives.
 */
async function adoptOldest(
  issues: Issues,
  pr: number,
  mine: IssueComment,
  body: string,
): Promise<IssueComment> {
  const ours = (await issues.listComments(pr))
    .filter((c) => c.author.isBot && isTrackingComment(c.body))
    .sort((a, b) => a.id - b.id);
  const oldest = ours[0];
  if (!oldest || oldest.id === mine.id) return mine;
  for (const duplicate of ours.slice(1)) await deleteQuietly(issues, duplicate.id);
  if (oldest.body !== body) await issues.updateComment(oldest.id, body);
  return oldest;
}

async function deleteQuietly(issues: Issues, id: number): Promise<void> {
  try {
    await issues.deleteComment(id);
  } catch (error) {
    if (!isGitHubError(error, 404)) throw error;
  }
}

export async function openTracking(issues: Issues, pr: number): Promise<Tracking> {
  const ours = (await issues.listComments(pr)).filter(
    (c) => c.author.isBot && isTrackingComment(c.body),
  );
  let comment: IssueComment | undefined = ours[0];
  for (const duplicate of ours.slice(1)) await deleteQuietly(issues, duplicate.id);
  let state = comment ? parseTracking(comment.body) : { stages: {}, facts: {} };
  let body = comment?.body;
  return {
    get state() {
      return state;
    },
    url: () => comment?.url,
    async update(change) {
      state = change(state);
      const next = renderTracking(state);
      if (next === body) return state;
      if (comment) await issues.updateComment(comment.id, next);
      else comment = await adoptOldest(issues, pr, await issues.createComment(pr, next), next);
      body = next;
      return state;
    },
  };
}
