import type { PullRequest } from "../../github/model.js";
import type { Policy } from "../../policy/schema.js";
import { failed, met, type RequirementResult } from "../requirement.js";

/**
 * The issue a hotfix fixes, as GitHub writes references: a closing keyword ("Fixes #12",
 * "resolves acme/api#12"), a bare `#12` or `owner/repo#12`, or an issue URL. Text in code spans
 * and code blocks is ignored: `#12` in a log excerpt is not a reference.
 */
export function linkedIssues(text: string): string[] {
  const prose = text
    .replace(/^(```|~~~)[\s\S]*?(^\1|$(?![\s\S]))/gm, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/<!--[\s\S]*?-->/g, " ");
  const found = new Set<string>();
  const patterns = [
    /(?:^|[\s(])((?:[\w.-]+\/[\w.-]+)?#\d+)\b/g,
    /https?:\/\/[^\s/]+\/([\w.-]+\/[\w.-]+)\/issues\/(\d+)\b/g,
  ];
  for (const match of prose.matchAll(patterns[0] as RegExp)) found.add(match[1] as string);
  for (const match of prose.matchAll(patterns[1] as RegExp)) found.add(`${match[1]}#${match[2]}`);
  return [...found];
}

export function linkedIssuePresent(pull: PullRequest, policy: Policy): RequirementResult | null {
  if (!policy.hotfix.require_linked_issue) return null;
  const issues = linkedIssues(`${pull.title}\n${pull.body}`);
  return issues.length > 0
    ? met("linked-issue", "Linked issue", `fixes ${issues.join(", ")}`)
    : failed(
        "linked-issue",
        "Linked issue",
        'no issue referenced; add "Fixes #<issue>" (or the issue URL) to the PR description',
      );
}
