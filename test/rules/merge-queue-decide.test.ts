import { describe, expect, it } from "@jest/globals";
import type { MergeQueueState } from "../../src/github/port/merge-queue.js";
import { decideQueue } from "../../src/merge-queue/decide.js";

const HEAD = "a".repeat(40);
const state = (more: Partial<MergeQueueState> = {}): MergeQueueState => ({
  pullId: "PR_1",
  merged: false,
  mergeCommitSha: null,
  headSha: HEAD,
  entry: null,
  ...more,
});
const entry = { position: 3, state: "QUEUED" as const, enqueuedAt: "2026-11-27T10:00:00Z" };

describe("what the release does about a required merge queue", () => {
  it.each([
    ["no such PR", null, { kind: "missing" }],
    [
      "merged (by the queue or anyone)",
      state({ merged: true, mergeCommitSha: "m".repeat(40) }),
      { kind: "merged", sha: "m".repeat(40) },
    ],
    ["already queued: never enqueued twice", state({ entry }), { kind: "in-queue", position: 3 }],
    [
      "queued even though the head moved: left where it is",
      state({ entry, headSha: "b".repeat(40) }),
      { kind: "in-queue", position: 3 },
    ],
    ["in no queue, on the judged head", state(), { kind: "enqueue", pullId: "PR_1" }],
    [
      "in no queue, head moved since the final check",
      state({ headSha: "b".repeat(40) }),
      { kind: "head-moved", head: "b".repeat(40) },
    ],
  ] as const)("%s", (_name, given, expected) => {
    expect(decideQueue(given, HEAD)).toEqual(expected);
  });
});
