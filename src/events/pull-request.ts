import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
import { recogniseHotfix } from "../gate/recognise.js";
import { regateLine } from "../gate/regate-line.js";
import { gateHotfixesBeside } from "../gate/gate-beside.js";
import { checkPolicyFile } from "../gate/policy-file-check.js";
import { handleDelivery, learnt, type WiredConfig } from "./delivery.js";

const GATE_ACTIONS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.labeled",
  "pull_request.unlabeled",
  "pull_request.edited",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
] as const;

/** Actions after which the PR's files may have changed. */
const FILE_ACTIONS = new Set(["opened", "reopened", "synchronize"]);

export function onPullRequest(app: Probot, config: WiredConfig): void {
  app.on([...GATE_ACTIONS], (context) => {
    const { action } = context.payload;
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    const defaultBranch = context.payload.repository.default_branch;
    const changes = "changes" in context.payload ? context.payload.changes : undefined;
    const oldBase = changes && "base" in changes ? changes.base?.ref.from : undefined;
    return handleDelivery(context, config, {
      learn: learnt(pull),
      skip: () => {
        if (pull.state !== "open") return "skipped: PR not open";
        if (action === "edited" && !oldBase) return "skipped: edit did not change the base branch";
        return null;
      },
      run: async ({ github, policy, setPull }) => {
        setPull(pull.number);
        const decisions: string[] = [];
        // Also without a policy: a PR adding the first one is validated before it is merged. Only
        // a PR into the default branch can change the policy (it is read from there only).
        if (FILE_ACTIONS.has(action) && pull.base.ref === defaultBranch)
          decisions.push(await checkPolicyFile(github, pull, { ownAppId: config.appId }));
        if (policy.state === "absent") return [...decisions, "no policy: nothing to do"].join("; ");
        decisions.push(
          await gatePull(github, pull, policy, {
            ownAppId: config.appId,
            locks: config.locks,
            now: config.now,
            label: action === "opened" || action === "reopened" || action === "ready_for_review",
            readyForReview: action === "ready_for_review",
          }),
        );
        // Its files, or the base they are compared on, changed: hotfixes it holds may be freed.
        if (policy.state === "valid" && (FILE_ACTIONS.has(action) || oldBase)) {
          const bases = [pull.base.ref, ...(oldBase ? [oldBase] : [])];
          const beside = await gateHotfixesBeside(github, pull, bases, policy, {
            ownAppId: config.appId,
            locks: config.locks,
            now: config.now,
          });
          if (beside) decisions.push(beside);
        }
        return decisions.join("; ");
      },
    });
  });

  // A PR closed or merged: with `conflicts.on_overlap: block` it no longer holds the hotfixes
  // beside it; a hotfix merged by hand holds its line until it is released (`one_per_line`).
  app.on("pull_request.closed", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    return handleDelivery(context, config, {
      learn: learnt(pull),
      run: async ({ github, policy, setPull }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `nothing to do: policy ${policy.state}`;
        const options = { ownAppId: config.appId, locks: config.locks, now: config.now };
        const decisions = [
          (await gateHotfixesBeside(github, pull, [pull.base.ref], policy, options)) ??
            "no hotfix held by open PRs (conflicts.on_overlap is not block)",
        ];
        if (policy.policy.concurrency !== "one_per_line")
          decisions.push("lines released in parallel");
        else if (!pull.merged) decisions.push("closed without merge: holds no line");
        else if (!recogniseHotfix(pull, policy.policy.hotfix).hotfix)
          decisions.push("not a hotfix: holds no line");
        else decisions.push(await regateLine(github, policy, options, pull.base.ref, pull.number));
        return decisions.join("; ");
      },
    });
  });
}
