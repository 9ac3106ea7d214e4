/**
 * Who may run a command: the policy's `release.allowed` rule (a listed user, a member of a listed
 * team, or someone with at least the listed permission), judged by the one rule matcher. A
 * refusal says who may, why this person may not, and what stood in the way of judging (a team
 * the app cannot read), so the reply is something a person can act on.
 */
import type { Access } from "../github/port/access.js";
import type { Permission } from "../github/model.js";
import { matchRule, type Rule } from "./rules.js";

export type Authorisation = { ok: true; via: string } | { ok: false; reason: string };

export interface Allowed extends Rule {
  permission: Permission;
}

/**
 * `action` is what the person asked for, as a verb phrase: "release", "start backports",
 * "promote hotfixes", "roll back hotfixes".
 */
export async function authorise(
  access: Access,
  login: string,
  allowed: Allowed,
  action: string,
): Promise<Authorisation> {
  const match = await matchRule(access, login, allowed);
  if (match.matches) return { ok: true, via: match.via };
  const permission = match.permission ?? "none";
  const rules = [
    ...(allowed.users.length
      ? [`listed users (${allowed.users.map((u) => `@${u}`).join(", ")})`]
      : []),
    ...(allowed.teams.length ? [`members of ${allowed.teams.join(", ")}`] : []),
    `anyone with ${allowed.permission} permission or higher`,
  ];
  const problems = match.problems.length ? ` ${match.problems.join(". ")}.` : "";
  return {
    ok: false,
    reason: `@${login} may not ${action} here: that is allowed to ${rules.join(", or ")} (policy key \`release.allowed\`); @${login} has ${permission === "none" ? "no" : permission} permission on this repository and is in none of the listed teams or users.${problems} Ask someone who may, or an admin to change the policy.`,
  };
}
