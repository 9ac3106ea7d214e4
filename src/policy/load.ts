/**
 * Loads a repository's policy the way Probot's `context.config` does — `.github/hotfix.yml` on
 * the default branch, `_extends` to another repository, and the organisation's `.github`
 * repository when the repository has no file — but reads the raw text itself, because
 * `context.config` parses without positions (no line numbers in errors) and without an alias
 * limit (a "billion laughs" file would hang the validation).
 */
import type { GitHubPort, RepoRef } from "../github/port.js";
import type { Policy } from "./schema.js";
import { POLICY_PATH } from "./schema.js";
import {
  EXTENDS_KEY,
  parseLayer,
  validateLayers,
  type PolicyLayer,
  type PolicyProblem,
} from "./parse.js";

export type PolicyLoad =
  | { state: "absent" }
  | { state: "invalid"; problems: PolicyProblem[]; files: string[] }
  | { state: "valid"; policy: Policy; files: string[] };

/** A chain longer than this is almost certainly a mistake; Probot's plugin has no bound. */
const MAX_EXTENDS_DEPTH = 5;

// Probot's form: [owner/]repo[:path.yml]
const EXTENDS_PATTERN =
  /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/**
 * `options.ref` reads the repository's own file at that commit — only to report on a PR that
 * edits the policy, never to enforce: enforcement always reads the default branch.
 */
export async function loadPolicy(
  github: Pick<GitHubPort, "readFile" | "repo">,
  options: { ref?: string } = {},
): Promise<PolicyLoad> {
  const own = github.repo;
  let first = await github.readFile(POLICY_PATH, options.ref ? { ref: options.ref } : {});
  if (first === null && own.repo !== ".github" && !options.ref) {
    first = await github.readFile(POLICY_PATH, { repo: { owner: own.owner, repo: ".github" } });
  }
  if (first === null) return { state: "absent" };

  const layers: PolicyLayer[] = [];
  const seen = new Set<string>();
  let file: { text: string; size: number; source: string } | null = first;
  while (file) {
    const parsed = parseLayer(file.text, file.source, file.size);
    if (!parsed.ok) return invalid(parsed.problems, [...layers.map((l) => l.file), file.source]);
    layers.unshift(parsed.value);
    seen.add(file.source);
    const target = parsed.value.data[EXTENDS_KEY];
    if (target === undefined) break;
    const from = parsed.value;
    const problem = (message: string): PolicyLoad =>
      invalid(
        [{ file: from.file, path: EXTENDS_KEY, line: from.lineOf([EXTENDS_KEY]), message }],
        fileNames(layers),
      );
    if (typeof target !== "string" || !EXTENDS_PATTERN.test(target)) {
      return problem('expected "repo", "owner/repo" or "owner/repo:path/to/file.yml"');
    }
    if (layers.length > MAX_EXTENDS_DEPTH)
      return problem(`_extends is nested deeper than ${MAX_EXTENDS_DEPTH} files`);
    const [, owner, repo, path] = EXTENDS_PATTERN.exec(target) as RegExpExecArray;
    const where: RepoRef = { owner: owner ?? own.owner, repo: repo as string };
    const next = await github.readFile(path ?? POLICY_PATH, { repo: where });
    if (next === null)
      return problem(
        `"${target}" names no readable file (${where.owner}/${where.repo}:${path ?? POLICY_PATH})`,
      );
    if (seen.has(next.source))
      return problem(`"${target}" extends in a circle back to ${next.source}`);
    file = next;
  }
  const result = validateLayers(layers);
  if (!result.ok) return invalid(result.problems, fileNames(layers));
  return { state: "valid", policy: result.value, files: fileNames(layers) };
}

function fileNames(layers: readonly PolicyLayer[]): string[] {
  return layers.map((l) => l.file);
}

function invalid(problems: PolicyProblem[], files: string[]): PolicyLoad {
  return { state: "invalid", problems, files };
}
