import { describe, it, expect } from "@jest/globals";
import {
  isValidRefName,
  parseLineTemplate,
  parseTagTemplate,
  refNameProblem,
  releaseLineOf,
} from "../../src/versions/tag-template.js";

describe("isValidRefName (git check-ref-format rules)", () => {
  const valid = ["v1.4.3", "release/1.4", "api-v1.2.3+build.5", "a/b/c", "@x", "x@y", "{major}"];
  it.each(valid)("accepts %j", (name) => {
    expect(isValidRefName(name)).toBe(true);
    expect(refNameProblem(name)).toBeNull();
  });

  const invalid: Array<[string, RegExp]> = [
    ["", /empty/],
    ["@", /"@"/],
    ["v 1", /space/],
    ["v1\t", /control character \\x09/],
    ["v1\u007f", /control character \\x7f/],
    ["v~1", /"~"/],
    ["v^1", /"\^"/],
    ["v:1", /":"/],
    ["v?1", /"\?"/],
    ["v*", /"\*"/],
    ["v[1", /"\["/],
    ["v\\1", /"\\"/],
    ["v1..2", /"\.\."/],
    ["v@{1}", /"@\{"/],
    ["-v1", /starts with "-"/],
    ["/v1", /starts or ends with "\/"/],
    ["v1/", /starts or ends with "\/"/],
    ["a//b", /"\/\/"/],
    ["v1.", /ends with "\."/],
    [".v1", /"\.v1" starts with "\."/],
    ["a/.b", /"\.b" starts with "\."/],
    ["v1.lock", /ends with "\.lock"/],
    ["a.lock/b", /"a\.lock" ends with "\.lock"/],
  ];
  it.each(invalid)("rejects %j", (name, reason) => {
    expect(isValidRefName(name)).toBe(false);
    expect(refNameProblem(name)).toMatch(reason);
  });
});

describe("parseTagTemplate", () => {
  const good: Array<[string, string, string]> = [
    ["v{version}", "1.4.3", "v1.4.3"],
    ["{version}", "1.4.3", "1.4.3"],
    ["api-v{version}", "1.4.3", "api-v1.4.3"],
    ["release-{version}-final", "1.4.3-rc.1", "release-1.4.3-rc.1-final"],
    ["releases/v{version}", "2.0.0+build.7", "releases/v2.0.0+build.7"],
    // "@{" is only forbidden in the tag, and {version} is always replaced.
    ["v@{version}", "1.4.3", "v@1.4.3"],
  ];
  it.each(good)("%j makes %s into %s and back", (template, version, tag) => {
    const parsed = parseTagTemplate(template);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.toTag(version)).toBe(tag);
    expect(parsed.versionOf(tag)).toBe(version);
  });

  const bad: Array<[string, RegExp]> = [
    ["", /empty/],
    ["v1.4.3", /no \{version\}/],
    ["v{version}-{version}", /2 times/],
    ["v{Version}", /unknown placeholder \{Version\}; only \{version\} is allowed/],
    ["{major}.{version}", /unknown placeholder \{major\}/],
    ["v{version}}", /unmatched/],
    ["v{{version}", /unmatched/],
    ["v {version}", /"v 1\.2\.3", which git refuses: it contains a space/],
    ["-{version}", /starts with "-"/],
    [".v{version}", /starts with "\."/],
    ["v{version}.", /ends with "\."/],
    ["v{version}.lock", /ends with "\.lock"/],
    ["v{version}/", /ends with "\/"/],
    ["a//{version}", /"\/\/"/],
    ["v..{version}", /"\.\."/],
    ["v~{version}", /"~"/],
    ["v:{version}", /":"/],
    ["v{version}^", /"\^"/],
    ["v\\{version}", /"\\"/],
  ];
  it.each(bad)("rejects %j", (template, reason) => {
    const parsed = parseTagTemplate(template);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  const versionOf: Array<[string, string, string | null]> = [
    ["v{version}", "v1.4.10", "1.4.10"],
    ["v{version}", "v1.4.3+build.5", "1.4.3+build.5"],
    ["v{version}", "v1.4", null],
    ["v{version}", "vv1.4.3", null],
    ["v{version}", "v=1.4.3", null],
    ["v{version}", "v01.4.3", null],
    ["v{version}", "v1.4.3 ", null],
    ["v{version}", "V1.4.3", null],
    ["v{version}", "v", null],
    ["v{version}", "api-v1.4.3", null],
    ["{version}", "v1.4.3", null],
    ["api-v{version}", "v1.4.9", null],
    ["api-v{version}", "api-v1.4.9", "1.4.9"],
    ["release-{version}-final", "release-1.4.3-final", "1.4.3"],
    ["release-{version}-final", "release-1.4.3-rc.1-final", "1.4.3-rc.1"],
    ["release-{version}-final", "release-1.4.3", null],
    // "." and "+" are literal text in a template, not regular-expression operators.
    ["v.{version}", "vX1.4.3", null],
    ["v.{version}", "v.1.4.3", "1.4.3"],
    ["v+{version}", "vv1.4.3", null],
    ["v+{version}", "v+1.4.3", "1.4.3"],
    ["(v){version}", "(v)1.4.3", "1.4.3"],
  ];
  it.each(versionOf)("%j: versionOf(%j) is %j", (template, tag, expected) => {
    const parsed = parseTagTemplate(template);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.versionOf(tag)).toBe(expected);
  });

  it("exposes the literal prefix and suffix", () => {
    const parsed = parseTagTemplate("release-{version}-final");
    expect(parsed).toMatchObject({ ok: true, prefix: "release-", suffix: "-final" });
  });

  it.each(["1.4", "v1.4.3", "", "latest"])("toTag refuses the non-version %j", (version) => {
    const parsed = parseTagTemplate("v{version}");
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(() => parsed.toTag(version)).toThrow(/not a semantic version/);
  });
});

describe("parseLineTemplate", () => {
  const bad: Array<[string, RegExp]> = [
    ["", /empty/],
    ["release/1.4", /\{major\} exactly once \(found 0\)/],
    ["release/{minor}", /\{major\} exactly once/],
    ["release/{major}.{major}", /\{major\} exactly once \(found 2\)/],
    ["release/{major}.{minor}.{minor}", /\{minor\} at most once \(found 2\)/],
    ["release/{major}{minor}", /need text between them/],
    [
      "release/{major}.{patch}",
      /unknown placeholder \{patch\}; only \{major\} and \{minor\} are allowed/,
    ],
    ["release/{major}.*", /"\*"/],
    ["release/{major}.{minor}/", /ends with "\/"/],
    ["release {major}", /space/],
    ["release/{major}.{minor}}", /unmatched/],
  ];
  it.each(bad)("rejects %j", (template, reason) => {
    const parsed = parseLineTemplate(template);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it.each([
    ["release/{major}.{minor}", { major: 1, minor: 4 }, "release/1.4"],
    ["release/{major}.x", { major: 2 }, "release/2.x"],
    ["v{major}.{minor}-maintenance", { major: 3, minor: 0 }, "v3.0-maintenance"],
  ])("%j names the branch of %j: %s", (template, line, branch) => {
    const parsed = parseLineTemplate(template);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.toBranch(line)).toBe(branch);
  });
});

describe("releaseLineOf", () => {
  const defaults = ["release/{major}.{minor}", "release/{major}.x"];
  const cases: Array<[string, string[], unknown]> = [
    ["release/1.4", defaults, { major: 1, minor: 4, label: "1.4.x" }],
    ["release/2.x", defaults, { major: 2, label: "2.x" }],
    ["release/0.0", defaults, { major: 0, minor: 0, label: "0.0.x" }],
    ["release/10.12", defaults, { major: 10, minor: 12, label: "10.12.x" }],
    ["main", defaults, null],
    ["release/1", defaults, null],
    ["release/1.4.2", defaults, null],
    ["release/1.4.x", defaults, null],
    ["release/01.4", defaults, null],
    ["release/1.04", defaults, null],
    ["release/a.b", defaults, null],
    ["xrelease/1.4", defaults, null],
    ["release/1.4-fix", defaults, null],
    ["release/99999999999999999999.1", defaults, null],
    // "." in a template is a literal dot, not "any character".
    ["release/1x4", defaults, null],
    ["stable-3", ["stable-{major}"], { major: 3, label: "3.x" }],
    ["lts/v3.0-maint", ["lts/v{major}.{minor}-maint"], { major: 3, minor: 0, label: "3.0.x" }],
    ["release/1.4", [], null],
    // The first template that matches wins.
    ["1.4", ["{major}.{minor}", "{major}.x"], { major: 1, minor: 4, label: "1.4.x" }],
  ];
  it.each(cases)("%j with %j is %j", (branch, templates, expected) => {
    expect(releaseLineOf(branch, templates)).toEqual(expected);
  });

  it("does not put a minor on a major-only line", () => {
    expect(releaseLineOf("release/2.x", defaults)).not.toHaveProperty("minor");
  });

  it("throws on an invalid template instead of silently matching nothing", () => {
    expect(() => releaseLineOf("release/1.4", ["release/{majr}"])).toThrow(
      /unknown placeholder \{majr\}/,
    );
  });
});
