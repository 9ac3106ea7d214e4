/**
 * Pure: the release `/rollback-hotfix` puts back on production — the highest stable release on
 * the hotfix's line that is lower than the hotfix. The line is the one the hotfix's base branch
 * names (`release/1.4` → 1.4.x); on any other base, the hotfix's own major.minor (a hotfix is
 * always a patch, so its predecessor shares them).
 */
import semver from "semver";
import type { ReleaseLine } from "../versions/tag-template.js";
import { rankReleases, type Release } from "../versions/version.js";
import { parseStrictVersion } from "../versions/strict-version.js";

export type PreviousRelease = { ok: true; release: Release } | { ok: false; reason: string };

export function previousRelease(input: {
  tags: readonly string[];
  /** The policy's `release.tag`, e.g. `v{version}`. */
  template: string;
  /** The hotfix's version, e.g. `1.4.3`. */
  version: string;
  /** The line its base branch names, or null (then the version's major.minor). */
  line: ReleaseLine | null;
}): PreviousRelease {
  const hotfix = parseStrictVersion(input.version);
  if (!hotfix) return { ok: false, reason: `"${input.version}" is not a semantic version` };
  const line = input.line ?? {
    major: hotfix.major,
    minor: hotfix.minor,
    label: `${hotfix.major}.${hotfix.minor}.x`,
  };
  const found = rankReleases(input.tags, input.template).find((release) => {
    const v = parseStrictVersion(release.version);
    return (
      v !== null &&
      v.major === line.major &&
      (line.minor === undefined || v.minor === line.minor) &&
      semver.lt(v, hotfix)
    );
  });
  if (!found) {
    return {
      ok: false,
      reason: `no release on line ${line.label} is older than ${input.version}, so there is nothing to roll back to`,
    };
  }
  return { ok: true, release: found };
}
