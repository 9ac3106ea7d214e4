/**
 * GitHub's rules on branches: rulesets (`GET …/rules/branches/{branch}`, `GET …/rulesets/{id}`
 * with `current_user_can_bypass`) and classic branch protection (`GET …/branches/{branch}/
 * protection`: 404 "Branch not protected", or 403 when the App lacks Administration: read) —
 * and GitHub refusing a REST merge that breaks one of them (405 with GitHub's message), unless
 * the App may bypass the ruleset. Rules are set up by a test or the sandbox:
 *
 *   const rules = branchRules(standIn.hub, "acme", "api");
 *   rules.rulesets.push({ id: 1, name: "Release lines", branches: ["release/*"], bypassApp: false,
 *     rules: [{ type: "pull_request", parameters: { required_approving_review_count: 2 } }] });
 *   rules.protection.set("main", { required_linear_history: { enabled: true } });
 *   rules.administrationDenied = true;
 */
import picomatch from "picomatch";
import type { Hub } from "../hub.js";
import type { Issue, Pull, RepoState } from "../model.js";
import { HttpError, notFound, type RouteModule } from "../router.js";
import { paged, REPO, repoOf } from "./common.js";

/** The login GitHub's merge queue merges as (routes/graphql.ts). */
const MERGE_QUEUE_BOT = "github-merge-queue[bot]";

export interface StandInRule {
  type: string;
  parameters?: Record<string, unknown>;
}

export interface StandInRuleset {
  id: number;
  name: string;
  /** Branch globs (`release/*`) the ruleset targets. */
  branches: string[];
  rules: StandInRule[];
  /** The App is a bypass actor (`current_user_can_bypass: always` for it). */
  bypassApp: boolean;
}

/** Classic protection as `GET …/protection` answers it (the parts the stand-in enforces). */
export interface StandInProtection {
  required_status_checks?: { strict?: boolean; contexts: string[] } | null;
  required_pull_request_reviews?: {
    required_approving_review_count: number;
    dismiss_stale_reviews?: boolean;
  } | null;
  required_signatures?: { enabled: boolean };
  required_linear_history?: { enabled: boolean };
}

export interface RulesState {
  rulesets: StandInRuleset[];
  /** Branch name → its classic protection. */
  protection: Map<string, StandInProtection>;
  /** The App was not granted Administration: read (403 on the protection route). */
  administrationDenied: boolean;
}

const states = new WeakMap<Hub, Map<string, RulesState>>();

/** The rules of one repository (created empty on first use), to set up or change. */
export function branchRules(hub: Hub, owner: string, repo: string): RulesState {
  let byRepo = states.get(hub);
  if (!byRepo) states.set(hub, (byRepo = new Map()));
  const key = `${owner}/${repo}`.toLowerCase();
  let state = byRepo.get(key);
  if (!state) {
    state = { rulesets: [], protection: new Map(), administrationDenied: false };
    byRepo.set(key, state);
  }
  return state;
}

const matching = (state: RulesState, branch: string) =>
  state.rulesets.filter((set) => set.branches.some((glob) => picomatch.isMatch(branch, glob)));

/** Whether the branch has classic protection or a ruleset (GitHub's `protected` of a branch). */
export function isProtected(hub: Hub, repo: RepoState, branch: string): boolean {
  const state = branchRules(hub, repo.owner, repo.name);
  return state.protection.has(branch) || matching(state, branch).length > 0;
}

export const rulesRoutes: RouteModule = (router, world) => {
  const hub = world.hub;
  hub.mergeChecks.push((repo, issue, method, by) => enforce(hub, repo, issue, method, by));

  router.get(`${REPO}/rules/branches/{branch+}`, (context) => {
    const repo = repoOf(world, context);
    const branch = context.params.branch ?? "";
    const state = branchRules(hub, repo.owner, repo.name);
    const rules = matching(state, branch).flatMap((set) =>
      set.rules.map((rule) => ({
        ...rule,
        ruleset_source_type: "Repository",
        ruleset_source: `${repo.owner}/${repo.name}`,
        ruleset_id: set.id,
      })),
    );
    return paged(context, rules);
  });

  router.get(`${REPO}/rulesets/{ruleset_id}`, (context) => {
    const repo = repoOf(world, context);
    const id = Number(context.params.ruleset_id);
    const set = branchRules(hub, repo.owner, repo.name).rulesets.find((s) => s.id === id);
    if (!set) throw notFound();
    return {
      status: 200,
      body: {
        id: set.id,
        name: set.name,
        target: "branch",
        source_type: "Repository",
        source: `${repo.owner}/${repo.name}`,
        enforcement: "active",
        conditions: {
          ref_name: { include: set.branches.map((b) => `refs/heads/${b}`), exclude: [] },
        },
        rules: set.rules,
        current_user_can_bypass: set.bypassApp ? "always" : "never",
        node_id: `RRS_${set.id}`,
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
      },
    };
  });

  router.get(`${REPO}/branches/{branch+}/protection`, (context) => {
    const repo = repoOf(world, context);
    const branch = context.params.branch ?? "";
    const state = branchRules(hub, repo.owner, repo.name);
    if (state.administrationDenied)
      throw new HttpError(403, "Resource not accessible by integration");
    const protection = state.protection.get(branch);
    if (!protection) throw notFound("Branch not protected");
    const url = `${context.apiUrl}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`;
    return {
      status: 200,
      body: {
        url,
        ...protection,
        ...(protection.required_signatures
          ? {
              required_signatures: {
                url: `${url}/required_signatures`,
                ...protection.required_signatures,
              },
            }
          : {}),
      },
    };
  });
};

interface Refusal {
  kind: string;
  message: string;
}

/** What GitHub refuses about this merge; the App is let through rulesets it may bypass. */
function enforce(
  hub: Hub,
  repo: RepoState,
  issue: Issue & { pull: Pull },
  method: string,
  by: string,
) {
  const state = branchRules(hub, repo.owner, repo.name);
  const base = issue.pull.baseRef;
  const isApp = by === hub.botLogin();
  // The merge queue merges what it took in: its own rule does not refuse it.
  const byQueue = by === MERGE_QUEUE_BOT;
  const refusals: Refusal[] = [];
  for (const set of matching(state, base)) {
    if (set.bypassApp && isApp) continue;
    for (const rule of set.rules)
      if (!(byQueue && rule.type === "merge_queue"))
        refusals.push(...broken(repo, issue, method, rule));
  }
  const protection = state.protection.get(base);
  if (protection) {
    const reviews = protection.required_pull_request_reviews;
    if (reviews)
      refusals.push(
        ...broken(repo, issue, method, {
          type: "pull_request",
          parameters: {
            required_approving_review_count: reviews.required_approving_review_count,
            dismiss_stale_reviews_on_push: reviews.dismiss_stale_reviews === true,
          },
        }),
      );
    if (protection.required_status_checks)
      refusals.push(
        ...broken(repo, issue, method, {
          type: "required_status_checks",
          parameters: {
            required_status_checks: protection.required_status_checks.contexts.map((context) => ({
              context,
            })),
          },
        }),
      );
    if (protection.required_signatures?.enabled)
      refusals.push(...broken(repo, issue, method, { type: "required_signatures" }));
    if (protection.required_linear_history?.enabled)
      refusals.push(...broken(repo, issue, method, { type: "required_linear_history" }));
  }
  const queue = refusals.find((r) => r.kind === "merge_queue");
  if (queue) throw new HttpError(405, queue.message);
  if (refusals.length > 0)
    throw new HttpError(
      405,
      `Repository rule violations found\n\n${refusals.map((r) => r.message).join("\n\n")}`,
    );
}

function broken(
  repo: RepoState,
  issue: Issue & { pull: Pull },
  method: string,
  rule: StandInRule,
): Refusal[] {
  const p = rule.parameters ?? {};
  const pull = issue.pull;
  switch (rule.type) {
    case "merge_queue":
      return [{ kind: rule.type, message: "Changes must be made through the merge queue" }];
    case "pull_request": {
      const count = Number(p.required_approving_review_count ?? 0);
      const stale = p.dismiss_stale_reviews_on_push === true;
      const latest = new Map<string, (typeof repo.reviews)[number]>();
      for (const review of repo.reviews) {
        if (review.pull !== issue.number || review.state === "COMMENTED") continue;
        if (review.user.toLowerCase() === issue.user.toLowerCase()) continue;
        latest.set(review.user.toLowerCase(), review);
      }
      const approvals = [...latest.values()].filter(
        (r) => r.state === "APPROVED" && (!stale || r.commitId === pull.headSha),
      ).length;
      return approvals >= count
        ? []
        : [
            {
              kind: rule.type,
              message: `At least ${count} approving review${count === 1 ? " is" : "s are"} required by reviewers with write access.`,
            },
          ];
    }
    case "required_status_checks": {
      const checks = (p.required_status_checks ?? []) as { context: string }[];
      return checks
        .filter((c) => !passed(repo, pull.headSha, c.context))
        .map((c) => ({
          kind: rule.type,
          message: `Required status check "${c.context}" is expected.`,
        }));
    }
    case "required_linear_history":
      return method === "merge"
        ? [{ kind: rule.type, message: "This branch must not contain merge commits." }]
        : [];
    case "required_signatures":
      // GitHub signs the commit it creates for a squash or merge; a rebase merge is not signed.
      return method === "rebase"
        ? [{ kind: rule.type, message: "Commits must have verified signatures." }]
        : [];
    default:
      return [];
  }
}

function passed(repo: RepoState, sha: string, context: string): boolean {
  const runs = repo.checkRuns.filter((r) => r.headSha === sha && r.name === context);
  const statuses = repo.statuses.filter((s) => s.sha === sha && s.context === context);
  const latestStatus = statuses.at(-1);
  return (
    runs.some(
      (r) =>
        r.status === "completed" && ["success", "neutral", "skipped"].includes(r.conclusion ?? ""),
    ) || latestStatus?.state === "success"
  );
}
