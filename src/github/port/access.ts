import type { Permission } from "../model.js";

export type TeamAnswer = "member" | "not-member" | "team-not-visible" | "forbidden";

export interface Access {
  /**
   * Whether a user is an active member of `org/slug`. GitHub answers 404 both for a non-member
   * and for a team the app cannot see; the adapter tells them apart. Answers are memoised for
   * the life of the port (one webhook delivery).
   */
  teamMembership(org: string, slug: string, login: string): Promise<TeamAnswer>;
  /** The user's permission on this repository ("none" for strangers), memoised likewise. */
  permissionOf(login: string): Promise<Permission | "none">;
}
