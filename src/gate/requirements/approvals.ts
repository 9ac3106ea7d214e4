import type { Policy } from "../../policy/schema.js";
import type { Membership } from "../../access/membership.js";
import { describeRule } from "../../access/rules.js";
import { failed, met, waiting, type RequirementResult } from "../requirement.js";
import { assignApprovers } from "./assignment.js";
import type { Stances } from "./stances.js";

const mention = (login: string) => `@${login}`;
const list = (logins: readonly string[]) => logins.map(mention).join(", ");

export function approvalsGiven(
  stances: Stances,
  membership: Membership,
  policy: Policy,
): RequirementResult[] {
  const { groups, distinct_approvers: distinct } = policy.approvals;
  const groupsOf = (login: string) =>
    membership.groupsOf.get(login.toLowerCase()) ?? new Set<string>();
  const approvers = new Map<string, ReadonlySet<string>>();
  for (const s of stances.stances)
    if (s.stance === "approved") approvers.set(s.login, groupsOf(s.login));
  const assignment = assignApprovers(groups, approvers, distinct);
  const stale = stances.stances
    .filter((s) => s.stance === "approved-older-commit")
    .map((s) => s.login);
  const unchecked = stances.stances
    .filter((s) => s.stance === "approved-unchecked")
    .map((s) => s.login);

  return groups.map((group) => {
    const id = `approval:${group.name}`;
    const title = `${group.name} approval`;
    const blockers = stances.stances
      .filter((s) => s.stance === "changes-requested" && groupsOf(s.login).has(group.name))
      .map((s) => s.login);
    if (blockers.length > 0) {
      return failed(
        id,
        title,
        `${list(blockers)} (${group.name}) requested changes; the group is blocked until that review is dismissed or ${blockers.length === 1 ? "its author approves" : "they approve"}`,
      );
    }
    const counted = assignment.get(group.name) ?? [];
    if (counted.length >= group.count)
      return { ...met(id, title, `approved by ${list(counted)}`), approvedBy: counted };

    const missing = group.count - counted.length;
    const notes: string[] = [];
    if (counted.length > 0) notes.push(`approved so far by ${list(counted)}`);
    if (distinct) {
      const elsewhere = [...approvers].filter(
        ([login, gs]) => gs.has(group.name) && !counted.includes(login),
      );
      if (elsewhere.length > 0) {
        notes.push(
          `${list(elsewhere.map(([l]) => l))} already ${elsewhere.length === 1 ? "counts" : "count"} for another group and one person may satisfy only one group`,
        );
      }
    }
    if (stale.length > 0)
      notes.push(
        `${list(stale)} approved an older commit, and approvals on older commits don't count`,
      );
    if (stances.ignored.author) notes.push("the PR author's own approval doesn't count");
    const writers = stances.ignored.writers;
    if (writers.length > 0)
      notes.push(
        `${list(writers)} wrote commits of this PR, which a bot opened: their own approval${writers.length === 1 ? "" : "s"} ${writers.length === 1 ? "doesn't" : "don't"} count`,
      );
    if (unchecked.length > 0)
      notes.push(
        `the approval${unchecked.length === 1 ? "" : "s"} of ${list(unchecked)} can't be checked yet`,
      );
    if (stances.ignored.bots.length > 0)
      notes.push(`bots don't count (${list(stances.ignored.bots)})`);
    const reason = `Waiting for ${missing} approval${missing === 1 ? "" : "s"} from ${group.name} (${describeRule(group)})${notes.length ? `; ${notes.join("; ")}` : ""}`;
    // Fail closed: approvals that cannot be told apart from the writers' own do not count.
    if (stances.unchecked)
      return failed(
        id,
        title,
        `${reason}. ${stances.unchecked}; a bot opened this PR, so no approval counts until the gate can see who wrote its commits (it runs again on the next push, review or Re-run of this check)`,
      );
    const problem = membership.problems.get(group.name);
    return problem ? failed(id, title, `${reason}. ${problem}`) : waiting(id, title, reason);
  });
}
