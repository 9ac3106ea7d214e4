/**
 * Resolves which approval groups each reviewer belongs to: listed users first (free), then
 * teams, then repository permission (each a GitHub lookup, memoised by the port per delivery).
 */
import type { Access } from "../github/port/access.js";
import type { ApprovalGroup, Permission } from "../policy/schema.js";
import { permissionLevels } from "../policy/schema.js";
import type { Membership } from "./requirements/approvals.js";

export function permissionAtLeast(actual: Permission | "none", required: Permission): boolean {
  return (
    actual !== "none" && permissionLevels.indexOf(actual) >= permissionLevels.indexOf(required)
  );
}

export async function resolveMembership(
  access: Access,
  logins: readonly string[],
  groups: readonly ApprovalGroup[],
): Promise<Membership> {
  const groupsOf = new Map<string, Set<string>>();
  const problems = new Map<string, string>();
  for (const login of logins) {
    const mine = new Set<string>();
    for (const group of groups) {
      if (await belongs(access, login, group, problems)) mine.add(group.name);
    }
    groupsOf.set(login.toLowerCase(), mine);
  }
  return { groupsOf, problems };
}

async function belongs(
  access: Access,
  login: string,
  group: ApprovalGroup,
  problems: Map<string, string>,
): Promise<boolean> {
  if (group.users.some((u) => u.toLowerCase() === login.toLowerCase())) return true;
  for (const team of group.teams) {
    const [org, slug] = team.split("/") as [string, string];
    const answer = await access.teamMembership(org, slug, login);
    if (answer === "member") return true;
    if (answer === "team-not-visible") {
      problems.set(
        group.name,
        `Team ${team} does not exist or the app cannot see it: check the name in .github/hotfix.yml, and that the app is installed on ${org} with the organisation permission "Members: read"`,
      );
    } else if (answer === "forbidden") {
      problems.set(
        group.name,
        `The app may not read the members of ${team}: grant it the organisation permission "Members: read" (GitHub App settings → Permissions)`,
      );
    }
  }
  if (group.permission && permissionAtLeast(await access.permissionOf(login), group.permission))
    return true;
  return false;
}
