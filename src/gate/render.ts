/** Pure: a verdict (or a broken policy) as the `Hotfix policy` check run a PR author reads. */
import type { PolicyProblem } from "../policy/parse.js";
import { formatProblem } from "../policy/parse.js";
import { holdsNothing, type GateVerdict } from "./evaluate.js";
import type { RequirementResult } from "./requirement.js";

export { GATE_CHECK_NAME } from "./check-names.js";

export interface CheckRunOutput {
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral";
  title: string;
  summary: string;
}

const ICON: Record<RequirementResult["state"], string> = {
  met: "✅",
  warning: "⚠️",
  waiting: "⏳",
  failed: "❌",
};

export function renderVerdict(
  verdict: GateVerdict,
  context: {
    policyFiles: readonly string[];
    command: string;
    /** What may be done while only the schedule waits (queue, override), in a sentence. */
    scheduleHint?: string;
  },
): CheckRunOutput {
  const total = verdict.requirements.length;
  // A warning is met as far as the release goes: it counts as met, and is named in the title.
  const metCount = verdict.requirements.filter(holdsNothing).length;
  const failedRows = verdict.requirements.filter((r) => r.state === "failed");
  const waitingRows = verdict.requirements.filter((r) => r.state === "waiting");
  const warningRows = verdict.requirements.filter((r) => r.state === "warning");
  const counted = `${metCount} of ${total} requirements met`;
  const names = (rows: RequirementResult[]) => rows.map((r) => r.title).join(", ");
  const warned = warningRows.length ? ` (⚠️ ${names(warningRows)})` : "";
  const title =
    (verdict.state === "success"
      ? `${counted} — ready to release: comment ${context.command}`
      : verdict.state === "failure"
        ? `${counted} — failing: ${names(failedRows)}`
        : `${counted} — waiting for ${names(waitingRows)}`) + warned;
  const rows = verdict.requirements.map(
    (r) =>
      `| ${ICON[r.state]} | ${cell(r.title)} | ${cell([r.reason, ...(r.details ?? [])].join("<br>"))} |`,
  );
  const warningNote = warningRows.length
    ? " ⚠️ is a warning: it does not hold the release, but read it before releasing."
    : "";
  const next =
    verdict.state === "success"
      ? `Every requirement is met. A maintainer can now comment \`${context.command}\` on this PR.${warningNote}`
      : `\`${context.command}\` is refused until every row is ✅${warningRows.length ? " or ⚠️" : ""}. This check updates itself as reviews, checks and labels change.${warningNote}`;
  const scheduleWaits = waitingRows.some((r) => r.id === "schedule");
  const summary = [
    "| | Requirement | Details |",
    "|---|---|---|",
    ...rows,
    "",
    next,
    ...(scheduleWaits && context.scheduleHint ? ["", context.scheduleHint] : []),
    "",
    `<sub>Evaluated on ${verdict.headSha.slice(0, 7)} against the policy ${context.policyFiles.map((f) => `\`${f}\``).join(" + ")} (default branch).</sub>`,
  ].join("\n");
  return verdict.state === "success"
    ? { status: "completed", conclusion: "success", title, summary }
    : verdict.state === "failure"
      ? { status: "completed", conclusion: "failure", title, summary }
      : { status: "in_progress", title, summary };
}

export function renderPolicyProblems(problems: readonly PolicyProblem[]): CheckRunOutput {
  return {
    status: "completed",
    conclusion: "failure",
    title: `The hotfix policy is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}) — nothing can be released until it is fixed`,
    summary: [
      "hotfix-bot cannot evaluate this hotfix because the policy file is invalid, and it takes no action in this repository until an admin fixes it:",
      "",
      "```",
      ...problems.map(formatProblem),
      "```",
      "",
      "Check a fix locally with `npx hotfix-bot validate .github/hotfix.yml`; a PR that edits the file gets a `Hotfix policy file` check validating it.",
    ].join("\n"),
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

/** True when writing `next` would change what GitHub shows for `current`. */
export function outputDiffers(
  current:
    | {
        status: string;
        conclusion: string | null;
        output: { title: string | null; summary: string | null };
      }
    | undefined,
  next: CheckRunOutput,
): boolean {
  if (!current) return true;
  return (
    current.status !== next.status ||
    (current.conclusion ?? undefined) !== next.conclusion ||
    current.output.title !== next.title ||
    current.output.summary !== next.summary
  );
}
