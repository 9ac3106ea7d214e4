/**
 * The rules GitHub enforces on a branch — its rulesets and its classic branch protection — as
 * plain data, and whether hotfix-bot could read them. A rule that could not be read is an
 * answer of its own (`unreadable`), never an empty list: "no rules" and "could not see the
 * rules" must not look alike.
 */

/** Whether this app may bypass a rule, as GitHub says for the ruleset (`current_user_can_bypass`). */
export type Bypass = "always" | "pull_requests_only" | "exempt" | "never" | "unknown";

export type BranchRuleKind =
  | { kind: "reviews"; count: number; dismissStale: boolean }
  | { kind: "checks"; checks: { context: string; appId: number | null }[] }
  | { kind: "signatures" }
  | { kind: "linear-history" }
  | { kind: "merge-queue"; method: string | null };

export type BranchRule = BranchRuleKind & {
  /** Where the rule comes from, in words: `ruleset "Release lines"`, `branch protection`. */
  source: string;
  /** The ruleset's id, for a rule of a ruleset. */
  rulesetId: number | null;
  bypass: Bypass;
};

export interface UnreadableRules {
  /** What could not be read: `rulesets` or `branch protection`. */
  what: "rulesets" | "branch protection";
  status: number;
  message: string;
  /** The App permission GitHub asks for to read it. */
  permission: string;
}

export interface BranchRules {
  branch: string;
  rules: BranchRule[];
  unreadable: UnreadableRules[];
}

export interface Rules {
  /**
   * The active rules GitHub applies to merges into `branch`: its rulesets' rules
   * (`GET …/rules/branches/{branch}`, Metadata: read) with this app's bypass of each ruleset,
   * and — when the branch is protected — its classic protection (Administration: read).
   */
  readBranchRules(branch: string): Promise<BranchRules>;
}
