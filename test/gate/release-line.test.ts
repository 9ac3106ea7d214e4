/**
 * The `Release line` requirement of `concurrency: one_per_line`, table-tested as the pure
 * function it is: whom a hotfix waits for, its place in line, and when it does not wait.
 */
import { describe, expect, it } from "@jest/globals";
import { ordinal, releaseLineFree } from "../../src/gate/requirements/release-line.js";
import type { LineSnapshot } from "../../src/line/snapshot.js";

const line = (overrides: Partial<LineSnapshot> = {}): LineSnapshot => ({
  base: "release/1.4",
  releasing: [],
  open: [],
  ...overrides,
});
const open = (number: number) => ({ number, merged: false });
const ONE_AT_A_TIME = "`release/1.4` releases one hotfix at a time (`concurrency: one_per_line`)";

describe("releaseLineFree", () => {
  it("is absent when the policy releases a line's hotfixes in parallel", () => {
    expect(releaseLineFree(open(7), null)).toBeNull();
  });

  it.each<[string, { number: number; merged: boolean }, Partial<LineSnapshot>, object]>([
    [
      "a free line: met",
      open(7),
      { open: [7] },
      { state: "met", reason: "no other hotfix is being released on `release/1.4`" },
    ],
    [
      "a free line with an earlier open hotfix: met, and says so",
      open(7),
      { open: [5, 7] },
      {
        state: "met",
        details: [
          "also waiting on this line, opened earlier: #5 — the first one released takes the line",
        ],
      },
    ],
    [
      "one hotfix being released: waits for it, 2nd in line",
      open(7),
      { releasing: [{ pr: 12, what: "deploying v1.4.3 to production" }], open: [7] },
      {
        state: "waiting",
        reason: `waits for #12 (\`release/1.4\`: deploying v1.4.3 to production); 2nd in line — ${ONE_AT_A_TIME}`,
      },
    ],
    [
      "being released plus an earlier open one: 3rd in line",
      open(9),
      { releasing: [{ pr: 12, what: "deploying v1.4.3 to staging" }], open: [7, 9, 10] },
      {
        state: "waiting",
        reason: `waits for #12 (\`release/1.4\`: deploying v1.4.3 to staging); 3rd in line — ${ONE_AT_A_TIME}`,
        details: ["also ahead, opened earlier: #7"],
      },
    ],
    [
      "two being released: waits for both",
      open(20),
      {
        releasing: [
          { pr: 12, what: "v1.4.3 in production, monitoring until 2026-11-26 11:03 UTC" },
          { pr: 15, what: "merged as 99471ef, not released yet" },
        ],
        open: [20],
      },
      {
        state: "waiting",
        reason: `waits for #12 (\`release/1.4\`: v1.4.3 in production, monitoring until 2026-11-26 11:03 UTC) and #15 (merged as 99471ef, not released yet); 3rd in line — ${ONE_AT_A_TIME}`,
      },
    ],
    [
      "a merged hotfix waits only for those ahead of it, not for itself",
      { number: 15, merged: true },
      {
        releasing: [
          { pr: 12, what: "deploying v1.4.3 to production" },
          { pr: 15, what: "merged as 99471ef, not released yet" },
          { pr: 16, what: "merged as 1234567, not released yet" },
        ],
        open: [20],
      },
      {
        state: "waiting",
        reason: `waits for #12 (\`release/1.4\`: deploying v1.4.3 to production); 2nd in line — ${ONE_AT_A_TIME}`,
      },
    ],
    [
      "the first merged hotfix is not held by one merged after it",
      { number: 15, merged: true },
      {
        releasing: [
          { pr: 15, what: "merged as 99471ef, not released yet" },
          { pr: 16, what: "merged as 1234567, not released yet" },
        ],
      },
      { state: "met" },
    ],
    [
      "the hotfix of the line's latest release does not wait for itself",
      { number: 12, merged: true },
      { releasing: [{ pr: 12, what: "tagged v1.4.3, not published yet" }] },
      { state: "met" },
    ],
    [
      "a merged hotfix no release will take (not among those being released) waits for all of them",
      { number: 30, merged: true },
      { releasing: [{ pr: 12, what: "deploying v1.4.3 to staging" }], open: [5] },
      { state: "waiting", reason: expect.stringContaining("waits for #12") },
    ],
  ])("%s", (_name, pull, snapshot, expected) => {
    expect(releaseLineFree(pull, line(snapshot))).toMatchObject({
      id: "release-line",
      title: "Release line",
      ...expected,
    });
  });
});

describe("ordinal", () => {
  it.each([
    [1, "1st"],
    [2, "2nd"],
    [3, "3rd"],
    [4, "4th"],
    [11, "11th"],
    [12, "12th"],
    [13, "13th"],
    [21, "21st"],
    [22, "22nd"],
    [101, "101st"],
    [111, "111th"],
  ])("%i → %s", (n, text) => {
    expect(ordinal(n)).toBe(text);
  });
});
