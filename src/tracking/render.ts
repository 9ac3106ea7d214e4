/** Pure: the tracking comment's Markdown, with its state kept in a hidden HTML comment. */
import { emptyState, orderedStages, type StageState, type TrackingState } from "./state.js";

export const TRACKING_MARKER = "<!-- hotfix-bot:tracking -->";
const STATE_START = "<!-- hotfix-bot:state ";
const STATE_END = " -->";

const ICON: Record<StageState, string> = {
  pending: "⬜",
  running: "⏳",
  done: "✅",
  failed: "❌",
  skipped: "➖",
};
const CHECKBOX: Record<StageState, string> = {
  pending: "[ ]",
  running: "[ ]",
  done: "[x]",
  failed: "[ ]",
  skipped: "[x]",
};

const TITLES: Record<string, string> = {
  gate: "Final check",
  merge: "Merged",
  tag: "Tagged",
  release: "Released",
  deploy: "Deploy",
  monitor: "Monitoring",
  rollback: "Rollback",
};

function titleOf(id: string): string {
  if (TITLES[id]) return TITLES[id] as string;
  const [kind, rest] = [id.slice(0, id.indexOf(":")), id.slice(id.indexOf(":") + 1)];
  if (kind === "backport") return `Backport to \`${rest}\``;
  if (kind === "deploy") return `Deploy to ${rest}`;
  return id;
}

export function renderTracking(state: TrackingState): string {
  const lines = orderedStages(state).map(([id, s]) => {
    const text = s.link ? `${s.text} ([link](${s.link}))` : s.text;
    return `- ${CHECKBOX[s.state]} ${ICON[s.state]} **${titleOf(id)}** — ${text}`;
  });
  // `--` cannot appear inside an HTML comment; JSON never needs it except in strings.
  const json = JSON.stringify(state).replace(/--/g, "-\\u002d");
  return [
    TRACKING_MARKER,
    "### 🚑 Hotfix release",
    "",
    ...lines,
    "",
    "<sub>Kept up to date by hotfix-bot. Every step is safe to repeat: if something failed, fix what it says and comment the command again — finished steps are not redone.</sub>",
    `${STATE_START}${json}${STATE_END}`,
  ].join("\n");
}

export function parseTracking(body: string): TrackingState {
  const start = body.lastIndexOf(STATE_START);
  if (start < 0) return emptyState();
  const end = body.indexOf(STATE_END, start + STATE_START.length);
  try {
    const parsed = JSON.parse(
      body.slice(start + STATE_START.length, end),
    ) as Partial<TrackingState>;
    return { stages: parsed.stages ?? {}, facts: parsed.facts ?? {} };
  } catch {
    // A person edited the comment and broke the JSON: start over; GitHub holds the truth.
    return emptyState();
  }
}

export function isTrackingComment(body: string): boolean {
  return body.startsWith(TRACKING_MARKER);
}
