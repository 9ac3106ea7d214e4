import type { CommandSpec } from "./parse.js";
import { BACKPORT_COMMAND, PROMOTE_COMMAND, ROLLBACK_COMMAND } from "./names.js";

/** The commands hotfix-bot answers; the release command is named by the policy. */
export function commandSpecs(releaseCommand: string): CommandSpec[] {
  return [
    {
      name: releaseCommand,
      flags: ["--dry-run", "--when-open", "--cancel"],
      valueFlags: ["--override"],
      valueName: "reason",
      args: "none",
    },
    { name: BACKPORT_COMMAND, args: "required", argName: "branch" },
    // Deploy commands are known even without a `deploy:` section, to say why they do nothing.
    { name: PROMOTE_COMMAND, args: "none" },
    { name: ROLLBACK_COMMAND, args: "none" },
  ];
}

/** Cheap test before any API call: no line starts with "/", so no command can be in it. */
export function mayHoldCommand(body: string): boolean {
  return /^[ \t]{0,3}\//m.test(body);
}
