import type { CommandSpec } from "./parse.js";
import type { Policy } from "../policy/schema.js";
import { policySchema } from "../policy/schema.js";
import { BACKPORT_COMMAND, PROMOTE_COMMAND, ROLLBACK_COMMAND } from "./names.js";

/** The commands hotfix-bot answers, named by the policy where it says so. */
export function commandSpecs(policy: Policy): CommandSpec[] {
  return [
    { name: policy.release.command, flags: ["--dry-run"], args: "none" },
    { name: BACKPORT_COMMAND, args: "required", argName: "branch" },
    // Deploy commands are known even without a `deploy:` section, to say why they do nothing.
    { name: PROMOTE_COMMAND, args: "none" },
    { name: ROLLBACK_COMMAND, args: "none" },
  ];
}

export const DEFAULT_POLICY = policySchema.parse({});

/** Cheap test before any API call: no line starts with "/", so no command can be in it. */
export function mayHoldCommand(body: string): boolean {
  return /^[ \t]{0,3}\//m.test(body);
}
