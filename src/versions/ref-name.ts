/**
 * Git's rules for a ref name (`git check-ref-format`), applied to the short name of a tag or
 * branch (the part after `refs/tags/` or `refs/heads/`). Checked here so a bad policy is refused
 * when it is loaded, not when GitHub answers 422 in the middle of a release.
 */

/** Why `name` cannot be a tag or branch name, or null when git accepts it. */
export function refNameProblem(name: string): string | null {
  if (name === "") return "it is empty";
  if (name === "@") return 'it is "@", which git reserves';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git forbids
  const control = /[\u0000-\u001f\u007f]/.exec(name);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0");
    return `it contains the control character \\x${code}`;
  }
  if (name.includes(" ")) return "it contains a space";
  const forbidden = /[~^:?*[\\]/.exec(name);
  if (forbidden) return `it contains "${forbidden[0]}", which git does not allow in ref names`;
  if (name.includes("..")) return 'it contains ".."';
  if (name.includes("@{")) return 'it contains "@{"';
  if (name.startsWith("-")) return 'it starts with "-" (git would read it as an option)';
  if (name.startsWith("/") || name.endsWith("/")) return 'it starts or ends with "/"';
  if (name.includes("//")) return 'it contains "//"';
  if (name.endsWith(".")) return 'it ends with "."';
  for (const component of name.split("/")) {
    if (component.startsWith(".")) return `its part "${component}" starts with "."`;
    if (component.endsWith(".lock")) return `its part "${component}" ends with ".lock"`;
  }
  return null;
}

/** True when git accepts `name` as a tag or branch name (`git check-ref-format` rules). */
export function isValidRefName(name: string): boolean {
  return refNameProblem(name) === null;
}
