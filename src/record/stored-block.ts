/**
 * The tracking comment's hidden block: the part of the hotfix record GitHub cannot hold, as
 * versioned JSON in an HTML comment at the comment's end. Reading never fails: a block a person
 * broke by editing the comment reads as empty (everything GitHub holds is derived again anyway),
 * and the block of the previous version (`hotfix-bot:state`, v1: prose "stages" and string
 * "facts") is carried over, so hotfixes in flight survive an upgrade of the app.
 */
import {
  emptyStored,
  STORED_VERSION,
  storedSchema,
  type BackportNote,
  type StoredRecord,
} from "./schema.js";

const START = "<!-- hotfix-bot:record ";
const END = " -->";
const V1_START = "<!-- hotfix-bot:state ";

export function writeStoredBlock(stored: StoredRecord): string {
  // `--` cannot appear inside an HTML comment; JSON needs it only inside strings.
  return `${START}${JSON.stringify(stored).replace(/--/g, "-\\u002d")}${END}`;
}

export function readStoredBlock(body: string): StoredRecord {
  const json = between(body, START);
  if (json !== null) {
    const parsed = storedSchema.safeParse(parseJson(json));
    return parsed.success ? parsed.data : emptyStored();
  }
  const v1 = between(body, V1_START);
  return v1 === null ? emptyStored() : fromV1(parseJson(v1));
}

function between(body: string, start: string): string | null {
  const from = body.lastIndexOf(start);
  if (from < 0) return null;
  const to = body.indexOf(END, from + start.length);
  return to < 0 ? null : body.slice(from + start.length, to);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

interface V1Stage {
  state?: string;
  text?: string;
  link?: string;
  at?: string;
}

/** The v1 block: `{ stages: { id: { state, text, link?, at? } }, facts: { name: value } }`. */
function fromV1(raw: unknown): StoredRecord {
  const stored = emptyStored();
  if (!raw || typeof raw !== "object") return stored;
  const { stages = {}, facts = {} } = raw as {
    stages?: Record<string, V1Stage>;
    facts?: Record<string, string>;
  };
  const at = (stage: V1Stage | undefined) => stage?.at ?? "";
  const gate = stages.gate;
  if (facts.releasedBy && gate?.state === "done") {
    const method = facts.mergeMethod;
    stored.release = {
      by: facts.releasedBy,
      at: at(gate),
      headSha: "",
      ...(method === "squash" || method === "merge" || method === "rebase" ? { method } : {}),
      ...(facts.tag ? { tag: facts.tag } : {}),
    };
  }
  for (const step of ["merge", "tag", "release"] as const) {
    const stage = stages[step];
    if (stage?.state === "failed")
      stored.releaseFailure = { step, reason: stage.text ?? "", at: at(stage) };
  }
  for (const [id, stage] of Object.entries(stages)) {
    if (!id.startsWith("backport:")) continue;
    const note = v1BackportNote(stage);
    if (note) stored.backports[id.slice("backport:".length)] = note;
  }
  const monitor = stages.monitor;
  if (monitor?.state === "done" || monitor?.state === "failed") {
    stored.window = {
      state: monitor.state === "done" ? "clean" : "failed",
      at: at(monitor),
      what: monitor.text ?? "",
      link: monitor.link ?? null,
    };
  }
  const asker = /asked by @([A-Za-z0-9-]+(?:\[bot\])?)/.exec(stages.rollback?.text ?? "")?.[1];
  if (facts.rollbackTag) {
    stored.rollback = { by: asker ?? "", at: at(stages.rollback), previousTag: facts.rollbackTag };
  }
  return { ...stored, v: STORED_VERSION };
}

function v1BackportNote(stage: V1Stage): BackportNote | null {
  const text = stage.text ?? "";
  if (stage.state === "skipped" && text.startsWith("no branch matches"))
    return { kind: "no-branch", at: stage.at ?? "" };
  if (stage.state === "done" && text.startsWith("already on"))
    return { kind: "already-present", reason: text, at: stage.at ?? "" };
  if (stage.state === "failed") return { kind: "failed", reason: text, at: stage.at ?? "" };
  if (stage.state === "pending" && stage.link && text.includes("finish by hand"))
    return { kind: "conflict-comment", files: [], link: stage.link, at: stage.at ?? "" };
  return null;
}
