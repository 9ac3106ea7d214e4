import type { Permission } from "../model.js";

export type TeamAnswer = "member" | "not-member" | "team-not-visible" | "forbidden";

export interface Access {
  /**
   * Whether a user is an active member of `org/slug` (an invitation is not membership), or why
   * that cannot be said: a team the app cannot see, or may not read. The adapter reads the
   * team's member list once per port (one webhook delivery), conditionally.
   */
  teamMembership(org: string, slug: string, login: string): Promise<TeamAnswer>;
  /** The user's permission on this repository ("none" for strangers), memoised likewise. */
  permissionOf(login: string): Promise<Permission | "none">;
  /**
   * Whether the user is a collaborator of this repository (directly, through a team or as an
   * owner): GitHub asks only collaborators for a review. On a public repository everyone has
   * read permission, so `permissionOf` cannot tell. true when GitHub will not say (403: the app
   * lacks the Members permission): then GitHub's answer to the review request decides. Memoised.
   */
  isCollaborator(login: string): Promise<boolean>;
}
