import { describe, it, expect } from "@jest/globals";
import {
  isHighestRelease,
  nextPatchAfter,
  nextPatchFrom,
  nextPatchOnLine,
  rankReleases,
} from "../../src/versions/version.js";
import { parseTagTemplate, type ReleaseLine } from "../../src/versions/tag-template.js";

const line14: ReleaseLine = { major: 1, minor: 4, label: "1.4.x" };
const line1x: ReleaseLine = { major: 1, label: "1.x" };

describe("nextPatchOnLine", () => {
  const cases: Array<{
    name: string;
    tags: string[];
    template?: string;
    line: ReleaseLine;
    version: string;
    previous: string;
  }> = [
    {
      name: "release/1.4 with v1.4.0..v1.4.2 and v2.0.0 → v1.4.3",
      tags: ["v1.4.0", "v1.4.1", "v1.4.2", "v2.0.0"],
      line: line14,
      version: "1.4.3",
      previous: "v1.4.2",
    },
    {
      name: "a 1.x line while 2.0.0 exists patches the highest 1.y, not 2.0.0",
      tags: ["v1.2.7", "v1.3.0", "v1.3.2", "v1.3.1", "v2.0.0", "v2.1.0"],
      line: line1x,
      version: "1.3.3",
      previous: "v1.3.2",
    },
    {
      name: "pre-release v1.4.3-rc.1 is ignored: next is still 1.4.3",
      tags: ["v1.4.2", "v1.4.3-rc.1", "v1.4.3-rc.2"],
      line: line14,
      version: "1.4.3",
      previous: "v1.4.2",
    },
    {
      name: "api-v{version} ignores v1.4.9",
      tags: ["api-v1.4.1", "v1.4.9", "web-v1.4.7"],
      template: "api-v{version}",
      line: line14,
      version: "1.4.2",
      previous: "api-v1.4.1",
    },
    {
      name: "v1.4.10 sorts above v1.4.9 (semver, not string order)",
      tags: ["v1.4.9", "v1.4.10", "v1.4.2"],
      line: line14,
      version: "1.4.11",
      previous: "v1.4.10",
    },
    {
      name: "non-semver v1.4 and junk tags are ignored",
      tags: ["v1.4", "v1.4.1", "latest", "v1.4.x", "vv1.4.5", "v1.4.05"],
      line: line14,
      version: "1.4.2",
      previous: "v1.4.1",
    },
    {
      name: "build metadata is not a new version: v1.4.2+build.5 counts as 1.4.2",
      tags: ["v1.4.1", "v1.4.2+build.5"],
      line: line14,
      version: "1.4.3",
      previous: "v1.4.2+build.5",
    },
    {
      name: "the plain tag is the previous release when only build metadata differs",
      tags: ["v1.4.2+build.5", "v1.4.2"],
      line: line14,
      version: "1.4.3",
      previous: "v1.4.2",
    },
    {
      name: "other minors on the same major do not count for a minor line",
      tags: ["v1.3.9", "v1.4.0", "v1.5.0"],
      line: line14,
      version: "1.4.1",
      previous: "v1.4.0",
    },
    {
      name: "a suffix template",
      tags: ["release-1.4.0-final", "release-1.4.1-final", "release-1.4.2-rc.1-final"],
      template: "release-{version}-final",
      line: line14,
      version: "1.4.2",
      previous: "release-1.4.1-final",
    },
    {
      name: "a stable release on the line above a newer pre-release",
      tags: ["v1.4.5", "v1.4.6-beta.1", "v1.4.3"],
      line: line14,
      version: "1.4.6",
      previous: "v1.4.5",
    },
  ];

  it.each(cases)("$name", ({ tags, template, line, version, previous }) => {
    const tmpl = template ?? "v{version}";
    const decision = nextPatchOnLine({ tags, template: tmpl, line });
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.version).toBe(version);
    expect(decision.tag).toBe(tmpl.replace("{version}", version));
    expect(decision.previous.tag).toBe(previous);
    expect(decision.line).toBe(line.label);
    expect(decision.reason).toContain(`the patch after ${previous}`);
  });

  it("counts ignored pre-releases on the line in the reason", () => {
    const decision = nextPatchOnLine({
      tags: ["v1.4.2", "v1.4.3-rc.1", "v2.0.0-rc.1"],
      template: "v{version}",
      line: line14,
    });
    expect(decision).toMatchObject({ ok: true, version: "1.4.3" });
    expect(decision.reason).toContain(
      "1 pre-release tag on this line (v1.4.3-rc.1) does not count",
    );
    expect(decision.reason).not.toContain("v2.0.0-rc.1");
  });

  it("accepts a parsed template", () => {
    const tmpl = parseTagTemplate("v{version}");
    if (!tmpl.ok) throw new Error(tmpl.reason);
    expect(nextPatchOnLine({ tags: ["v1.4.0"], template: tmpl, line: line14 })).toMatchObject({
      ok: true,
      tag: "v1.4.1",
    });
  });

  const refusals: Array<{
    name: string;
    tags: string[];
    template?: string;
    line: ReleaseLine;
    command?: string;
    reason: string;
  }> = [
    {
      name: "no tag on line 1.4.x",
      tags: ["v1.3.9", "v1.5.0", "v2.0.0"],
      line: line14,
      reason:
        "No release found on line 1.4.x (no stable tag matching `v1.4.*`), so there is no version to patch. " +
        "Seed the line by tagging its first release: `git tag -a v1.4.0 <commit> -m v1.4.0 && git push origin v1.4.0`, " +
        "then comment /release-hotfix again.",
    },
    {
      name: "only pre-releases on the line, with a custom command",
      tags: ["v1.4.0-rc.1"],
      line: line14,
      command: "/ship-it",
      reason:
        "No release found on line 1.4.x (no stable tag matching `v1.4.*`), so there is no version to patch. " +
        "1 pre-release tag on this line (v1.4.0-rc.1) does not count. " +
        "Seed the line by tagging its first release: `git tag -a v1.4.0 <commit> -m v1.4.0 && git push origin v1.4.0`, " +
        "then comment /ship-it again.",
    },
    {
      name: "a major-only line seeds x.0.0",
      tags: ["v1.9.0"],
      line: { major: 2, label: "2.x" },
      reason:
        "No release found on line 2.x (no stable tag matching `v2.*`), so there is no version to patch. " +
        "Seed the line by tagging its first release: `git tag -a v2.0.0 <commit> -m v2.0.0 && git push origin v2.0.0`, " +
        "then comment /release-hotfix again.",
    },
    {
      name: "a template whose tags need shell quoting",
      tags: [],
      template: "app$v{version}",
      line: line14,
      reason:
        "No release found on line 1.4.x (no stable tag matching `app$v1.4.*`), so there is no version to patch. " +
        "Seed the line by tagging its first release: `git tag -a 'app$v1.4.0' <commit> -m 'app$v1.4.0' && git push origin 'app$v1.4.0'`, " +
        "then comment /release-hotfix again.",
    },
    {
      name: "empty repository",
      tags: [],
      template: "release-{version}-final",
      line: line14,
      reason:
        "No release found on line 1.4.x (no stable tag matching `release-1.4.*-final`), so there is no version to patch. " +
        "Seed the line by tagging its first release: `git tag -a release-1.4.0-final <commit> -m release-1.4.0-final && git push origin release-1.4.0-final`, " +
        "then comment /release-hotfix again.",
    },
    {
      name: "an invalid template",
      tags: ["v1.4.0"],
      template: "v {version}",
      line: line14,
      reason:
        'Cannot compute the next version: the tag template "v {version}" makes tags like "v 1.2.3", which git refuses: it contains a space.',
    },
  ];

  it.each(refusals)("refuses: $name", ({ tags, template, line, command, reason }) => {
    expect(nextPatchOnLine({ tags, template: template ?? "v{version}", line, command })).toEqual({
      ok: false,
      reason,
    });
  });
});

describe("rankReleases", () => {
  const cases: Array<[string, string[], string, string[]]> = [
    [
      "stable releases highest first, semver order",
      ["v1.4.9", "v2.0.0", "v1.4.10", "v0.9.0", "v1.10.0"],
      "v{version}",
      ["v2.0.0", "v1.10.0", "v1.4.10", "v1.4.9", "v0.9.0"],
    ],
    [
      "pre-releases, other templates and non-semver tags are left out",
      ["v2.0.0-rc.1", "v1.4", "api-v3.0.0", "v1.4.2", "nightly"],
      "v{version}",
      ["v1.4.2"],
    ],
    [
      "build-metadata twins: plain tag first, then by name",
      ["v1.4.2+z", "v1.4.2+a", "v1.4.2", "v1.4.1"],
      "v{version}",
      ["v1.4.2", "v1.4.2+a", "v1.4.2+z", "v1.4.1"],
    ],
    ["no tags", [], "v{version}", []],
    [
      "api-v template",
      ["v9.0.0", "api-v1.0.0", "api-v1.1.0"],
      "api-v{version}",
      ["api-v1.1.0", "api-v1.0.0"],
    ],
  ];
  it.each(cases)("%s", (_name, tags, template, expected) => {
    expect(rankReleases(tags, template).map((r) => r.tag)).toEqual(expected);
  });

  it("returns the version as the tag spells it", () => {
    expect(rankReleases(["v1.4.2+build.5"], "v{version}")).toEqual([
      { version: "1.4.2+build.5", tag: "v1.4.2+build.5" },
    ]);
  });

  it("throws on an invalid template (the policy schema refuses those first)", () => {
    expect(() => rankReleases(["v1.0.0"], "v{ver}")).toThrow(/invalid tag template/);
  });
});

describe("nextPatchAfter", () => {
  it.each([
    ["1.4.2", "1.4.3"],
    ["1.4.9", "1.4.10"],
    ["0.0.0", "0.0.1"],
    ["2.0.0+build.5", "2.0.1"],
  ])("%s → %s", (version, next) => {
    expect(nextPatchAfter(version)).toBe(next);
  });

  it.each([
    ["1.4.3-rc.1", /pre-release/],
    ["1.4", /not a semantic version/],
    ["v1.4.2", /not a semantic version/],
  ])("refuses %s", (version, reason) => {
    expect(() => nextPatchAfter(version)).toThrow(reason);
  });
});

describe("nextPatchFrom (default branch, previous release found by the use-case)", () => {
  it("patches the release reachable from the branch", () => {
    expect(nextPatchFrom({ version: "1.4.2", tag: "v1.4.2" }, "v{version}")).toEqual({
      ok: true,
      version: "1.4.3",
      tag: "v1.4.3",
      previous: { version: "1.4.2", tag: "v1.4.2" },
      line: "1.4.x",
      reason:
        "Next release is 1.4.3 (tag v1.4.3): the patch after v1.4.2, the highest release reachable from the target branch.",
    });
  });

  it("refuses a pre-release as the previous release", () => {
    expect(nextPatchFrom({ version: "1.4.3-rc.1", tag: "v1.4.3-rc.1" }, "v{version}")).toEqual({
      ok: false,
      reason: "v1.4.3-rc.1 is not a stable release, so it cannot be patched",
    });
  });
});

describe("isHighestRelease (make_latest)", () => {
  const cases: Array<[string, string, string[], string, boolean]> = [
    ["old-line patch never steals Latest", "1.4.3", ["v1.4.2", "v2.0.0"], "v{version}", false],
    ["patch on the newest line is Latest", "2.0.1", ["v1.4.2", "v2.0.0"], "v{version}", true],
    [
      "its own tag already pushed (a retried run)",
      "2.0.1",
      ["v2.0.0", "v2.0.1"],
      "v{version}",
      true,
    ],
    [
      "a build-metadata twin is the same release",
      "2.0.1",
      ["v2.0.1+build.3", "v2.0.0"],
      "v{version}",
      true,
    ],
    [
      "a newer pre-release does not block it",
      "2.0.1",
      ["v2.0.0", "v2.1.0-rc.1"],
      "v{version}",
      true,
    ],
    ["lower than an existing release", "2.0.1", ["v2.0.2"], "v{version}", false],
    ["the first release ever", "1.0.0", [], "v{version}", true],
    [
      "tags of another template do not count",
      "1.4.3",
      ["v9.0.0", "api-v1.4.2"],
      "api-v{version}",
      true,
    ],
    ["10 > 9 numerically", "1.4.10", ["v1.4.9"], "v{version}", true],
    ["a pre-release is never Latest", "3.0.0-rc.1", ["v2.0.0"], "v{version}", false],
  ];
  it.each(cases)("%s: %s → %s", (_name, version, tags, template, expected) => {
    expect(isHighestRelease(version, tags, template)).toBe(expected);
  });

  it("throws on a non-version (a caller bug)", () => {
    expect(() => isHighestRelease("v2.0.1", ["v2.0.0"], "v{version}")).toThrow(
      /not a semantic version/,
    );
  });
});
