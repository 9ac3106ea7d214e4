import { describe, expect, it } from "@jest/globals";
import { previousRelease } from "../../src/deploy/previous-release.js";
import { releaseLineOf } from "../../src/versions/tag-template.js";

const LINES = ["release/{major}.{minor}", "release/{major}.x"];
const TAGS = [
  "v1.3.9",
  "v1.4.0",
  "v1.4.1",
  "v1.4.2",
  "v1.4.3",
  "v1.5.0",
  "v2.0.0",
  "v1.4.4-rc.1",
  "nightly",
];

describe("previousRelease", () => {
  it.each([
    ["release/1.4", "1.4.3", "v1.4.2"],
    ["release/1.4", "1.4.1", "v1.4.0"],
    // A line of a major takes the highest lower release of that major.
    ["release/1.x", "1.5.1", "v1.5.0"],
    // Not a line (main): the hotfix's own major.minor.
    ["main", "2.0.1", "v2.0.0"],
    ["main", "1.4.3", "v1.4.2"],
  ])("on %s, %s rolls back to %s", (base, version, expected) => {
    const result = previousRelease({
      tags: TAGS,
      template: "v{version}",
      version,
      line: releaseLineOf(base, LINES),
    });
    expect(result).toEqual({ ok: true, release: { tag: expected, version: expected.slice(1) } });
  });

  it("never picks a pre-release, a higher release or another line", () => {
    const result = previousRelease({
      tags: ["v1.4.4-rc.1", "v1.5.0", "v1.3.9"],
      template: "v{version}",
      version: "1.4.4",
      line: releaseLineOf("release/1.4", LINES),
    });
    expect(result).toEqual({
      ok: false,
      reason: "no release on line 1.4.x is older than 1.4.4, so there is nothing to roll back to",
    });
  });

  it("follows the tag template", () => {
    const result = previousRelease({
      tags: ["app-1.4.2", "v1.4.2", "app-1.4.1"],
      template: "app-{version}",
      version: "1.4.3",
      line: null,
    });
    expect(result).toEqual({ ok: true, release: { tag: "app-1.4.2", version: "1.4.2" } });
  });
});
