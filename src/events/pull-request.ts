import type { Probot } from "probot";
import { toPullRequest, type RawPull } from "../github/map.js";
import { gatePull } from "../gate/gate-pull.js";
import { checkPolicyFile } from "../gate/policy-file-check.js";
import { handleDelivery, type AppConfig } from "./delivery.js";

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

export function onPullRequest(app: Probot, config: AppConfig): void {
  app.on([...GATE_ACTIONS], (context) =>
    handleDelivery(context, config, async ({ github, policy, setPull }) => {
      const { action } = context.payload;
      const pull = toPullRequest(context.payload.pull_request as RawPull);
      setPull(pull.number);
      if (pull.state !== "open") return "skipped: PR not open";
      if (action === "edited" && !("changes" in context.payload && context.payload.changes?.base)) {
        return "skipped: edit did not change the base branch";
      }
      const decisions: string[] = [];
      if (FILE_ACTIONS.has(action))
        decisions.push(await checkPolicyFile(github, pull, { ownAppId: config.appId }));
      const load = await policy();
      if (load.state === "absent") return [...decisions, "no policy: nothing to do"].join("; ");
      decisions.push(
        await gatePull(github, pull, load, {
          ownAppId: config.appId,
          label: action === "opened" || action === "reopened" || action === "ready_for_review",
        }),
      );
      return decisions.join("; ");
    }),
  );
}
