import type { Access, TeamAnswer } from "../port/access.js";
import type { RepoRef } from "../port.js";
import { isGitHubError } from "../errors.js";
import { permissionLevels, type Permission } from "../model.js";
import type { Octokit, Sender } from "./types.js";

/** Memoises per port, i.e. per webhook delivery: once per team and per user. */
function memo<T>(compute: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = compute(key);
      cache.set(key, hit);
    }
    return hit;
  };
}

export function accessAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Access {
  // A team's active members, one list per team (pages of 100), read conditionally: unchanged,
  // it costs no quota, and any change — someone joining or leaving — is seen on the next read.
  // (The per-person membership route answers 404 for a non-member, which cannot be revalidated:
  // every re-evaluation would pay for every reviewer who is in some other group.) Invitations
  // are not listed: only an active member counts.
  const members = memo(async (team: string): Promise<Set<string> | TeamAnswer> => {
    const [org, slug] = team.split("/") as [string, string];
    try {
      const list = await send("GET /orgs/{org}/teams/{team_slug}/members", () =>
        octokit.paginate(octokit.rest.teams.listMembersInOrg, {
          org,
          team_slug: slug,
          per_page: 100,
        }),
      );
      return new Set(list.map((u) => u.login.toLowerCase()));
    } catch (error) {
      if (isGitHubError(error, 403)) return "forbidden";
      if (isGitHubError(error, 404)) return "team-not-visible";
      throw error;
    }
  });
  const permission = memo(async (login: string): Promise<Permission | "none"> => {
    try {
      const { data } = await send(
        "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
        () => octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login }),
      );
      // role_name carries triage and maintain; `permission` folds them into read and write.
      const role = (data as { role_name?: string }).role_name;
      if (role && (permissionLevels as readonly string[]).includes(role)) return role as Permission;
      return (permissionLevels as readonly string[]).includes(data.permission)
        ? (data.permission as Permission)
        : "none";
    } catch (error) {
      if (isGitHubError(error, 404)) return "none";
      throw error;
    }
  });
  // 204 or 404: an answer GitHub gives no ETag for, so it is asked only when needed (the first
  // evaluation of a head commit, for the logins a policy names).
  const collaborator = memo(async (login: string): Promise<boolean> => {
    try {
      await send("GET /repos/{owner}/{repo}/collaborators/{username}", () =>
        octokit.rest.repos.checkCollaborator({ ...repo, username: login }),
      );
      return true;
    } catch (error) {
      if (isGitHubError(error, 404)) return false;
      // Without the Members permission GitHub may not say: ask, and let GitHub's answer decide.
      if (isGitHubError(error, 403)) return true;
      throw error;
    }
  });
  return {
    isCollaborator: (login) => collaborator(login.toLowerCase()),
    teamMembership: async (org, slug, login) => {
      const listed = await members(`${org}/${slug}`.toLowerCase());
      if (typeof listed === "string") return listed;
      return listed.has(login.toLowerCase()) ? "member" : "not-member";
    },
    permissionOf: (login) => permission(login.toLowerCase()),
  };
}
