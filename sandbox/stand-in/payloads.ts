/**
 * Webhook payloads start from a payload GitHub really sent (@octokit/webhooks-examples, recorded
 * from github.com), and the stand-in fills in its own objects: the payload keeps every key
 * GitHub sends for that event and action, and the values are the stand-in's state.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

interface ExampleEntry {
  name: string;
  examples: Array<Record<string, unknown>>;
}

let examples: ExampleEntry[] | undefined;

/** Every recorded payload, by event name (329 payloads of 58 events). */
export function webhookExamples(): ExampleEntry[] {
  if (!examples) {
    const file = createRequire(import.meta.url).resolve(
      "@octokit/webhooks-examples/api.github.com/index.json",
    );
    examples = JSON.parse(readFileSync(file, "utf8")) as ExampleEntry[];
  }
  return examples;
}

/**
 * A deep copy of a recorded payload of `event` with `action` (an App's delivery when there is
 * one: it carries `installation`), or of the event's first payload when none has that action.
 */
export function payloadTemplate(event: string, action?: string): Record<string, unknown> {
  const entry = webhookExamples().find((e) => e.name === event);
  if (!entry) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const same = entry.examples.filter((p) => action === undefined || p.action === action);
  const found = same.find((p) => p.installation !== undefined) ?? same[0] ?? entry.examples[0];
  return structuredClone(found ?? {});
}

/**
 * The template with the stand-in's values laid over it: top-level objects the stand-in gives
 * (`pull_request`, `check_run`, …) replace the recorded ones key by key, so recorded keys the
 * stand-in does not model keep a plausible value; `organization` is dropped (the recorded one
 * names another organisation).
 */
export function fillPayload(
  event: string,
  action: string | undefined,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const template = payloadTemplate(event, action);
  delete template.organization;
  const payload: Record<string, unknown> = { ...template };
  for (const [key, value] of Object.entries(values)) {
    const recorded = template[key];
    payload[key] =
      isPlainObject(recorded) && isPlainObject(value) ? { ...recorded, ...value } : value;
  }
  if (action !== undefined) payload.action = action;
  else delete payload.action;
  return payload;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
