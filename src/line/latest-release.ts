/**
 * The latest release of the line a target branch belongs to: on a release line (`release/1.4`)
 * its highest stable tag; on any other branch the highest release reachable from it (asking
 * GitHub about at most the 20 highest, as the version choice does). Null when there is none.
 */
import type { Releases } from "../github/port/releases.js";
import type { Policy } from "../policy/schema.js";
import { parseTagTemplate, releaseLineOf } from "../versions/tag-template.js";
import { nextPatchOnLine, rankReleases, type Release } from "../versions/version.js";

const MAX_REACHABILITY_PROBES = 20;

export async function latestReleaseOf(
  github: Releases,
  base: string,
  policy: Policy,
): Promise<Release | null> {
  const template = parseTagTemplate(policy.release.tag);
  if (!template.ok) return null;
  const tags = await github.listTagNames(template.prefix);
  const line = releaseLineOf(base, policy.release.lines);
  if (line) {
    const decision = nextPatchOnLine({ tags, template, line });
    return decision.ok ? decision.previous : null;
  }
  for (const release of rankReleases(tags, template).slice(0, MAX_REACHABILITY_PROBES))
    if (await github.isReachable(release.tag, base)) return release;
  return null;
}
