/**
 * Who may run a command: the policy's `release.allowed` rule (a listed user, a member of a listed
 * team, or someone with at least the listed permission), judged by the one rule matcher. A
 * refusal says who may, why this person may not, and what stood in the way of judging (a team
 * the app cannot read), so the reply is something a person can act on.
 */
import type { Access } from "../github/port/access.js";
import type { Permission } from "../github/model.js";
import { describeRule, matchRule, type Rule } from "./rules.js";

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

export type OverrideGrant = { ok: true; via: string; rule: string } | { ok: false; reason: string };

/**
 * Who may release outside the release schedule: the policy's `schedule.override` rule, distinct
 * from `release.allowed` (which the person must pass too). No rule: no one may.
 */
export async function authoriseOverride(
  access: Access,
  login: string,
  rule: Rule | undefined,
): Promise<OverrideGrant> {
  const after =
    "Wait for the schedule to open, queue the release with `--when-open`, or ask someone who may.";
  if (!rule) {
    return {
      ok: false,
      reason: `@${login} nothing was done: no one may release outside the release schedule here, because the policy has no \`schedule.override\` rule. ${after}`,
    };
  }
  const match = await matchRule(access, login, rule);
  if (match.matches) return { ok: true, via: match.via, rule: describeRule(rule) };
  const problems = match.problems.length ? ` ${match.problems.join(". ")}.` : "";
  const has =
    match.permission === null
      ? "is in none of the listed teams or users"
      : `has ${match.permission === "none" ? "no" : match.permission} permission on this repository and is in none of the listed teams or users`;
  return {
    ok: false,
    reason: `@${login} may not release outside the release schedule here: that is allowed to ${describeRule(rule)} (policy key \`schedule.override\`); @${login} ${has}.${problems} ${after}`,
  };
}
