import { describe, expect, it } from "@jest/globals";
import { judgeWindow, type WindowFacts } from "../../src/record/window.js";
import type { DeploymentStatus } from "../../src/github/port/deployments.js";
import type { CheckRun, CommitStatus } from "../../src/github/model.js";

const LIVE = "2026-11-26T10:00:00Z";
const at = (minutes: number) => new Date(Date.parse(LIVE) + minutes * 60_000).toISOString();

let id = 1;
const status = (
  state: DeploymentStatus["state"],
  minutes: number,
  description = "",
): DeploymentStatus => ({
  id: id++,
  state,
  description,
  url: `https://ci.example/${id}`,
  createdAt: at(minutes),
});
const run = (
  name: string,
  conclusion: string,
  startedMinutes: number,
  appId = 29310,
): CheckRun => ({
  id: id++,
  name,
  status: "completed",
  conclusion,
  url: `https://github.com/o/r/runs/${id}`,
  appId,
  appSlug: "ci",
  startedAt: at(startedMinutes),
  output: { title: null, summary: null },
});
const commitStatus = (
  context: string,
  state: CommitStatus["state"],
  minutes: number,
): CommitStatus => ({
  context,
  state,
  url: "https://ci.example/s",
  creator: "ci",
  updatedAt: at(minutes),
});

function facts(overrides: Partial<WindowFacts> = {}): WindowFacts {
  return {
    now: new Date(at(30)),
    minutes: 60,
    signals: { checks: ["smoke*"], labels: ["regression"] },
    statuses: [status("in_progress", -5), status("success", 0)],
    checkRuns: [],
    commitStatuses: [],
    issues: [],
    ownAppId: 123,
    ...overrides,
  };
}

describe("judgeWindow", () => {
  it("has not started before production's first success", () => {
    expect(judgeWindow(facts({ statuses: [status("in_progress", 0)] }))).toEqual({
      state: "not-started",
    });
  });

  it("is open until minutes after the first success, then closes clean", () => {
    expect(judgeWindow(facts())).toEqual({ state: "open", opensAt: at(0), closesAt: at(60) });
    expect(judgeWindow(facts({ now: new Date(at(61)) }))).toEqual({
      state: "clean",
      opensAt: at(0),
      closesAt: at(60),
      endedAt: at(60),
      reason: "no failure signal in 60 minutes",
    });
  });

  it("closes at once with minutes: 0", () => {
    expect(judgeWindow(facts({ minutes: 0, now: new Date(at(0)) }))).toMatchObject({
      state: "clean",
      endedAt: at(0),
    });
  });

  it("ends early, clean, when a newer deployment replaced this one", () => {
    const verdict = judgeWindow(
      facts({ statuses: [status("success", 0), status("inactive", 20)] }),
    );
    expect(verdict).toMatchObject({
      state: "clean",
      endedAt: at(20),
      reason: "a newer deployment replaced it on production before the window ended",
    });
  });

  it.each([
    [
      "a production failure",
      { statuses: [status("success", 0), status("failure", 10, "500s")] },
      "the production deployment reported failure: 500s",
      at(10),
    ],
    [
      "a production error",
      { statuses: [status("success", 0), status("error", 5)] },
      "the production deployment reported error",
      at(5),
    ],
    [
      "a failing smoke check",
      { checkRuns: [run("smoke (eu)", "failure", 12)] },
      "check run `smoke (eu)` ended failure",
      at(12),
    ],
    [
      "a timed-out smoke check",
      { checkRuns: [run("smoke", "timed_out", 3)] },
      "check run `smoke` ended timed_out",
      at(3),
    ],
    [
      "a failing status",
      { commitStatuses: [commitStatus("smoke-prod", "error", 7)] },
      "commit status `smoke-prod` is error",
      at(7),
    ],
    [
      "an issue labelled regression",
      {
        issues: [
          { number: 9, title: "Broken", url: "u", createdAt: at(25), labels: ["Regression"] },
        ],
      },
      'issue #9 "Broken" was opened with the label `Regression`',
      at(25),
    ],
  ] as const)("fails on %s inside the window", (_, overrides, what, when) => {
    const verdict = judgeWindow(facts(overrides as Partial<WindowFacts>));
    expect(verdict).toMatchObject({ state: "failed", signal: { what, at: when } });
  });

  it.each([
    [
      "a check that started before production went live",
      { checkRuns: [run("smoke", "failure", -2)] },
    ],
    ["a check that is not a signal", { checkRuns: [run("lint", "failure", 5)] }],
    ["a cancelled smoke check", { checkRuns: [run("smoke", "cancelled", 5)] }],
    ["this app's own check", { checkRuns: [run("smoke", "failure", 5, 123)] }],
    ["a passing status", { commitStatuses: [commitStatus("smoke", "success", 5)] }],
    [
      "a staging-era failure before the success",
      { statuses: [status("failure", -10), status("success", 0)] },
    ],
    [
      "an issue opened after the window",
      { issues: [{ number: 9, title: "x", url: "u", createdAt: at(61), labels: ["regression"] }] },
    ],
    [
      "an issue with another label",
      { issues: [{ number: 9, title: "x", url: "u", createdAt: at(5), labels: ["question"] }] },
    ],
  ] as const)("ignores %s", (_, overrides) => {
    expect(
      judgeWindow(facts({ now: new Date(at(90)), ...(overrides as Partial<WindowFacts>) })),
    ).toMatchObject({ state: "clean" });
  });

  it("reports the earliest signal when there are several", () => {
    const verdict = judgeWindow(
      facts({
        statuses: [status("success", 0), status("failure", 40)],
        checkRuns: [run("smoke", "failure", 15)],
      }),
    );
    expect(verdict).toMatchObject({ state: "failed", signal: { at: at(15) } });
  });

  it("counts signals up to a replacement, not after", () => {
    const verdict = judgeWindow(
      facts({
        now: new Date(at(90)),
        statuses: [status("success", 0), status("inactive", 10)],
        checkRuns: [run("smoke", "failure", 20)],
      }),
    );
    expect(verdict).toMatchObject({ state: "clean", endedAt: at(10) });
  });
});
