/**
 * Prints what happens on the stand-in as a timeline a person can follow: the scenario's steps,
 * what people and CI did, what hotfix-bot did (its check run as the PR page shows it, its
 * comments, and for its tracking comment the lines that changed), and the decision hotfix-bot
 * logged for each delivery.
 */
import type { JournalEntry } from "./stand-in/hub.js";

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint("1");
export const dim = paint("2");
export const green = paint("32");
export const red = paint("31");
export const cyan = paint("36");

/** The tracking comment's hidden state and marker are for the bot, not for people. */
function visibleLines(body: string): string[] {
  return body.split("\n").filter((line) => !line.startsWith("<!-- hotfix-bot:"));
}

export function indent(text: string, prefix = "        │ "): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

export class Timeline {
  private readonly started = Date.now();
  private readonly bodies = new Map<string, string>();

  constructor(
    private readonly botLogin: string,
    private readonly write: (line: string) => void = (line) => console.log(line),
  ) {}

  private stamp(at = Date.now()): string {
    return dim(`${((at - this.started) / 1000).toFixed(1).padStart(6)}s`);
  }

  step(text: string): void {
    this.write(`${this.stamp()}  ${bold(`▶ ${text}`)}`);
  }

  entry(entry: JournalEntry): void {
    const bot = entry.actor === this.botLogin;
    const who = bot ? cyan("🤖 hotfix-bot") : `👤 ${entry.actor}`;
    // Temporary branches and the tracking comment's edits are shown by what changed.
    if (bot && /hotfix-bot\/tmp\//.test(entry.text)) return;
    const previous = entry.about ? this.bodies.get(entry.about) : undefined;
    if (entry.about && entry.detail !== undefined) this.bodies.set(entry.about, entry.detail);
    if (bot && entry.about?.startsWith("comment") && previous !== undefined && entry.detail) {
      const before = new Set(visibleLines(previous));
      const changed = visibleLines(entry.detail).filter((line) => line.trim() && !before.has(line));
      if (changed.length === 0) return;
      this.write(`${this.stamp(entry.at)}    ${who} updated its tracking comment:`);
      this.write(indent(changed.join("\n")));
      return;
    }
    this.write(`${this.stamp(entry.at)}    ${who} ${entry.text}`);
    if (!bot || !entry.detail) return;
    if (entry.about?.startsWith("comment")) {
      this.write(indent(visibleLines(entry.detail).join("\n").trim()));
    } else if (entry.about?.startsWith("check-run") && /: (✅|❌)/.test(entry.text)) {
      // The check run's page, when it reaches a verdict.
      this.write(indent(entry.detail.trim()));
    }
  }

  /** A JSON log line of the app: its decision for a delivery, or a warning. */
  appLog(line: string): void {
    let record: {
      level?: number;
      msg?: string;
      decision?: string;
      requests?: number;
      counted?: number;
    };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      this.write(dim(`         app: ${line}`));
      return;
    }
    if (record.decision !== undefined && record.msg) {
      this.write(
        dim(
          `${this.stamp()}      ↳ hotfix-bot decided: ${record.msg}${cost(record.requests, record.counted)}`,
        ),
      );
    } else if ((record.level ?? 0) >= 40 && record.msg) {
      this.write(red(`${this.stamp()}      ! hotfix-bot: ${record.msg}`));
    }
  }
}

/** " (7 API requests, 3 counted)": a 304 answer is sent but not counted against the rate limit. */
function cost(requests: number | undefined, counted: number | undefined): string {
  if (requests === undefined) return "";
  if (counted === undefined || counted === requests) return ` (${requests} API requests)`;
  return ` (${requests} API requests, ${counted} counted)`;
}
