/**
 * The step-end hook that sends a hotfix's due notifications (src/record/step-end.ts): what the
 * record shows and the stored block does not name yet is sent, and each outcome is stored.
 */
import type { StepEndHook } from "../record/step-end.js";
import { integrationsFromEnv } from "../integrations/environment.js";
import { sendDueNotifications } from "./deliver.js";

export const notifyAtStepEnd: StepEndHook = async (end) => {
  if (!end.policy.notify.routes.length) return null;
  const sent = await sendDueNotifications(
    end.record,
    end.policy,
    end.integrations ?? integrationsFromEnv(process.env),
    end.repository,
    end.now,
  );
  if (!Object.keys(sent).length) return null;
  const stored = end.record.stored;
  return { ...stored, notified: { ...stored.notified, ...sent } };
};
