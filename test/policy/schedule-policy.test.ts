/**
 * The `schedule:` section as an admin writes it: the defaults release at any time, and every bad
 * value — an unknown time zone, an inverted or overlapping window, a freeze without an end, an
 * override rule naming no one — makes the policy invalid with the key path and the line.
 */
import { describe, expect, it } from "@jest/globals";
import { parseLayer, validateLayers, type PolicyProblem } from "../../src/policy/parse.js";

const FILE = "acme/shop:.github/hotfix.yml";

function problemsOf(text: string): PolicyProblem[] {
  const layer = parseLayer(text, FILE);
  if (!layer.ok) return layer.problems;
  const result = validateLayers([layer.value]);
  return result.ok ? [] : result.problems;
}

function scheduleOf(text: string) {
  const layer = parseLayer(text, FILE);
  if (!layer.ok) throw new Error(JSON.stringify(layer.problems));
  const result = validateLayers([layer.value]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value.schedule;
}

describe("the schedule section", () => {
  it("defaults to no windows, no freezes, no override: release at any time", () => {
    expect(scheduleOf("")).toEqual({
      timezone: "UTC",
      windows: [],
      freezes: [],
      freeze_labels: [],
      outside_window: "refuse",
    });
  });

  it("reads a full section as written (dates and hours stay text: YAML 1.2 reads no timestamps)", () => {
    expect(
      scheduleOf(
        [
          "schedule:",
          "  timezone: Europe/Berlin",
          "  windows:",
          "    - { days: [mon-thu], hours: 09:00-16:00 }",
          "    - { days: [tue], hours: 10:00-12:00, timezone: America/New_York, branches: [release/1.3] }",
          "  freezes:",
          "    - { from: 2026-12-21, until: 2027-01-04, reason: holiday freeze }",
          "  freeze_labels: [release-freeze]",
          "  override: { teams: [acme/oncall], permission: admin }",
          "  outside_window: queue",
          "",
        ].join("\n"),
      ),
    ).toEqual({
      timezone: "Europe/Berlin",
      windows: [
        { days: ["mon-thu"], hours: "09:00-16:00" },
        {
          days: ["tue"],
          hours: "10:00-12:00",
          timezone: "America/New_York",
          branches: ["release/1.3"],
        },
      ],
      freezes: [{ from: "2026-12-21", until: "2027-01-04", reason: "holiday freeze" }],
      freeze_labels: ["release-freeze"],
      override: { teams: ["acme/oncall"], users: [], permission: "admin" },
      outside_window: "queue",
    });
  });

  it.each([
    [
      "an unknown time zone, with a suggestion",
      "schedule:\n  timezone: Europe/Berln\n",
      {
        path: "schedule.timezone",
        line: 2,
        message: '"Europe/Berln" is not a time zone; did you mean "Europe/Berlin"?',
      },
    ],
    [
      "an unknown time zone far from any",
      "schedule:\n  windows:\n    - { days: [mon], hours: 09:00-10:00, timezone: CET+5 }\n",
      {
        path: "schedule.windows[0].timezone",
        line: 3,
        message: /is not a time zone \(an IANA name/,
      },
    ],
    [
      "an inverted window",
      "schedule:\n  windows:\n    - { days: [mon-thu], hours: 16:00-09:00 }\n",
      { path: "schedule.windows[0].hours", line: 3, message: /ends before it starts/ },
    ],
    [
      "hours that are not hours",
      "schedule:\n  windows:\n    - { days: [mon], hours: 9-16 }\n",
      { path: "schedule.windows[0].hours", line: 3, message: /e\.g\. "09:00-16:00"/ },
    ],
    [
      "a time that does not exist",
      "schedule:\n  windows:\n    - { days: [mon], hours: 09:00-24:30 }\n",
      { path: "schedule.windows[0].hours", line: 3, message: /names a time that does not exist/ },
    ],
    [
      "a weekday range that runs backwards",
      "schedule:\n  windows:\n    - { days: [fri-mon], hours: 09:00-16:00 }\n",
      {
        path: "schedule.windows[0].days[0]",
        line: 3,
        message: /runs backwards.*fri-sun and mon-mon/,
      },
    ],
    [
      "a misspelt weekday",
      "schedule:\n  windows:\n    - { days: [monday], hours: 09:00-16:00 }\n",
      { path: "schedule.windows[0].days[0]", line: 3, message: /"monday" is not a weekday/ },
    ],
    [
      "a window without days",
      "schedule:\n  windows:\n    - { days: [], hours: 09:00-16:00 }\n",
      { path: "schedule.windows[0].days", line: 3, message: /at least one weekday/ },
    ],
    [
      "two windows that overlap",
      "schedule:\n  windows:\n    - { days: [mon-thu], hours: 09:00-16:00 }\n    - { days: [thu, fri], hours: 15:00-17:00 }\n",
      {
        path: "schedule.windows[1]",
        line: 4,
        message:
          "overlaps windows[0] on Thu 15:00-16:00 (same time zone and branches): merge the two, or make them disjoint",
      },
    ],
    [
      "a freeze without an end",
      "schedule:\n  freezes:\n    - from: 2026-12-21\n      reason: holiday freeze\n",
      {
        path: "schedule.freezes[0].until",
        line: 3,
        message:
          /^a freeze needs an end \(until: YYYY-MM-DD\); for a freeze without a known end, open an issue/,
      },
    ],
    [
      "a freeze that ends before it starts",
      "schedule:\n  freezes:\n    - { from: 2026-12-21, until: 2026-12-01, reason: x }\n",
      {
        path: "schedule.freezes[0].until",
        line: 3,
        message: "the freeze ends (2026-12-01) before it starts (2026-12-21)",
      },
    ],
    [
      "a date that does not exist",
      "schedule:\n  freezes:\n    - { from: 2026-02-30, until: 2026-03-04, reason: x }\n",
      {
        path: "schedule.freezes[0].from",
        line: 3,
        message: '"2026-02-30" is not a date that exists',
      },
    ],
    [
      "a freeze without a reason",
      "schedule:\n  freezes:\n    - { from: 2026-12-21, until: 2027-01-04, reason: ' ' }\n",
      { path: "schedule.freezes[0].reason", line: 3, message: /say why/ },
    ],
    [
      "an override rule that names no one",
      "schedule:\n  override: { teams: [], users: [] }\n",
      {
        path: "schedule.override",
        line: 2,
        message:
          "an override rule must name someone (teams, users or permission); leave out schedule.override so that no one may override",
      },
    ],
    [
      "an unknown outside_window, with a suggestion",
      "schedule:\n  outside_window: queu\n",
      { path: "schedule.outside_window", line: 2, message: /did you mean "queue"/ },
    ],
    [
      "a misspelt key",
      "schedule:\n  freeze_label: [release-freeze]\n",
      { path: "schedule.freeze_label", line: 2, message: /did you mean "freeze_labels"/ },
    ],
  ])("reports %s with the key path and line", (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    const [problem] = problems as [PolicyProblem];
    expect(problem.path).toBe(expected.path);
    expect(problem.line).toBe(expected.line);
    if (typeof expected.message === "string") expect(problem.message).toBe(expected.message);
    else expect(problem.message).toMatch(expected.message);
  });

  it("windows in other zones or for other branches may share hours", () => {
    expect(
      problemsOf(
        [
          "schedule:",
          "  windows:",
          "    - { days: [mon-thu], hours: 09:00-16:00 }",
          "    - { days: [mon-thu], hours: 09:00-16:00, timezone: America/New_York }",
          "    - { days: [mon-thu], hours: 09:00-16:00, branches: [release/1.3] }",
          "",
        ].join("\n"),
      ),
    ).toEqual([]);
  });
});
