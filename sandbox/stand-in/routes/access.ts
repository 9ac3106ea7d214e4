/**
 * Who is who: a user's permission on a repository (`permission` folds triage into read and
 * maintain into write; `role_name` keeps them, as GitHub does), teams by slug, and team
 * memberships (404 for a non-member and for a team the App cannot see — the same answer, as on
 * GitHub).
 */
import { notFound, type RouteModule } from "../router.js";
import { teamJson, userJson } from "../json.js";
import { REPO, repoOf } from "./common.js";

const LEGACY: Record<string, string> = {
  read: "read",
  triage: "read",
  write: "write",
  maintain: "write",
  admin: "admin",
};

export const accessRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

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
    const team = hub.team(context.params.org ?? "", context.params.team_slug ?? "");
    if (!team) throw notFound();
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

  router.get("/orgs/{org}/teams/{team_slug}/memberships/{username}", (context) => {
    const org = context.params.org ?? "";
    const slug = context.params.team_slug ?? "";
    const login = context.params.username ?? "";
    const team = hub.team(org, slug);
    if (!team || !team.members.has(login.toLowerCase())) throw notFound();
    return {
      status: 200,
      body: {
        url: `${context.apiUrl}/teams/${team.id}/memberships/${login}`,
        role: "member",
        state: "active",
      },
    };
  });
};
