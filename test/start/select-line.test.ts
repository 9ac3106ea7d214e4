import { describe, it, expect } from "@jest/globals";
import { affectedVersion, chooseLine, type LineChoice } from "../../src/start/select-line.js";

const BRANCHES = ["main", "release/1.3", "release/1.4", "release/2.x", "hotfix/x", "release/next"];
const LINES = ["release/{major}.{minor}", "release/{major}.x"];

function choose(argument: string | null, issueBody = "", branches = BRANCHES): LineChoice {
  return chooseLine({ argument, issueBody, branches, lineTemplates: LINES, tagPrefix: "v" });
}

describe("chooseLine: the argument", () => {
  const cases: Array<[string, string]> = [
    ["1.4", "release/1.4"],
    ["1.4.x", "release/1.4"],
    ["v1.4.2", "release/1.4"],
    ["1.4.2", "release/1.4"],
    ["release/1.4", "release/1.4"],
    ["release/1.3", "release/1.3"],
    ["1.3.0-rc.1", "release/1.3"],
    ["2", "release/2.x"],
    ["2.x", "release/2.x"],
    ["2.7.1", "release/2.x"],
    ["release/2.x", "release/2.x"],
  ];
  it.each(cases)("%j → %s", (argument, branch) => {
    expect(choose(argument)).toMatchObject({ kind: "line", branch, source: "argument" });
  });

  const unknown = ["1.5", "v3.0.1", "release/1.5", "main", "banana", "1.4.2.9", "x"];
  it.each(unknown)("%j names no maintained line: refused with the list", (argument) => {
    const choice = choose(argument);
    expect(choice.kind).toBe("unknown");
    expect(choice.kind !== "line" && choice.message).toContain(
      "maintained lines: `release/2.x`, `release/1.4`, `release/1.3`",
    );
  });

  it("the argument wins over the issue's version", () => {
    expect(choose("1.3", "Version: 1.4.2")).toMatchObject({ branch: "release/1.3" });
  });

  it("a line with a minor is preferred to the major's .x line", () => {
    expect(choose("1.4", "", ["release/1.x", "release/1.4"])).toMatchObject({
      branch: "release/1.4",
    });
    expect(choose("1.5", "", ["release/1.x", "release/1.4"])).toMatchObject({
      branch: "release/1.x",
    });
  });

  it("a custom tag prefix is stripped", () => {
    expect(
      chooseLine({
        argument: "shop-1.4.2",
        issueBody: "",
        branches: BRANCHES,
        lineTemplates: LINES,
        tagPrefix: "shop-",
      }),
    ).toMatchObject({ kind: "line", branch: "release/1.4" });
  });
});

describe("chooseLine: the issue", () => {
  const form = (label: string, value: string) =>
    `### What happened?\n\nIt crashes.\n\n### ${label}\n\n${value}\n\n### Logs\n\n_No response_`;
  const cases: Array<[string, string, string | null]> = [
    ["issue form: Affected version", form("Affected version", "1.4.2"), "release/1.4"],
    ["issue form: Version", form("Version", "v1.3.1"), "release/1.3"],
    ["issue form: unanswered", form("Affected version", "_No response_"), null],
    ["a Version: line", "Steps: reload.\nVersion: 1.4.2\n", "release/1.4"],
    ["an affected version line in bold", "- **Affected version:** `v1.4.0`", "release/1.4"],
    ["lowercase", "version: 2.1.0 on Chrome", "release/2.x"],
    ["no version", "It crashes when I reload.", null],
    ["a version on no line", "Version: 0.9.1", null],
    ["a version mid-sentence does not count", "We saw it after version 1.4.2 shipped", null],
  ];
  it.each(cases)("%s", (_name, body, branch) => {
    const choice = choose(null, body);
    if (branch) expect(choice).toMatchObject({ kind: "line", branch, source: "issue" });
    else {
      expect(choice.kind).toBe("ask");
      expect(choice.kind === "ask" && choice.message).toContain("maintained lines:");
    }
  });

  it("asking names the version the issue gave", () => {
    expect(choose(null, "Version: 0.9.1")).toMatchObject({
      kind: "ask",
      message: expect.stringContaining("names version `0.9.1`, which is on no maintained line"),
    });
  });

  it("with no line branch at all, says so", () => {
    expect(choose(null, "", ["main"])).toMatchObject({
      kind: "ask",
      message: expect.stringContaining("has no release line branch"),
    });
  });

  it.each([
    ["Version:\n1.4.2", null],
    ["Affected versions: 1.4.1, 1.4.2", "1.4.1"],
    ["### Version\r\n\r\n1.4.2", "1.4.2"],
  ])("affectedVersion(%j) = %j", (body, expected) => {
    expect(affectedVersion(body)).toBe(expected);
  });
});
