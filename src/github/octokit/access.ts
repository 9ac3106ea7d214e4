import type { Access, TeamAnswer } from "../port/access.js";
import type { RepoRef } from "../port.js";
import { isGitHubError } from "../errors.js";
import { permissionLevels, type Permission } from "../model.js";
import type { Octokit, Sender } from "./types.js";

/** Memoises per port, i.e. per webhook delivery: once per (team, user) and per user. */
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
  const teamVisible = memo(async (team: string): Promise<boolean> => {
    const [org, slug] = team.split("/") as [string, string];
    try {
      await send("GET /orgs/{org}/teams/{team_slug}", () =>
        octokit.rest.teams.getByName({ org, team_slug: slug }),
      );
      return true;
    } catch (error) {
      if (isGitHubError(error, 404) || isGitHubError(error, 403)) return false;
      throw error;
    }
  });
  const membership = memo(async (key: string): Promise<TeamAnswer> => {
    const [org, slug, login] = key.split("/") as [string, string, string];
    try {
      const { data } = await send("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", () =>
        octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login }),
      );
      return data.state === "active" ? "member" : "not-member";
    } catch (error) {
      if (isGitHubError(error, 403)) return "forbidden";
      if (isGitHubError(error, 404))
        return (await teamVisible(`${org}/${slug}`)) ? "not-member" : "team-not-visible";
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
  return {
    teamMembership: (org, slug, login) => membership(`${org}/${slug}/${login.toLowerCase()}`),
    permissionOf: (login) => permission(login.toLowerCase()),
  };
}
