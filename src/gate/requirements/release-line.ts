/**
 * Pure: the `Release line` requirement of `concurrency: one_per_line` — a hotfix waits while
 * another hotfix of its line is being released, and is told which one and its place in line.
 *
 * The line's order: merged hotfixes not yet through their release come first, in the order they
 * hold the line (see `LineSnapshot.releasing`); then the open hotfix PRs, by number (the order
 * they were opened). Only the hotfixes being released block: among open ones the place is for
 * information — when the line is free, the first one released takes it.
 */
import type { PullRequest } from "../../github/model.js";
import type { LineSnapshot } from "../../line/snapshot.js";
import { met, waiting, type RequirementResult } from "../requirement.js";

const ID = "release-line";
const TITLE = "Release line";

export function releaseLineFree(
  pull: Pick<PullRequest, "number" | "merged">,
  line: LineSnapshot | null,
): RequirementResult | null {
  if (!line) return null;
  const mine = line.releasing.findIndex((r) => r.pr === pull.number);
  const ahead = (mine >= 0 ? line.releasing.slice(0, mine) : line.releasing).filter(
    (r) => r.pr !== pull.number,
  );
  const openedEarlier = pull.merged || mine >= 0 ? [] : line.open.filter((n) => n < pull.number);
  const branch = `\`${line.base}\``;
  if (ahead.length === 0) {
    return met(
      ID,
      TITLE,
      `no other hotfix is being released on ${branch}`,
      openedEarlier.length > 0
        ? [
            `also waiting on this line, opened earlier: ${openedEarlier.map((n) => `#${n}`).join(", ")} — the first one released takes the line`,
          ]
        : undefined,
    );
  }
  const [first, ...rest] = ahead as [(typeof ahead)[number], ...typeof ahead];
  const place = ahead.length + openedEarlier.length + 1;
  const others = rest.map((r) => ` and #${r.pr} (${r.what})`).join("");
  return waiting(
    ID,
    TITLE,
    `waits for #${first.pr} (${branch}: ${first.what})${others}; ${ordinal(place)} in line — ${branch} releases one hotfix at a time (\`concurrency: one_per_line\`)`,
    openedEarlier.length > 0
      ? [`also ahead, opened earlier: ${openedEarlier.map((n) => `#${n}`).join(", ")}`]
      : undefined,
  );
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}
