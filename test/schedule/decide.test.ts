/**
 * The schedule decision as a pure function: windows across daylight-saving changes in two time
 * zones (a fixed offset would be an hour off on each side of a change), date freezes in the
 * schedule's zone, freeze issues and their `branch:` lines, and per-line windows.
 */
import { describe, expect, it } from "@jest/globals";
import { decideSchedule, type ScheduleDecision } from "../../src/schedule/decide.js";
import type { FreezeIssue } from "../../src/schedule/freeze-issue.js";
import { policySchema, type PolicyInput } from "../../src/policy/schema.js";

const scheduleOf = (input: NonNullable<PolicyInput["schedule"]>) =>
  policySchema.parse({ schedule: input }).schedule;

const decide = (
  input: NonNullable<PolicyInput["schedule"]>,
  at: string,
  base = "release/1.4",
  freezeIssues: FreezeIssue[] = [],
): ScheduleDecision => decideSchedule(scheduleOf(input), { base, now: new Date(at), freezeIssues });

const BERLIN = {
  timezone: "Europe/Berlin",
  windows: [{ days: ["mon-thu"], hours: "09:00-16:00" }],
};
const NEW_YORK = {
  windows: [{ days: ["mon-fri"], hours: "09:00-17:00", timezone: "America/New_York" }],
};

/** What a test compares: open or not, and when it opens next (UTC) and how that is said. */
const shape = (d: ScheduleDecision) =>
  d.open
    ? { open: true }
    : { open: false, cause: d.cause, opensAt: d.opensAt, opensText: d.opensText };

describe("release windows across daylight-saving changes", () => {
  it.each([
    // Europe/Berlin: CET (+01:00) until 2026-03-29 02:00, CEST (+02:00) until 2026-10-25 03:00.
    ["Berlin, Wed 10:00 CET", BERLIN, "2026-03-25T09:00:00Z", { open: true }],
    [
      "Berlin, Wed 08:59 CET",
      BERLIN,
      "2026-03-25T07:59:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-03-25T08:00:00.000Z",
        opensText: "Wed 09:00 Europe/Berlin",
      },
    ],
    [
      "Berlin, Thu 16:00 CET (the end is not inside)",
      BERLIN,
      "2026-03-26T15:00:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-03-30T07:00:00.000Z",
        opensText: "Mon 09:00 Europe/Berlin",
      },
    ],
    [
      "Berlin, Mon 09:30 CEST, the day after the change (08:30 at +01:00)",
      BERLIN,
      "2026-03-30T07:30:00Z",
      { open: true },
    ],
    [
      "Berlin, Mon 16:30 CEST (15:30 at +01:00)",
      BERLIN,
      "2026-03-30T14:30:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-03-31T07:00:00.000Z",
        opensText: "Tue 09:00 Europe/Berlin",
      },
    ],
    [
      "Berlin, Thu before the autumn change, 16:00 CEST",
      BERLIN,
      "2026-10-22T14:00:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-10-26T08:00:00.000Z",
        opensText: "Mon 09:00 Europe/Berlin",
      },
    ],
    [
      "Berlin, Mon 08:30 CET after the change (09:30 at +02:00)",
      BERLIN,
      "2026-10-26T07:30:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-10-26T08:00:00.000Z",
        opensText: "Mon 09:00 Europe/Berlin",
      },
    ],
    // America/New_York: EST (-05:00) until 2026-03-08 02:00, EDT (-04:00) until 2026-11-01 02:00.
    [
      "New York, Fri 17:00 EST",
      NEW_YORK,
      "2026-03-06T22:00:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-03-09T13:00:00.000Z",
        opensText: "Mon 09:00 America/New_York",
      },
    ],
    ["New York, Mon 09:30 EDT (08:30 at -05:00)", NEW_YORK, "2026-03-09T13:30:00Z", { open: true }],
    ["New York, Mon 16:30 EDT (17:30 at -05:00)", NEW_YORK, "2026-03-09T20:30:00Z", { open: true }],
    [
      "New York, Fri 17:30 EDT",
      NEW_YORK,
      "2026-10-30T21:30:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-11-02T14:00:00.000Z",
        opensText: "Mon 09:00 America/New_York",
      },
    ],
    [
      "New York, Mon 08:30 EST after the change (09:30 at -04:00)",
      NEW_YORK,
      "2026-11-02T13:30:00Z",
      {
        open: false,
        cause: "window",
        opensAt: "2026-11-02T14:00:00.000Z",
        opensText: "Mon 09:00 America/New_York",
      },
    ],
  ])("%s", (_name, schedule, at, expected) => {
    expect(shape(decide(schedule, at))).toEqual(expected);
  });

  it("a window starting in the hour the spring change skips opens when the clock gets there", () => {
    // 02:30 does not exist in Berlin on 2026-03-29: the clock jumps from 02:00 to 03:00.
    const sunday = {
      timezone: "Europe/Berlin",
      windows: [{ days: ["sun"], hours: "02:30-04:00" }],
    };
    expect(shape(decide(sunday, "2026-03-28T12:00:00Z"))).toEqual({
      open: false,
      cause: "window",
      opensAt: "2026-03-29T01:30:00.000Z",
      opensText: "Sun 03:30 Europe/Berlin",
    });
    expect(decide(sunday, "2026-03-29T01:45:00Z").open).toBe(true);
  });

  it("says which windows apply, and that it is open inside one", () => {
    const closed = decide(BERLIN, "2026-03-26T15:00:00Z");
    expect(closed.reason).toBe(
      "release window opens Mon 09:00 Europe/Berlin (release windows for `release/1.4`: Mon–Thu 09:00–16:00 Europe/Berlin)",
    );
    expect(decide(BERLIN, "2026-03-25T09:00:00Z").reason).toBe(
      "inside the release window (Mon–Thu 09:00–16:00 Europe/Berlin)",
    );
  });

  it("any window of several counts; the next opening is the nearest, said in its own zone", () => {
    const two = {
      timezone: "Europe/Berlin",
      windows: [
        { days: ["mon", "wed"], hours: "09:00-12:00" },
        { days: ["tue"], hours: "14:00-15:00", timezone: "America/New_York" },
      ],
    };
    expect(decide(two, "2026-06-03T08:00:00Z").open).toBe(true); // Wed 10:00 Berlin
    expect(shape(decide(two, "2026-06-01T11:00:00Z"))).toEqual({
      open: false,
      cause: "window",
      opensAt: "2026-06-02T18:00:00.000Z",
      opensText: "Tue 14:00 America/New_York",
    });
  });

  it("no schedule: open at any time", () => {
    expect(decide({}, "2026-12-25T03:00:00Z")).toEqual({
      open: true,
      reason: "no freeze: hotfixes may be released at any time",
    });
  });
});

describe("freezes by date", () => {
  const HOLIDAY = {
    timezone: "Europe/Berlin",
    freezes: [{ from: "2026-12-21", until: "2027-01-04", reason: "holiday freeze" }],
  };

  it("freezes from the start of `from` to the start of `until`, in the schedule's zone", () => {
    expect(decide(HOLIDAY, "2026-12-20T22:59:00Z").open).toBe(true); // 23:59 on the 20th in Berlin
    expect(decide(HOLIDAY, "2026-12-20T23:00:00Z")).toEqual({
      open: false,
      cause: "freeze",
      reason: "frozen until 2027-01-04: holiday freeze",
      opensAt: "2027-01-03T23:00:00.000Z",
      opensText: "Mon 2027-01-04 00:00 Europe/Berlin",
    });
    expect(decide(HOLIDAY, "2027-01-03T23:00:00Z").open).toBe(true);
  });

  it("with windows, releases resume at the first window after the freeze", () => {
    const decision = decide(
      { ...HOLIDAY, windows: [{ days: ["mon-thu"], hours: "09:00-16:00" }] },
      "2026-12-24T12:00:00Z",
    );
    expect(decision).toEqual({
      open: false,
      cause: "freeze",
      reason:
        "frozen until 2027-01-04: holiday freeze; releases resume Mon 2027-01-04 09:00 Europe/Berlin",
      opensAt: "2027-01-04T08:00:00.000Z",
      opensText: "Mon 2027-01-04 09:00 Europe/Berlin",
    });
  });

  it("outside the window, an opening that falls in a freeze is no opening", () => {
    const decision = decide(
      { ...HOLIDAY, windows: [{ days: ["mon-thu"], hours: "09:00-16:00" }] },
      "2026-12-17T16:00:00Z", // Thu 17:00: the next Monday is frozen
    );
    expect(decision.open).toBe(false);
    expect(decision.open ? null : decision.opensAt).toBe("2027-01-04T08:00:00.000Z");
    expect(decision.reason).toMatch(
      /^release window opens Mon 2027-01-04 09:00 Europe\/Berlin, after the freeze until 2027-01-04 \(holiday freeze\)/,
    );
  });

  it("a freeze that starts when another ends carries on; a time in `until` is said with its zone", () => {
    const decision = decide(
      {
        timezone: "America/New_York",
        freezes: [
          { from: "2026-11-25", until: "2026-11-27T12:00", reason: "Thanksgiving" },
          { from: "2026-11-27T12:00", until: "2026-11-30", reason: "Black Friday traffic" },
        ],
      },
      "2026-11-26T15:00:00Z",
    );
    expect(decision).toMatchObject({
      open: false,
      cause: "freeze",
      reason:
        "frozen until 2026-11-27 12:00 America/New_York: Thanksgiving; releases resume Mon 00:00 America/New_York",
      opensAt: "2026-11-30T05:00:00.000Z",
    });
  });

  it("a freeze with `branches` freezes only those lines", () => {
    const only13 = {
      freezes: [
        {
          from: "2026-12-21",
          until: "2027-01-04",
          reason: "1.3 end of life",
          branches: ["release/1.3"],
        },
      ],
    };
    expect(decide(only13, "2026-12-24T12:00:00Z", "release/1.4").open).toBe(true);
    expect(decide(only13, "2026-12-24T12:00:00Z", "release/1.3").open).toBe(false);
  });
});

describe("freezes by an open issue", () => {
  const LABELLED = { freeze_labels: ["release-freeze"] };
  const issue = (body: string): FreezeIssue => ({
    number: 123,
    title: "Holiday freeze",
    url: "https://github.com/acme/shop/issues/123",
    body,
  });

  it("an issue without a `branch:` line freezes every line, with no known end", () => {
    expect(
      decide(LABELLED, "2026-06-03T08:00:00Z", "main", [issue("No releases, please.")]),
    ).toEqual({
      open: false,
      cause: "freeze",
      reason: "frozen by #123 (Holiday freeze) until the issue is closed",
      opensAt: null,
      opensText: null,
    });
  });

  it.each([
    ["branch: release/1.3", "release/1.4", true],
    ["branch: release/1.3", "release/1.3", false],
    ["Freezing the old line.\n\nbranch: `release/1.*`\n", "release/1.3", false],
    ["branch: release/1.3, release/1.2", "release/1.2", false],
    ["branch: release/1.3\r\nBranch: main", "main", false],
    ["branch: release/1.3\r\nBranch: main", "release/1.4", true],
  ])("%j on %s: open %s", (body, base, open) => {
    expect(decide(LABELLED, "2026-06-03T08:00:00Z", base, [issue(body)]).open).toBe(open);
  });

  it.each([
    ["branch: release 1.4", /“?`branch: release 1\.4`.*contain no spaces/],
    ["branch:", /`branch:` could not be read \(it names no branch\)/],
    ["branch: release/[1.4", /unclosed/],
  ])("an unreadable %j freezes every line and says so", (body, message) => {
    const decision = decide(LABELLED, "2026-06-03T08:00:00Z", "release/1.4", [issue(body)]);
    expect(decision.open).toBe(false);
    expect(decision.reason).toMatch(message);
    expect(decision.reason).toContain("so it freezes every line; fix it to `branch: <name>`");
  });

  it("inside a window an open freeze issue still freezes", () => {
    const decision = decide({ ...BERLIN, ...LABELLED }, "2026-03-25T09:00:00Z", "main", [
      issue(""),
    ]);
    expect(decision).toMatchObject({ open: false, cause: "freeze", opensAt: null });
  });
});

describe("per-line windows", () => {
  const LINES = {
    timezone: "Europe/Berlin",
    windows: [
      { days: ["mon-fri"], hours: "09:00-17:00" },
      { days: ["tue"], hours: "10:00-12:00", branches: ["release/1.3"] },
    ],
  };
  const MONDAY_10 = "2026-06-01T08:00:00Z";

  it.each([
    ["release/1.4", true],
    ["main", true],
    ["release/1.3", false],
  ])("Monday 10:00 on %s: open %s", (base, open) => {
    expect(decide(LINES, MONDAY_10, base).open).toBe(open);
  });

  it("a line with windows of its own follows only those", () => {
    expect(shape(decide(LINES, MONDAY_10, "release/1.3"))).toMatchObject({
      opensText: "Tue 10:00 Europe/Berlin",
    });
    expect(decide(LINES, "2026-06-02T08:30:00Z", "release/1.3").open).toBe(true);
    expect(decide(LINES, "2026-06-02T10:30:00Z", "release/1.3").open).toBe(false); // Tue 12:30
  });

  it("a base no window applies to may be released at any time, and the reason says so", () => {
    const scopedOnly = {
      windows: [{ days: ["tue"], hours: "10:00-12:00", branches: ["release/1.3"] }],
    };
    expect(decide(scopedOnly, "2026-06-06T03:00:00Z", "release/1.4")).toEqual({
      open: true,
      reason:
        "no freeze, and no release window applies to `release/1.4`: hotfixes may be released at any time",
    });
  });
});
