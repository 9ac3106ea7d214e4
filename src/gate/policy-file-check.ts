/**
 * A PR that edits `.github/hotfix.yml` gets a `Hotfix policy file` check run validating the
 * version in the PR, so admins see problems (with annotations on the lines) before merging.
 * This is the one place a policy is read from a PR head — to report on it, never to enforce it.
 */
import type { GitHubPort } from "../github/port.js";
import { isGitHubError } from "../github/errors.js";
import type { PullRequest } from "../github/model.js";
import { ownRun, publishCheckRun } from "./check-run.js";
import { formatProblem } from "../policy/parse.js";
import { loadPolicy } from "../policy/load.js";
import { POLICY_PATH } from "../policy/schema.js";
import type { CheckRunOutput } from "./render.js";

import { POLICY_FILE_CHECK_NAME } from "./check-names.js";

export { POLICY_FILE_CHECK_NAME };

export async function checkPolicyFile(
  github: GitHubPort,
  pull: PullRequest,
  options: { ownAppId: number | null; force?: boolean },
): Promise<string> {
  let files;
  try {
    files = await github.listPullFiles(pull.number);
  } catch (error) {
    // The PR is gone, or in a repository the installation cannot read: nothing to check.
    if (isGitHubError(error, 404)) return "PR not readable: nothing to check";
    throw error;
  }
  const touched = files.find(
    (f) => f.filename === POLICY_PATH || f.previousFilename === POLICY_PATH,
  );
  if (!touched) return "policy file untouched";
  const sha = pull.head.sha;
  let output: CheckRunOutput;
  let annotations: Array<{ path: string; line: number; message: string }> = [];
  if (touched.status === "removed" || touched.filename !== POLICY_PATH) {
    output = {
      status: "completed",
      conclusion: "neutral",
      title: "This PR removes the hotfix policy",
      summary: `After this PR is merged, \`${POLICY_PATH}\` is gone and hotfix-bot takes no action in this repository (unless the organisation's \`.github\` repository has a policy).`,
    };
  } else {
    const load = await loadPolicy(github, { ref: sha });
    const ownSource = (file: string) => file.endsWith(`:${POLICY_PATH}@${sha}`);
    if (load.state === "valid") {
      output = {
        status: "completed",
        conclusion: "success",
        title: "The hotfix policy in this PR is valid",
        summary: `\`${POLICY_PATH}\` as of ${sha.slice(0, 7)} is valid${
          load.files.length > 1
            ? ` (with ${load.files
                .slice(0, -1)
                .map((f) => `\`${f}\``)
                .join(", ")})`
            : ""
        }. It takes effect when merged into the default branch.`,
      };
    } else {
      const problems = load.state === "invalid" ? load.problems : [];
      annotations = problems
        .filter((p) => ownSource(p.file) && p.line !== undefined)
        .map((p) => ({
          path: POLICY_PATH,
          line: p.line as number,
          message: p.path ? `${p.path}: ${p.message}` : p.message,
        }));
      output = {
        status: "completed",
        conclusion: "failure",
        title: `The hotfix policy in this PR is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
        summary: [
          "Fix these before merging; until then the current policy stays in force.",
          "",
          "```",
          ...problems.map(formatProblem),
          "```",
        ].join("\n"),
      };
    }
  }
  const runs = await github.listCheckRuns(sha);
  const write = await publishCheckRun(github, {
    sha,
    name: POLICY_FILE_CHECK_NAME,
    output,
    current: ownRun(runs, POLICY_FILE_CHECK_NAME, options.ownAppId),
    ...(annotations.length ? { annotations } : {}),
    ...(options.force ? { force: true } : {}),
  });
  return `policy file ${output.conclusion}, check ${write}`;
}
