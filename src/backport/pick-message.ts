/** Commit messages of picked commits, written the way `git cherry-pick -x` writes them. */

export const shortSha = (sha: string) => sha.slice(0, 7);

export function subjectOf(message: string): string {
  return (message.split("\n", 1)[0] ?? "").trim();
}

const TRAILER = /^[A-Za-z0-9-]+\s*:/;
const GIT_TRAILER = /^(Signed-off-by: |\(cherry picked from commit )/;

/**
 * Git's test for "the message ends in a trailer block" (trailer.c): the last paragraph, not the
 * subject, made only of `Token: value` lines — or, when one of them is a trailer git itself
 * writes (Signed-off-by, cherry picked from), at least a quarter of trailer lines.
 */
function endsInTrailers(body: string): boolean {
  const paragraphs = body.split(/\n[ \t]*\n/);
  if (paragraphs.length < 2) return false;
  let trailers = 0;
  let others = 0;
  let gitTrailer = false;
  for (const line of (paragraphs[paragraphs.length - 1] ?? "").split("\n")) {
    if (/^\s/.test(line) && trailers + others > 0) continue; // continuation of the line above
    if (GIT_TRAILER.test(line)) {
      gitTrailer = true;
      trailers++;
    } else if (TRAILER.test(line)) trailers++;
    else others++;
  }
  return (trailers > 0 && others === 0) || (gitTrailer && trailers * 3 >= others);
}

/**
 * Append `(cherry picked from commit <sha>)` like git's sequencer: after a blank line, unless
 * the message already ends in a trailer block (`Signed-off-by: …`), which the line then joins.
 */
export function cherryPickMessage(message: string, sha: string): string {
  const body = message.replace(/\s+$/, "");
  return `${body}${endsInTrailers(body) ? "\n" : "\n\n"}(cherry picked from commit ${sha})`;
}
