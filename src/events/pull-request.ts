import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
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
            label: action === "opened" || action === "reopened" || action === "ready_for_review",
            readyForReview: action === "ready_for_review",
          }),
        );
        // Its files, or the base they are compared on, changed: hotfixes it holds may be freed.
        if (policy.state === "valid" && (FILE_ACTIONS.has(action) || oldBase)) {
          const bases = [pull.base.ref, ...(oldBase ? [oldBase] : [])];
          const beside = await gateHotfixesBeside(github, pull, bases, policy, {
            ownAppId: config.appId,
          });
          if (beside) decisions.push(beside);
        }
        return decisions.join("; ");
      },
    });
  });

  // A PR closed or merged no longer holds the hotfixes beside it (`conflicts.on_overlap: block`).
  app.on("pull_request.closed", (context) => {
    const pull = toPullRequest(context.payload.pull_request as RawPull);
    return handleDelivery(context, config, {
      run: async ({ github, policy, setPull }) => {
        setPull(pull.number);
        if (policy.state !== "valid") return `nothing to do: policy ${policy.state}`;
        return (
          (await gateHotfixesBeside(github, pull, [pull.base.ref], policy, {
            ownAppId: config.appId,
          })) ?? "nothing to do: open PRs hold no hotfix (conflicts.on_overlap is not block)"
        );
      },
    });
  });
}
