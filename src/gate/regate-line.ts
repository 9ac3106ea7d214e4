/**
 * With `concurrency: one_per_line`, the gate of a hotfix depends on the other hotfixes of its
 * line: when one of them starts or finishes its release, the others' `Hotfix policy` checks are
 * re-evaluated — their line read once for all of them — and rewritten only where what they show
 * changed. What triggers it: a lifecycle step of a hotfix that moved it along its release (the
 * release command, a deployment status, a monitoring signal, the sweep closing a window; see
 * `lineWatcher`), and a hotfix PR closed (merged by hand, or given up).
 */
import type { GitHubPort } from "../github/port.js";
import { isGitHubError } from "../github/errors.js";
import type { PolicyLoad } from "../policy/load.js";
import type { StepChange } from "../record/step.js";
import { lineProgress } from "../line/line-progress.js";
import { gatherLine } from "../line/gather-line.js";
import { lineContext } from "./evaluate-pull.js";
import { gatePull } from "./gate-pull.js";
import { recogniseHotfix } from "./recognise.js";
import { lineLockKey } from "../line/line-key.js";
import type { HotfixLocks } from "../lock/hotfix-lock.js";

type ValidLoad = Extract<PolicyLoad, { state: "valid" }>;

export interface RegateOptions {
  ownAppId: number | null;
  now: () => Date;
  /** The line's lock is held while its gates are read and written. */
  locks: HotfixLocks;
}

/** Re-evaluates the gate of every open hotfix PR into `base` but `except`. */
export async function regateLine(
  github: GitHubPort,
  load: ValidLoad,
  options: RegateOptions,
  base: string,
  except: number | null,
): Promise<string> {
  const { policy } = load;
  if (policy.concurrency !== "one_per_line") return "line: released in parallel";
  return options.locks.hold(lineLockKey(github.repo, base, policy), async () => {
    const waiting = (await github.listPullsInto(base, { state: "open" })).filter(
      (p) => p.number !== except && recogniseHotfix(p, policy.hotfix).hotfix,
    );
    if (waiting.length === 0) return `line ${base}: no other open hotfix`;
    const line = await gatherLine(
      lineContext(github, {
        policy,
        policyFiles: load.files,
        ownAppId: options.ownAppId,
        now: options.now,
      }),
      base,
    );
    const decisions: string[] = [];
    for (const pull of waiting)
      decisions.push(
        await gatePull(github, pull, load, {
          ownAppId: options.ownAppId,
          line,
          locks: options.locks,
          now: options.now,
        }),
      );
    return `line ${base}: ${decisions.join("; ")}`;
  });
}

/**
 * For `StepContext.afterStep`: when a step of a merged hotfix found it moved along its release
 * (merged, tagged, published, deployed, live, window closed — anything its tracking comment
 * shows), the other hotfixes of its line are re-evaluated. A
 * failure to re-evaluate does not fail the step that succeeded: those gates are re-evaluated by
 * their next event, and again when this hotfix moves on.
 */
export function lineWatcher(
  github: GitHubPort,
  load: ValidLoad,
  options: RegateOptions,
): ((change: StepChange) => Promise<void>) | undefined {
  if (load.policy.concurrency !== "one_per_line") return undefined;
  return async ({ before, after, shownChanged }) => {
    const [was, is] = [lineProgress(before), lineProgress(after)];
    // What the tracking comment shows changed (it shows every stage of the release), or the
    // step itself moved the hotfix along; an open hotfix holds no line.
    const moved = shownChanged || JSON.stringify(was) !== JSON.stringify(is);
    if (!moved || (was.state === "open" && is.state === "open")) return;
    try {
      await regateLine(github, load, options, after.base, after.pr);
    } catch (error) {
      if (!isGitHubError(error)) throw error;
    }
  };
}
