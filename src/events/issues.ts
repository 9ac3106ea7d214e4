import type { Probot } from "probot";
import { onIssueSignal } from "../deploy/on-issue-signal.js";
import { onFreezeIssue } from "../release/on-freeze-issue.js";
import { handleDelivery, type WiredConfig } from "./delivery.js";

const ISSUE_ACTIONS = [
  "issues.opened",
  "issues.labeled",
  "issues.unlabeled",
  "issues.closed",
  "issues.reopened",
  "issues.edited",
] as const;

/**
 * Issues matter twice: one labelled as a regression (`deploy.monitor.signals.labels`) may fail a
 * hotfix in its monitoring window; one carrying a freeze label (`schedule.freeze_labels`) freezes
 * releases while it is open, on the lines its `branch:` line names. Only labels decide, so an
 * issue without one costs no request, and only the labels an action can change are looked at.
 */
export function onIssues(app: Probot, config: WiredConfig): void {
  app.on([...ISSUE_ACTIONS], (context) => {
    const { action, issue } = context.payload;
    const current = (issue.labels ?? []).flatMap((l) => (l?.name ? [l.name] : []));
    const changed =
      "label" in context.payload && context.payload.label ? [context.payload.label.name] : [];
    // On "labeled" only the label just added is news; the others were judged before.
    const signals = action === "opened" ? current : action === "labeled" ? changed : [];
    // A freeze starts or ends with the issue (opened, closed, reopened), its freeze label
    // (labeled, unlabeled) or, while open, its `branch:` line (edited).
    const bodyEdited = action === "edited" && Boolean(context.payload.changes?.body);
    const freezes =
      action === "labeled" || action === "unlabeled"
        ? issue.state === "open"
          ? changed
          : []
        : action === "edited"
          ? bodyEdited && issue.state === "open"
            ? current
            : []
          : current;
    return handleDelivery(context, config, {
      skip: () =>
        signals.length === 0 && freezes.length === 0 ? "skipped: no label that can matter" : null,
      run: async ({ policy, lifecycle }) => {
        if (policy.state !== "valid") return `skipped: policy ${policy.state}`;
        const ctx = lifecycle(policy.policy);
        const decisions: string[] = [];
        if (signals.length > 0) decisions.push(await onIssueSignal(ctx, signals));
        if (freezes.length > 0)
          decisions.push(await onFreezeIssue(ctx, { number: issue.number, labels: freezes }));
        return decisions.join("; ");
      },
    });
  });
}
