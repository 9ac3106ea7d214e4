import { describe, it, expect } from "@jest/globals";
import { formatDuration, restoreLine, restoreTimes } from "../../src/record/restore.js";
import type { HotfixRecord } from "../../src/record/schema.js";
import { emptyStored } from "../../src/record/schema.js";

describe("formatDuration", () => {
  const cases: Array<[number, string]> = [
    [0, "0 s"],
    [59.4, "59 s"],
    [60, "1 min"],
    [59 * 60 + 59, "59 min"],
    [3600, "1 h"],
    [3 * 3600 + 12 * 60 + 30, "3 h 12 min"],
    [23 * 3600 + 59 * 60, "23 h 59 min"],
    [24 * 3600, "1 d"],
    [2 * 86400 + 3 * 3600 + 59 * 60, "2 d 3 h"],
  ];
  it.each(cases)("%d s → %s", (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

const OPENED = "2026-11-27T09:00:00Z";
const status = (state: "success" | "in_progress", at: string) => ({
  id: 1,
  state,
  description: "",
  url: null,
  createdAt: at,
});
const deployment = (statuses: ReturnType<typeof status>[]) => ({
  id: 9,
  ref: "v1.4.3",
  sha: "a".repeat(40),
  environment: "production",
  createdAt: OPENED,
  hotfix: {
    pr: 2,
    version: "1.4.3",
    tag: "v1.4.3",
    stage: "production" as const,
    requested_by: "",
  },
  statuses,
});

function record(parts: {
  incident?: boolean;
  released?: string;
  tagged?: boolean;
  production?: ReturnType<typeof status>[];
  closed?: string;
}): HotfixRecord {
  return {
    pr: 2,
    url: "https://github.com/acme/shop/pull/2",
    title: "Fix",
    base: "release/1.4",
    author: "dana",
    merged: { sha: "a".repeat(40) },
    tag:
      parts.tagged === false
        ? null
        : { name: "v1.4.3", version: "1.4.3", commitSha: "a".repeat(40) },
    release: null,
    backports: [],
    deploy: parts.production
      ? {
          kind: "on",
          environments: { staging: "staging", production: "production" },
          promote: "auto",
          requiredContexts: [],
          monitorMinutes: 60,
          watching: "",
          staging: null,
          production: deployment(parts.production),
          window: null,
          rollback: null,
          revertPull: null,
        }
      : { kind: "off" },
    notices: [],
    stored: {
      ...emptyStored(),
      ...(parts.incident === false ? {} : { incident: { issue: 1, openedAt: OPENED } }),
      ...(parts.released
        ? { release: { by: "mia", at: parts.released, headSha: "b".repeat(40) } }
        : {}),
      ...(parts.closed
        ? { window: { state: "clean" as const, at: parts.closed, what: "60 min", link: null } }
        : {}),
    },
  };
}

describe("restoreTimes and the tracking comment's line", () => {
  const cases: Array<[string, Parameters<typeof record>[0], string | null]> = [
    ["no linked issue", { incident: false, released: "2026-11-27T12:12:00Z" }, null],
    ["not released yet", {}, null],
    [
      "released but the tag not on GitHub (yet)",
      { released: "2026-11-27T12:12:00Z", tagged: false },
      null,
    ],
    [
      "released",
      { released: "2026-11-27T12:12:00Z" },
      "⏱️ Time to restore: released 3 h 12 min after the report (#1).",
    ],
    [
      "production still rolling out does not count",
      {
        released: "2026-11-27T12:12:00Z",
        production: [status("in_progress", "2026-11-27T12:20:00Z")],
      },
      "⏱️ Time to restore: released 3 h 12 min after the report (#1).",
    ],
    [
      "production's first success, then the window",
      {
        released: "2026-11-27T12:12:00Z",
        // Newest first, as GitHub lists them: the first success counts.
        production: [
          status("success", "2026-11-27T13:00:00Z"),
          status("success", "2026-11-27T12:40:00Z"),
        ],
        closed: "2026-11-27T13:40:00Z",
      },
      "⏱️ Time to restore: released 3 h 12 min after the report (#1) · restored in production 3 h 40 min after it · window closed 4 h 40 min after it.",
    ],
  ];
  it.each(cases)("%s", (_name, parts, line) => {
    expect(restoreLine(restoreTimes(record(parts)))).toBe(line);
  });

  it("gives the figures in seconds", () => {
    expect(
      restoreTimes(
        record({
          released: "2026-11-27T10:00:00Z",
          production: [status("success", "2026-11-27T11:00:00Z")],
        }),
      ),
    ).toEqual({
      issue: 1,
      openedAt: OPENED,
      toRelease: 3600,
      toProduction: 7200,
      toWindowClose: null,
    });
  });
});
