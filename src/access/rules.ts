/**
 * Who a rule names — listed users, members of listed teams, anyone with at least a repository
 * permission — decided one way for everything that names people: approval groups
 * (`approvals.groups`) and who may run commands (`release.allowed`). Any one part of a rule
 * suffices. Only an *active* team membership counts (an invitation does not), and a team the
 * app cannot read never counts: it is reported as a problem a person can act on, never guessed.
 */
import type { Access } from "../github/port/access.js";
import { permissionLevels, type Permission } from "../github/model.js";

export interface Rule {
  users: readonly string[];
  teams: readonly string[];
  /** Anyone with at least this permission; absent: permission does not count. */
  permission?: Permission | undefined;
}

export type RuleMatch =
  | { matches: true; via: string; problems: string[] }
  | {
      matches: false;
      /** Why part of the rule could not be judged (a team the app cannot read). */
      problems: string[];
      /** The person's permission, when the rule asked for one. */
      permission: Permission | "none" | null;
    };

export function permissionAtLeast(actual: Permission | "none", required: Permission): boolean {
  return (
    actual !== "none" && permissionLevels.indexOf(actual) >= permissionLevels.indexOf(required)
  );
}

/** Lookups in order of cost: listed users (free), teams, then the repository permission. */
export async function matchRule(access: Access, login: string, rule: Rule): Promise<RuleMatch> {
  const problems: string[] = [];
  if (rule.users.some((u) => u.toLowerCase() === login.toLowerCase()))
    return { matches: true, via: "listed by name", problems };
  for (const team of rule.teams) {
    const [org, slug] = team.split("/") as [string, string];
    const answer = await access.teamMembership(org, slug, login);
    if (answer === "member") return { matches: true, via: `member of ${team}`, problems };
    if (answer === "team-not-visible") {
      problems.push(
        `Team ${team} does not exist or the app cannot see it: check the name in .github/hotfix.yml, and that the app is installed on ${org} with the organisation permission "Members: read"`,
      );
    } else if (answer === "forbidden") {
      problems.push(
        `The app may not read the members of ${team}: grant it the organisation permission "Members: read" (GitHub App settings → Permissions)`,
      );
    }
  }
  if (!rule.permission) return { matches: false, problems, permission: null };
  const permission = await access.permissionOf(login);
  if (permissionAtLeast(permission, rule.permission))
    return { matches: true, via: `${permission} permission`, problems };
  return { matches: false, problems, permission };
}

/** "acme/qa, @alice, anyone with maintain permission" — who a rule names, for messages. */
export function describeRule(rule: Rule): string {
  return [
    ...rule.teams,
    ...rule.users.map((u) => `@${u}`),
    ...(rule.permission ? [`anyone with ${rule.permission} permission`] : []),
  ].join(", ");
}
