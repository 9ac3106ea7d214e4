/**
 * Who is who: a user's permission on a repository (`permission` folds triage into read and
 * maintain into write; `role_name` keeps them, as GitHub does), teams by slug, and team
 * memberships — `"state": "pending"` for someone invited who has not accepted, 404 for a
 * non-member and for a team the App cannot see (the same answer, as on GitHub), and 403
 * "Resource not accessible by integration" for both routes in an organisation that denies the
 * App the Members permission.
 */
import type { Hub } from "../hub.js";
import type { Team } from "../model.js";
import { HttpError, notFound, type RouteModule } from "../router.js";
import { teamJson, userJson } from "../json.js";
import { paged, REPO, repoOf } from "./common.js";

const LEGACY: Record<string, string> = {
  read: "read",
  triage: "read",
  write: "write",
  maintain: "write",
  admin: "admin",
};

/** The team a request names, as the App may see it: 403 without Members, 404 for a secret team. */
function visibleTeam(hub: Hub, org: string, slug: string, docs: string): Team {
  if (!hub.membersAccessible(org)) {
    throw new HttpError(403, "Resource not accessible by integration", {
      documentation_url: `https://docs.github.com/rest/teams/${docs}`,
    });
  }
  const team = hub.team(org, slug);
  if (!team || !team.visible) throw notFound();
  return team;
}

export const accessRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  // 204 for a collaborator (granted a permission, or the owner), 404 for anyone else.
  router.get(`${REPO}/collaborators/{username}`, (context) => {
    const repo = repoOf(world, context);
    const login = (context.params.username ?? "").toLowerCase();
    if (login === repo.owner.toLowerCase() || repo.permissions.has(login)) return { status: 204 };
    throw notFound();
  });

  router.get(`${REPO}/collaborators/{username}/permission`, (context) => {
    const repo = repoOf(world, context);
    const login = context.params.username ?? "";
    if (!hub.knowsUser(login)) throw notFound();
    const role = hub.permissionOf(repo, login);
    return {
      status: 200,
      body: {
        permission: LEGACY[role] ?? "none",
        role_name: role,
        user: {
          ...userJson(context.apiUrl, hub.user(login)),
          permissions: {
            admin: role === "admin",
            maintain: role === "admin" || role === "maintain",
            push: ["admin", "maintain", "write"].includes(role),
            triage: role !== "read",
            pull: true,
          },
          role_name: role,
        },
      },
    };
  });

  router.get("/orgs/{org}/teams/{team_slug}", (context) => {
    const team = visibleTeam(
      hub,
      context.params.org ?? "",
      context.params.team_slug ?? "",
      "teams#get-a-team-by-name",
    );
    return {
      status: 200,
      body: {
        ...teamJson(context.apiUrl, team),
        members_count: team.members.size,
        repos_count: 0,
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
        organization: userJson(context.apiUrl, hub.user(team.org)),
      },
    };
  });

  // The team's active members (pending invitations are not members yet), as GitHub lists them.
  router.get("/orgs/{org}/teams/{team_slug}/members", (context) => {
    const org = context.params.org ?? "";
    const slug = context.params.team_slug ?? "";
    const team = visibleTeam(hub, org, slug, "teams/members#list-team-members");
    const role = context.query.get("role") ?? "all";
    const logins = [...team.members]
      .filter((login) => role === "all" || (role === "maintainer") === team.maintainers.has(login))
      .sort();
    return paged(
      context,
      logins.map((login) => userJson(context.apiUrl, hub.user(login))),
    );
  });

  router.get("/orgs/{org}/teams/{team_slug}/memberships/{username}", (context) => {
    const org = context.params.org ?? "";
    const slug = context.params.team_slug ?? "";
    const login = context.params.username ?? "";
    const team = visibleTeam(hub, org, slug, "members#get-team-membership-for-a-user");
    const membership = hub.teamMembership(team, login);
    if (!membership) throw notFound();
    return {
      status: 200,
      body: {
        url: `${context.apiUrl}/teams/${team.id}/memberships/${login}`,
        role: membership.role,
        state: membership.state,
      },
    };
  });
};
