import picomatch from "picomatch";

/**
 * Why a glob is unusable, or null when it is fine. picomatch accepts almost anything and turns
 * what it cannot read into a regular expression that never matches (`$^`), which would make a
 * policy silently match nothing; we refuse those patterns instead.
 */
export function globProblem(pattern: string, kind: "branch" | "name"): string | null {
  if (pattern.trim() === "") return "a pattern cannot be empty";
  if (kind === "branch" && /[\s\\:~^]/.test(pattern)) {
    return `"${pattern}" cannot match a branch: branch names contain no spaces, \\, :, ~ or ^`;
  }
  if (!balanced(pattern)) {
    return `"${pattern}" has an unclosed [ ], { } or ( ): close it, or escape the character with \\`;
  }
  let source: string;
  try {
    source = picomatch.makeRe(pattern).source;
  } catch (error) {
    return `"${pattern}" is not a valid glob: ${(error as Error).message}`;
  }
  if (source === "$^") return `"${pattern}" is not a valid glob: it can never match anything`;
  return null;
}

function balanced(pattern: string): boolean {
  const closer: Record<string, string> = { "[": "]", "{": "}", "(": ")" };
  const stack: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c in closer) stack.push(closer[c] as string);
    else if (c === "]" || c === "}" || c === ")") {
      if (stack.pop() !== c) return false;
    }
  }
  return stack.length === 0;
}

/** True when `value` matches any of the globs (branch names, check names, label-free). */
export function matchesAny(value: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => picomatch.isMatch(value, p, { dot: true }));
}

/** The patterns that match `value`. */
export function matchingPatterns(value: string, patterns: readonly string[]): string[] {
  return patterns.filter((p) => picomatch.isMatch(value, p, { dot: true }));
}
