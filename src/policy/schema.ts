/**
 * The policy file `.github/hotfix.yml`: this one schema is the source of the TypeScript types,
 * the defaults, the reference docs (every key's description) and `schema/hotfix.schema.json`.
 */
import { z } from "zod";
import { globProblem } from "./patterns.js";
import { parseTagTemplate, parseLineTemplate } from "../versions/tag-template.js";
import { permissionLevels } from "../github/model.js";
import { DEFAULT_RELEASE_COMMAND } from "../commands/names.js";
import {
  formatMinutes,
  readDays,
  readHours,
  readMoment,
  zoneProblem,
  type Hours,
} from "./schedule-values.js";
import { onFailure, prometheusSignals } from "./monitor-schema.js";
import { notifySection } from "./notify-schema.js";

export { permissionLevels, type Permission } from "../github/model.js";

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

/** A GitHub App's slug, as in github.com/apps/<slug> (e.g. github-actions). */
const appSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "an app is named by its slug, e.g. github-actions");

/**
 * Anyone who can push can post a commit status with any name, so a name alone can be forged;
 * `app` requires the check to come from that app.
 */
const requiredCheck = z.union([
  glob("name").describe("A check-run name or commit-status context (glob), from any source."),
  z
    .strictObject({
      name: glob("name").describe("The check-run name or commit-status context (glob)."),
      app: appSlug.describe(
        "Slug of the GitHub App that must have reported it (github.com/apps/<slug>, e.g. `github-actions`): a check run counts only if GitHub says this app created it, a commit status only if its creator is `<slug>[bot]`.",
      ),
    })
    .describe("A check that counts only when the named GitHub App reported it."),
]);

const checksSection = z
  .strictObject({
    required: z
      .array(requiredCheck)
      .default([])
      .describe(
        "Checks that must have succeeded on the PR's head commit: a check-run name or commit-status context (glob), or `{ name, app }` to accept it only from that GitHub App (a same-named status or run posted by anyone else is ignored). Each entry must be matched by at least one check; success, neutral and skipped count as passed.",
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
    request_reviews: z
      .boolean()
      .default(true)
      .describe(
        "While a group's approval is missing, ask its teams and users for a review: once per head commit (when the gate first evaluates it, or when a draft is marked ready), never the PR author (nor, for a PR a bot opened, who wrote its commits), a bot, someone already asked or someone who reviewed that commit.",
      ),
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
      .default(DEFAULT_RELEASE_COMMAND)
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
    merge_queue: z
      .enum(["queue", "jump"])
      .default("queue")
      .describe(
        "When GitHub requires a merge queue on the base branch (and hotfix-bot is not a bypass actor), `/release-hotfix` adds the PR to the queue instead of merging it: at the back (`queue`), or at the front (`jump`, the hotfix fast lane; GitHub lets only people and apps allowed to merge jump the queue). The release continues when the queue merges the PR.",
      ),
    unreadable_rules: z
      .enum(["wait", "warn"])
      .default("wait")
      .describe(
        "When GitHub's rules on the base branch cannot be read (classic branch protection needs the Administration: read permission, which a GitHub Actions token cannot have): `wait` holds the gate until they can be read, `warn` shows a warning and lets the release try the merge (GitHub may still refuse it).",
      ),
  })
  .describe("How `/release-hotfix` merges, tags and publishes.");

const startSection = z
  .strictObject({
    allowed: z
      .strictObject({
        teams: z.array(team).default([]).describe("Teams whose members may start a hotfix."),
        users: z.array(login).default([]).describe("Logins that may start a hotfix."),
        permission: permission
          .default("write")
          .describe("Anyone with at least this repository permission may start a hotfix."),
      })
      .prefault({})
      .describe("Who may comment `/start-hotfix` on an issue (any one rule suffices)."),
  })
  .describe(
    "`/start-hotfix [line or version]` on an issue: a `hotfix/<issue>-<title>` branch from the latest release tag of the line, and a PR to the line once the first commit is pushed.",
  );

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
    signed: z
      .boolean()
      .default(false)
      .describe(
        'Create backport commits so that GitHub signs them (they pass a "require signed commits" rule): through the API as the App, with no custom author or committer — the original author is kept as a `Co-authored-by:` trailer instead of as the commit\'s author.',
      ),
  })
  .describe("Carrying the fix to the other maintained branches.");

/** GitHub lists at most this many open PRs in one page: the conflicts look at one page. */
export const MAX_LISTED_PULLS = 100;

const conflictsSection = z
  .strictObject({
    on_overlap: z
      .enum(["off", "warn", "block"])
      .default("warn")
      .describe(
        "When other open PRs to the hotfix's base branch change any of its files: `warn` lists them in the gate without holding the release, `block` makes the gate wait until they are merged, closed or no longer touch those files, `off` does not look (and spends no request on it).",
      ),
    max_pulls: z
      .number()
      .int("max_pulls must be a whole number")
      .min(1, "max_pulls must be at least 1")
      .max(MAX_LISTED_PULLS, `max_pulls is at most ${MAX_LISTED_PULLS} (one page of open PRs)`)
      .default(30)
      .describe(
        "At most this many other open PRs are compared on each evaluation — other hotfixes first, then ordinary PRs, then backport PRs, the most recently updated first; each costs one request per 100 changed files, answered 304 when unchanged.",
      ),
    ignore: z
      .array(glob("name"))
      .default([])
      .describe(
        "Paths (globs) that never count as an overlap, e.g. `CHANGELOG.md` or `**/package-lock.json`.",
      ),
  })
  .describe(
    "Conflicts with ongoing work: other open PRs to the same base branch that change the same files as the hotfix.",
  );

const environment = z
  .string()
  .trim()
  .min(1, "an environment name cannot be empty")
  .max(255, "GitHub environment names are at most 255 characters");

const deploySection = z
  .strictObject({
    environments: z
      .strictObject({
        staging: environment
          .default("staging")
          .describe("The GitHub environment a released hotfix is deployed to first."),
        production: environment
          .default("production")
          .describe(
            "The production environment; the hotfix's tag is deployed there only after staging succeeded.",
          ),
      })
      .refine((e) => e.staging !== e.production, {
        message: "staging and production must be different environments",
      })
      .prefault({})
      .describe("The GitHub environments (Settings → Environments) of the two deployment stages."),
    promote: z
      .enum(["auto", "manual"])
      .default("manual")
      .describe(
        "After staging succeeds: `auto` deploys to production at once; `manual` waits for `/promote-hotfix` from someone allowed to release (`release.allowed`).",
      ),
    required_contexts: z
      .array(z.string().trim().min(1, "a context name cannot be empty"))
      .default([])
      .describe(
        "Check-run names or commit-status contexts (exact names) GitHub must see succeeded on the tag's commit before it accepts a deployment. Sent as given: GitHub's default would otherwise require every context.",
      ),
    monitor: z
      .strictObject({
        minutes: z
          .number()
          .int("minutes must be a whole number")
          .min(0, "minutes cannot be negative")
          .max(10080, "the monitoring window is at most a week (10080 minutes)")
          .default(60)
          .describe(
            "Length of the monitoring window that opens when production reports success; 0 closes it at once.",
          ),
        signals: z
          .strictObject({
            checks: z
              .array(glob("name"))
              .default([])
              .describe(
                "Check-run names or commit-status contexts (globs) on the tag's commit whose failure during the window fails the hotfix, e.g. production smoke tests.",
              ),
            labels: z
              .array(label)
              .default(["regression"])
              .describe(
                "An issue opened during the window with any of these labels fails the hotfix.",
              ),
            prometheus: prometheusSignals,
          })
          .prefault({})
          .describe(
            "What fails the hotfix during the window, besides a failure or error reported on its production deployment (always a signal).",
          ),
        on_failure: onFailure,
      })
      .prefault({})
      .describe("The window after the production deployment in which regressions fail the hotfix."),
    rollback: z
      .strictObject({
        revert_pr: z
          .boolean()
          .default(false)
          .describe(
            "`/rollback-hotfix` also opens a PR reverting the hotfix on its base branch (needs Contents: write).",
          ),
      })
      .prefault({})
      .describe(
        "What `/rollback-hotfix` does besides deploying the previous tag of the line to production.",
      ),
  })
  .describe(
    "Deploying a released hotfix through GitHub Deployments: staging, production, a monitoring window and rollback. Without this section hotfix-bot does not deploy.",
  );

const timeZone = z.string().superRefine((value, ctx) => {
  const problem = zoneProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const moment = z.string().superRefine((value, ctx) => {
  const read = readMoment(value, "UTC");
  if (!read.ok) ctx.addIssue({ code: "custom", message: read.reason });
});

const releaseWindow = z
  .strictObject({
    days: z
      .array(
        z.string().superRefine((value, ctx) => {
          const read = readDays([value]);
          if (!read.ok) ctx.addIssue({ code: "custom", message: read.reason });
        }),
      )
      .min(1, "list at least one weekday, e.g. [mon-thu]")
      .describe("Weekdays of the window: `mon` … `sun`, or ranges such as `mon-thu`."),
    hours: z
      .string()
      .superRefine((value, ctx) => {
        const read = readHours(value);
        if (!read.ok) ctx.addIssue({ code: "custom", message: read.reason });
      })
      .describe(
        "Local opening hours on those days, `HH:MM-HH:MM` (24-hour; `24:00` is midnight at the end of the day).",
      ),
    timezone: timeZone
      .optional()
      .describe("IANA time zone of the hours (default: `schedule.timezone`)."),
    branches: z
      .array(glob("branch"))
      .min(
        1,
        "list at least one base branch, or leave out branches so the window applies to every line",
      )
      .optional()
      .describe(
        "Base branches (globs) the window applies to. A base matched by any window with `branches` follows only those windows; other bases follow the windows without `branches`.",
      ),
  })
  .describe("A span of hours on some weekdays in which hotfixes may be released.");

const dateFreeze = z
  .strictObject({
    from: moment.describe(
      "First day of the freeze, `YYYY-MM-DD` (from its start), or `YYYY-MM-DDTHH:MM`, in `schedule.timezone`.",
    ),
    until: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "a freeze needs an end (until: YYYY-MM-DD); for a freeze without a known end, open an issue carrying a label of schedule.freeze_labels and close it when the freeze ends"
            : undefined,
      })
      .pipe(moment)
      .describe(
        "When the freeze ends, `YYYY-MM-DD` (releases resume at the start of that day) or `YYYY-MM-DDTHH:MM`, in `schedule.timezone`. An open-ended freeze is an issue carrying a `freeze_labels` label, closed when it ends.",
      ),
    reason: z
      .string()
      .trim()
      .min(1, "say why, e.g. holiday freeze: the gate shows it to the PR author")
      .max(200)
      .describe("Why releases are frozen, shown in the gate, e.g. `holiday freeze`."),
    branches: z
      .array(glob("branch"))
      .min(1, "list at least one base branch, or leave out branches to freeze every line")
      .optional()
      .describe("Base branches (globs) the freeze applies to (default: every line)."),
  })
  .superRefine((freeze, ctx) => {
    const from = readMoment(freeze.from, "UTC");
    const until = readMoment(freeze.until, "UTC");
    if (from.ok && until.ok && until.value <= from.value) {
      ctx.addIssue({
        code: "custom",
        path: ["until"],
        message: `the freeze ends (${freeze.until}) before it starts (${freeze.from})`,
      });
    }
  })
  .describe("Dates on which no hotfix is released.");

const overrideRule = z
  .strictObject({
    teams: z.array(team).default([]).describe("Teams whose members may override."),
    users: z.array(login).default([]).describe("Logins that may override."),
    permission: permission
      .optional()
      .describe("Anyone with at least this repository permission may override."),
  })
  .refine((r) => r.teams.length + r.users.length > 0 || r.permission !== undefined, {
    message:
      "an override rule must name someone (teams, users or permission); leave out schedule.override so that no one may override",
  })
  .describe(
    'Who may release outside a window or during a freeze with `/release-hotfix --override "reason"` (any one rule suffices; they must also be allowed to release by `release.allowed`). The person, the rule and the reason are recorded in the tracking comment and the release notes. Without it no one may override.',
  );

const scheduleSection = z
  .strictObject({
    timezone: timeZone
      .default("UTC")
      .describe(
        "IANA time zone (e.g. `Europe/Berlin`) of the windows' hours and the freezes' dates; daylight-saving changes follow the platform's time-zone data.",
      ),
    windows: z
      .array(releaseWindow)
      .default([])
      .describe(
        "When hotfixes may be released; none: any time. Outside every window that applies to the PR's base the gate waits.",
      ),
    freezes: z
      .array(dateFreeze)
      .default([])
      .describe("Date ranges during which the gate waits, each with its reason."),
    freeze_labels: z
      .array(label)
      .default([])
      .describe(
        "An open issue carrying one of these labels freezes releases until it is closed; a line `branch: release/1.4` in its body limits it to that base (globs allowed).",
      ),
    override: overrideRule.optional(),
    outside_window: z
      .enum(["refuse", "queue"])
      .default("refuse")
      .describe(
        "`/release-hotfix` while the schedule is closed: `refuse` (say when it opens), or `queue` the release, run by the sweep when it opens (also `/release-hotfix --when-open`).",
      ),
  })
  .superRefine((schedule, ctx) => overlappingWindows(schedule, ctx))
  .describe(
    "When hotfixes may be released: release windows, freezes by date or by an open issue, and who may override. Without it hotfixes are released at any time.",
  );

/** Two windows of the same zone and branches that share hours on a day: a slip, not a plan. */
function overlappingWindows(
  schedule: { timezone: string; windows: ReadonlyArray<z.output<typeof releaseWindow>> },
  ctx: z.RefinementCtx,
): void {
  const read = schedule.windows.map((w) => {
    const days = readDays(w.days);
    const hours = readHours(w.hours);
    return days.ok && hours.ok
      ? {
          days: days.value,
          hours: hours.value,
          zone: w.timezone ?? schedule.timezone,
          scope: JSON.stringify([...(w.branches ?? [])].sort()),
        }
      : null;
  });
  read.forEach((b, j) => {
    if (!b) return;
    for (let i = 0; i < j; i++) {
      const a = read[i];
      if (!a || a.zone !== b.zone || a.scope !== b.scope) continue;
      const day = a.days.find((d) => b.days.includes(d));
      const shared = sharedHours(a.hours, b.hours);
      if (day === undefined || !shared) continue;
      ctx.addIssue({
        code: "custom",
        path: ["windows", j],
        message: `overlaps windows[${i}] on ${["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day - 1]} ${formatMinutes(shared.start)}-${formatMinutes(shared.end)} (same time zone and branches): merge the two, or make them disjoint`,
      });
      return;
    }
  });
}

function sharedHours(a: Hours, b: Hours): Hours | null {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return end > start ? { start, end } : null;
}

export const policySchema = z
  .strictObject({
    hotfix: hotfixSection.prefault({}),
    checks: checksSection.prefault({}),
    approvals: approvalsSection.prefault({}),
    release: releaseSection.prefault({}),
    backport: backportSection.prefault({}),
    start: startSection.prefault({}),
    conflicts: conflictsSection.prefault({}),
    deploy: deploySection.optional(),
    schedule: scheduleSection.prefault({}),
    notify: notifySection.prefault({}),
    concurrency: z
      .enum(["parallel", "one_per_line"])
      .default("parallel")
      .describe(
        "How hotfixes of one release line (the PRs into one target branch) share it. `parallel`: each is released on its own, with its own next patch version, in the order the releases happen. `one_per_line`: one at a time — while a hotfix of the line is being released (merged but not yet tagged and published; with `deploy:`, not yet through production and its monitoring window), every other hotfix's gate waits for it (the `Release line` requirement names it and the hotfix's place in the line) and `/release-hotfix` is refused.",
      ),
  })
  .describe("hotfix-bot policy: `.github/hotfix.yml` on the repository's default branch.");

/** The policy after defaults are applied: what the app works with. */
export type Policy = z.output<typeof policySchema>;
/** What an admin may write. */
export type PolicyInput = z.input<typeof policySchema>;
export type ApprovalGroup = Policy["approvals"]["groups"][number];
/** An entry of `checks.required`: a glob, or a glob that only counts from one app. */
export type RequiredCheck = Policy["checks"]["required"][number];
export type ConflictsPolicy = Policy["conflicts"];
/** The `deploy:` section, when the policy has one. */
export type DeployPolicy = NonNullable<Policy["deploy"]>;
/** The `schedule:` section (its defaults: release any time). */
export type SchedulePolicy = Policy["schedule"];
export type ReleaseWindow = SchedulePolicy["windows"][number];
export type DateFreeze = SchedulePolicy["freezes"][number];

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
