/**
 * Which approver counts for which group. Without distinct approvers a person counts for every
 * group they belong to. With distinct approvers each person fills at most one seat, and the
 * seats are filled by a maximum bipartite matching (augmenting paths, Kuhn's algorithm): a
 * greedy first fit would let Alice take QA's seat when she is the only possible Ops approver,
 * and fail a PR that a proper assignment satisfies.
 */
export interface GroupDemand {
  name: string;
  count: number;
}

export type Assignment = Map<string, string[]>;

export function assignApprovers(
  groups: readonly GroupDemand[],
  approvers: ReadonlyMap<string, ReadonlySet<string>>,
  distinct: boolean,
): Assignment {
  const result: Assignment = new Map(groups.map((g) => [g.name, []]));
  const logins = [...approvers.keys()].sort();
  if (!distinct) {
    for (const group of groups) {
      result.set(
        group.name,
        logins.filter((l) => approvers.get(l)?.has(group.name)),
      );
    }
    return result;
  }
  const seats = groups.flatMap((g) => Array.from({ length: g.count }, () => g.name));
  const seatOf = new Map<string, number>(); // login → seat index
  const tryFill = (seat: number, visited: Set<string>): boolean => {
    for (const login of logins) {
      if (!approvers.get(login)?.has(seats[seat] as string) || visited.has(login)) continue;
      visited.add(login);
      const current = seatOf.get(login);
      if (current === undefined || tryFill(current, visited)) {
        seatOf.set(login, seat);
        return true;
      }
    }
    return false;
  };
  seats.forEach((_, seat) => tryFill(seat, new Set()));
  for (const [login, seat] of seatOf) result.get(seats[seat] as string)?.push(login);
  for (const list of result.values()) list.sort();
  return result;
}
