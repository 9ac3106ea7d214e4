/**
 * The policy file `.github/hotfix.yml`: this one schema is the source of the TypeScript types,
 * the defaults, the reference docs (every key's description) and `schema/hotfix.schema.json`.
 */
import { z } from "zod";
import { globProblem } from "./patterns.js";
import { parseTagTemplate, parseLineTemplate } from "../release/tag-template.js";

const glob = (kind: "branch" | "name") =>
  z.string().superRefine((value, ctx) => {
    const problem = globProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const label = z.string().trim().min(1, "a label name cannot be empty").max(50);

/** `org/team-slug`: GitHub identifies a team by its organisation and slug. */
const team = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/,
    "a team is written org/team-slug, e.g. acme/qa",
  );

const login = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\[bot\])?$/, "not a valid GitHub login");

export const permissionLevels = ["read", "triage", "write", "maintain", "admin"] as const;
const permission = z.enum(permissionLevels);

const hotfixSection = z
  .strictObject({
    branches: z
      .array(glob("branch"))
      .default(["hotfix/*"])
      .describe("Head-branch globs that make a pull request a hotfix."),
    labels: z
      .array(label)
      .default(["hotfix"])
      .describe(
        "Labels that make a pull request a hotfix. When a PR is recognised by its branch only, the first label is added to it.",
      ),
    targets: z
      .array(glob("branch"))
      .min(1, "list at least one base branch a hotfix may target")
      .default(["main", "release/*"])
      .describe(
        "Base-branch globs a hotfix may target; a hotfix PR to any other base fails the gate.",
      ),
    require_linked_issue: z
      .boolean()
      .default(false)
      .describe(
        'Require the PR to reference the issue it fixes ("Fixes #123", "#123", or an issue URL) in its title or body.',
      ),
    blocking_labels: z
      .array(label)
      .default(["do-not-release"])
      .describe("Labels that block the hotfix while present."),
  })
  .describe("How hotfix pull requests are recognised and where they may go.");

const checksSection = z
  .strictObject({
    required: z
      .array(glob("name"))
      .default([])
      .describe(
        "Check-run names or commit-status contexts (globs) that must have succeeded on the PR's head commit. Each pattern must be matched by at least one check; success, neutral and skipped count as passed.",
      ),
  })
  .describe("CI checks the hotfix must pass.");

const group = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .describe("The group's name, shown in the check run (e.g. QA)."),
    count: z
      .number()
      .int("count must be a whole number")
      .min(1, "count must be at least 1")
      .max(10)
      .default(1)
      .describe("How many distinct members of the group must approve."),
    teams: z
      .array(team)
      .default([])
      .describe("Teams (org/team-slug) whose members belong to the group."),
    users: z.array(login).default([]).describe("Logins that belong to the group."),
    permission: permission
      .optional()
      .describe("Anyone with at least this repository permission belongs to the group."),
  })
  .refine((g) => g.teams.length + g.users.length > 0 || g.permission !== undefined, {
    message:
      "a group needs at least one of teams, users or permission, or nobody can approve for it",
  });

const approvalsSection = z
  .strictObject({
    invalidate_on_push: z
      .boolean()
      .default(true)
      .describe("Approvals given on an older commit stop counting when new commits are pushed."),
    distinct_approvers: z
      .boolean()
      .default(false)
      .describe(
        "One person may satisfy at most one group (the bot finds an assignment of approvers to groups, not a first fit).",
      ),
    groups: z
      .array(group)
      .default([])
      .describe("Named groups that must approve, e.g. QA and Operations.")
      .refine((groups) => new Set(groups.map((g) => g.name.toLowerCase())).size === groups.length, {
        message: "group names must be unique",
      }),
  })
  .describe("Who must approve a hotfix.");

const releaseSection = z
  .strictObject({
    command: z
      .string()
      .regex(
        /^\/[a-z0-9][a-z0-9-]*$/,
        'a command is "/" followed by lowercase letters, digits and dashes',
      )
      .default("/release-hotfix")
      .describe("The PR comment that releases a hotfix."),
    allowed: z
      .strictObject({
        teams: z.array(team).default([]).describe("Teams whose members may release."),
        users: z.array(login).default([]).describe("Logins that may release."),
        permission: permission
          .default("maintain")
          .describe("Anyone with at least this repository permission may release."),
      })
      .prefault({})
      .describe("Who may run the release command (any one rule suffices)."),
    merge_method: z
      .enum(["squash", "merge", "rebase", "none"])
      .default("squash")
      .describe("How the bot merges the PR; `none` means the PR must already be merged."),
    tag: z
      .string()
      .superRefine((value, ctx) => {
        const parsed = parseTagTemplate(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
      })
      .default("v{version}")
      .describe(
        "Tag name template; `{version}` is the semantic version, e.g. `v{version}` → v1.4.3.",
      ),
    lines: z
      .array(
        z.string().superRefine((value, ctx) => {
          const parsed = parseLineTemplate(value);
          if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
        }),
      )
      .default(["release/{major}.{minor}", "release/{major}.x"])
      .describe(
        "Branch templates that name a release line: `{major}` and optional `{minor}`. A hotfix to `release/1.4` releases the next 1.4.x; on any other target the next patch after the highest release reachable from it.",
      ),
    draft: z.boolean().default(false).describe("Create the GitHub Release as a draft."),
  })
  .describe("How `/release-hotfix` merges, tags and publishes.");

const backportSection = z
  .strictObject({
    when: z
      .enum(["released", "merged", "never"])
      .default("released")
      .describe(
        "When hotfixes are backported automatically: after the release, at merge, or never.",
      ),
    branches: z
      .array(glob("branch"))
      .default([])
      .describe(
        "Branches (names or globs) the fix is carried to; the PR's own base is always left out.",
      ),
    on_conflict: z
      .enum(["draft", "comment"])
      .default("draft")
      .describe(
        "On a conflict: open a draft PR with the conflicts committed as markers, or only comment the commands to finish locally.",
      ),
    reviewers: z.array(login).default([]).describe("Logins requested to review every backport PR."),
  })
  .describe("Carrying the fix to the other maintained branches.");

export const policySchema = z
  .strictObject({
    hotfix: hotfixSection.prefault({}),
    checks: checksSection.prefault({}),
    approvals: approvalsSection.prefault({}),
    release: releaseSection.prefault({}),
    backport: backportSection.prefault({}),
  })
  .describe("hotfix-bot policy: `.github/hotfix.yml` on the repository's default branch.");

/** The policy after defaults are applied: what the app works with. */
export type Policy = z.output<typeof policySchema>;
/** What an admin may write. */
export type PolicyInput = z.input<typeof policySchema>;
export type ApprovalGroup = Policy["approvals"]["groups"][number];
export type Permission = (typeof permissionLevels)[number];

export const POLICY_PATH = ".github/hotfix.yml";
/** Larger files are refused before parsing: a policy is a page of YAML, not a data dump. */
export const MAX_POLICY_BYTES = 64 * 1024;

/** The JSON Schema users write against (input form: keys with defaults are optional). */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://github.com/hotfix-bot/hotfix-bot/schema/hotfix.schema.json",
    title: "hotfix-bot policy (.github/hotfix.yml)",
    ...z.toJSONSchema(policySchema, { io: "input", target: "draft-2020-12" }),
  };
}
