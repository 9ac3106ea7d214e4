/**
 * Who may run a release command: any one of `release.allowed` — a listed user, a member of a
 * listed team, or someone with at least the listed repository permission.
 */
import type { Access } from "../github/port/access.js";
import type { Policy } from "../policy/schema.js";
import { permissionAtLeast } from "../gate/membership.js";

export type Authorisation = { ok: true; via: string } | { ok: false; reason: string };

export async function mayRelease(
  access: Access,
  login: string,
  allowed: Policy["release"]["allowed"],
): Promise<Authorisation> {
  if (allowed.users.some((u) => u.toLowerCase() === login.toLowerCase()))
    return { ok: true, via: "listed in release.allowed.users" };
  for (const team of allowed.teams) {
    const [org, slug] = team.split("/") as [string, string];
    if ((await access.teamMembership(org, slug, login)) === "member")
      return { ok: true, via: `member of ${team}` };
  }
  const permission = await access.permissionOf(login);
  if (permissionAtLeast(permission, allowed.permission))
    return { ok: true, via: `${permission} permission` };
  const rules = [
    ...(allowed.users.length
      ? [`listed users (${allowed.users.map((u) => `@${u}`).join(", ")})`]
      : []),
    ...(allowed.teams.length ? [`members of ${allowed.teams.join(", ")}`] : []),
    `anyone with ${allowed.permission} permission or higher`,
  ];
  return {
    ok: false,
    reason: `@${login} may not release here. Releasing is allowed to ${rules.join(", or ")} (policy key \`release.allowed\`); @${login} has ${permission === "none" ? "no" : permission} permission on this repository and is in none of the listed teams or users. Ask someone who may, or an admin to change the policy.`,
  };
}
