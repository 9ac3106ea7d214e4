/**
 * Which approval groups each reviewer belongs to, by the one rule matcher (`rules.ts`); each
 * lookup is memoised by the port for the delivery.
 */
import type { Access } from "../github/port/access.js";
import type { ApprovalGroup } from "../policy/schema.js";
import { matchRule } from "./rules.js";

export interface Membership {
  /** Groups each resolved reviewer belongs to (logins lower-cased). */
  groupsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per group, why membership could not be fully resolved (an unreadable team, …). */
  problems: ReadonlyMap<string, string>;
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
      const match = await matchRule(access, login, group);
      if (match.matches) mine.add(group.name);
      const problem = match.problems[0];
      if (problem && !problems.has(group.name)) problems.set(group.name, problem);
    }
    groupsOf.set(login.toLowerCase(), mine);
  }
  return { groupsOf, problems };
}
