import semver, { type SemVer } from "semver";

/**
 * The version when `text` is exactly a semantic version, else null. `semver.parse` alone is too
 * forgiving for tag names: it accepts `v1.4.3` and ` 1.4.3`, so with a `v{version}` template the
 * tag `vv1.4.3` would count as release 1.4.3. We accept only the canonical spelling.
 */
export function parseStrictVersion(text: string): SemVer | null {
  const parsed = semver.parse(text);
  if (parsed === null) return null;
  const canonical =
    parsed.build.length > 0 ? `${parsed.format()}+${parsed.build.join(".")}` : parsed.format();
  return canonical === text ? parsed : null;
}
