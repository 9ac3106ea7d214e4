/** Pure: the GitHub Release's notes for a hotfix. */
import type { PullRequest } from "../github/model.js";
import type { CommitInfo } from "../github/port/git.js";
import type { RequirementResult } from "../gate/requirement.js";
import { linkedIssues } from "../gate/requirements/linked-issue.js";
import type { ScheduleOverride } from "../record/schema.js";

export interface NotesInput {
  tag: string;
  previousTag: string;
  line: string;
  pull: PullRequest;
  approvals: readonly RequirementResult[];
  commits: readonly CommitInfo[];
  releasedBy: string;
  command: string;
  /** Released outside the release schedule: who overrode it, under which rule, and why. */
  override?: ScheduleOverride | null | undefined;
}

export function renderReleaseNotes(input: NotesInput): string {
  const { pull } = input;
  const issues = linkedIssues(`${pull.title}\n${pull.body}`);
  const approvals = input.approvals.filter((r) => r.id.startsWith("approval:"));
  const subject = (message: string) => message.split("\n")[0] ?? "";
  return [
    `Hotfix release on the ${input.line} line, after ${input.previousTag}.`,
    "",
    `**${pull.title}** (#${pull.number}) by @${pull.author.login}`,
    ...(issues.length ? [`Fixes ${issues.join(", ")}`] : []),
    "",
    ...(approvals.length
      ? [
          "### Approvals",
          ...approvals.map(
            (a) =>
              `- ${a.title.replace(/ approval$/, "")}: ${(a.approvedBy ?? []).map((l) => `@${l}`).join(", ") || "—"}`,
          ),
          "",
        ]
      : []),
    ...(input.override
      ? [
          "### Released outside the release schedule",
          `The schedule said: ${input.override.closed}. @${input.override.by} overrode it as ${input.override.via} (policy key \`schedule.override\`: ${input.override.rule}), giving the reason: “${input.override.reason}”`,
          "",
        ]
      : []),
    ...evidenceSummary(input.approvals),
    "### Commits",
    ...input.commits.map(
      (c) => `- ${c.sha.slice(0, 7)} ${subject(c.message)}${c.author ? ` (${c.author.name})` : ""}`,
    ),
    "",
    `Released by @${input.releasedBy} with \`${input.command}\`.`,
  ].join("\n");
}

const VERDICT = { met: "✅", warning: "⚠️", waiting: "⏳", failed: "❌" } as const;

/**
 * The final check's verdicts in words; the full record (policy blob, approvals with their
 * commits, checks with links, later stages) is the attached `hotfix-evidence.json`.
 */
function evidenceSummary(requirements: readonly RequirementResult[]): string[] {
  if (requirements.length === 0) return [];
  return [
    "### Evidence",
    ...requirements.map((r) => `- ${VERDICT[r.state]} ${r.title}: ${r.reason}`),
    "",
    "The audit record — the policy file's blob, each approval with its commit, each required check with its link, who released, and the deployments as they happen — is attached as `hotfix-evidence.json`.",
    "",
  ];
}
