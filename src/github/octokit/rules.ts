import type {
  BranchRule,
  BranchRuleKind,
  BranchRules,
  Bypass,
  Rules,
  UnreadableRules,
} from "../port/rules.js";
import type { RepoRef } from "../port.js";
import { isGitHubError } from "../errors.js";
import type { Octokit, Sender } from "./types.js";

interface RawRule {
  type: string;
  parameters?: Record<string, unknown>;
  ruleset_id?: number;
  ruleset_source?: string;
}

interface RawProtection {
  required_status_checks?: {
    contexts?: string[];
    checks?: { context: string; app_id?: number | null }[];
  } | null;
  required_pull_request_reviews?: {
    required_approving_review_count?: number;
    dismiss_stale_reviews?: boolean;
    bypass_pull_request_allowances?: { apps?: { slug?: string | null }[] };
  } | null;
  required_signatures?: { enabled?: boolean } | null;
  required_linear_history?: { enabled?: boolean } | null;
}

const BYPASS = new Set(["always", "pull_requests_only", "exempt", "never"]);

/** What a refusal to read says; anything else (5xx, rate limits) is thrown as usual. */
function unreadable(error: unknown, what: UnreadableRules["what"], permission: string) {
  if (isGitHubError(error, 403) || isGitHubError(error, 404))
    return { what, status: error.status, message: error.message, permission };
  throw error;
}

export function rulesAdapter(
  octokit: Octokit,
  repo: RepoRef,
  send: Sender,
  /** This app's slug, to find it among the classic protection's review bypass apps. */
  appSlug: () => string | null = () => null,
): Rules {
  async function rulesetRules(branch: string): Promise<BranchRule[] | UnreadableRules> {
    let raw: RawRule[];
    try {
      raw = await send(
        "GET /repos/{owner}/{repo}/rules/branches/{branch}",
        () =>
          octokit.paginate("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
            ...repo,
            branch,
            per_page: 100,
          }) as Promise<RawRule[]>,
      );
    } catch (error) {
      return unreadable(error, "rulesets", "Metadata: read");
    }
    const ids = [...new Set(raw.map((r) => r.ruleset_id).filter((id) => id !== undefined))];
    const rulesets = new Map<number, { name: string; bypass: Bypass }>();
    for (const id of ids) rulesets.set(id, await ruleset(id));
    return raw.flatMap((r) => {
      const set = r.ruleset_id === undefined ? undefined : rulesets.get(r.ruleset_id);
      const origin = {
        source: set
          ? `ruleset "${set.name}"`
          : `ruleset of ${r.ruleset_source ?? "the repository"}`,
        rulesetId: r.ruleset_id ?? null,
        bypass: set?.bypass ?? ("unknown" as const),
      };
      const kind = ruleKind(r);
      return kind ? [{ ...kind, ...origin } as BranchRule] : [];
    });
  }

  async function ruleset(id: number): Promise<{ name: string; bypass: Bypass }> {
    try {
      const { data } = await send("GET /repos/{owner}/{repo}/rulesets/{ruleset_id}", () =>
        octokit.request("GET /repos/{owner}/{repo}/rulesets/{ruleset_id}", {
          ...repo,
          ruleset_id: id,
        }),
      );
      const raw = data as { name?: string; current_user_can_bypass?: string };
      const bypass = raw.current_user_can_bypass ?? "unknown";
      return {
        name: raw.name ?? `#${id}`,
        bypass: BYPASS.has(bypass) ? (bypass as Bypass) : "unknown",
      };
    } catch (error) {
      // An organisation's ruleset may not be readable from the repository: its rules still hold.
      if (isGitHubError(error, 403) || isGitHubError(error, 404))
        return { name: `#${id}`, bypass: "unknown" };
      throw error;
    }
  }

  async function protection(branch: string): Promise<BranchRule[] | UnreadableRules> {
    try {
      const { data: found } = await send("GET /repos/{owner}/{repo}/branches/{branch}", () =>
        octokit.request("GET /repos/{owner}/{repo}/branches/{branch}", { ...repo, branch }),
      );
      if (!(found as { protected?: boolean }).protected) return [];
    } catch (error) {
      if (isGitHubError(error, 404)) return [];
      throw error;
    }
    let data: RawProtection;
    try {
      data = (
        await send("GET /repos/{owner}/{repo}/branches/{branch}/protection", () =>
          octokit.request("GET /repos/{owner}/{repo}/branches/{branch}/protection", {
            ...repo,
            branch,
          }),
        )
      ).data as RawProtection;
    } catch (error) {
      // "Branch not protected": the branch answer counted rulesets as protection too.
      if (isGitHubError(error, 404) && /not protected/i.test(error.message)) return [];
      return unreadable(error, "branch protection", "Administration: read");
    }
    return protectionRules(data, appSlug());
  }

  return {
    async readBranchRules(branch) {
      const [fromRulesets, fromProtection] = await Promise.all([
        rulesetRules(branch),
        protection(branch),
      ]);
      const result: BranchRules = { branch, rules: [], unreadable: [] };
      for (const part of [fromRulesets, fromProtection]) {
        if (Array.isArray(part)) result.rules.push(...part);
        else result.unreadable.push(part);
      }
      return result;
    },
  };
}

function ruleKind(rule: RawRule): BranchRuleKind | null {
  const p = rule.parameters ?? {};
  switch (rule.type) {
    case "pull_request":
      return {
        kind: "reviews",
        count: Number(p.required_approving_review_count ?? 0),
        dismissStale: p.dismiss_stale_reviews_on_push === true,
      };
    case "required_status_checks":
      return {
        kind: "checks",
        checks: (
          (p.required_status_checks ?? []) as { context: string; integration_id?: number }[]
        ).map((c) => ({ context: c.context, appId: c.integration_id ?? null })),
      };
    case "required_signatures":
      return { kind: "signatures" };
    case "required_linear_history":
      return { kind: "linear-history" };
    case "merge_queue":
      return {
        kind: "merge-queue",
        method: typeof p.merge_method === "string" ? p.merge_method : null,
      };
    default:
      return null;
  }
}

/** Classic protection as rules; only its review rule can name apps that bypass it. */
export function protectionRules(data: RawProtection, appSlug: string | null): BranchRule[] {
  const origin = { source: "branch protection", rulesetId: null };
  const rules: BranchRule[] = [];
  const reviews = data.required_pull_request_reviews;
  if (reviews) {
    const apps = reviews.bypass_pull_request_allowances?.apps ?? [];
    // Apps allowed to bypass it, but this app's slug not known here: not guessed either way.
    const bypass: Bypass =
      apps.length === 0
        ? "never"
        : appSlug === null
          ? "unknown"
          : apps.some((a) => a.slug === appSlug)
            ? "pull_requests_only"
            : "never";
    rules.push({
      kind: "reviews",
      count: reviews.required_approving_review_count ?? 0,
      dismissStale: reviews.dismiss_stale_reviews === true,
      ...origin,
      bypass,
    });
  }
  const checks = data.required_status_checks;
  if (checks) {
    const named = checks.checks?.length
      ? checks.checks.map((c) => ({ context: c.context, appId: c.app_id ?? null }))
      : (checks.contexts ?? []).map((context) => ({ context, appId: null }));
    if (named.length > 0) rules.push({ kind: "checks", checks: named, ...origin, bypass: "never" });
  }
  if (data.required_signatures?.enabled)
    rules.push({ kind: "signatures", ...origin, bypass: "never" });
  if (data.required_linear_history?.enabled)
    rules.push({ kind: "linear-history", ...origin, bypass: "never" });
  return rules;
}
