/**
 * Pure: the fields of a commit hotfix-bot creates through GitHub's Git Data API. By default it
 * keeps the original author (like `git cherry-pick`). With `backport.signed: true` it sends no
 * author and no committer, so GitHub makes the commit as the App and signs it — GitHub's docs
 * ("About commit signature verification", signature verification for bots): a bot's commit is
 * signed only when the request is authenticated as the App and carries no custom author,
 * committer or signature — and the original author is kept as a `Co-authored-by:` trailer.
 */
import type { Person } from "../github/port/git.js";

export function commitFields(
  message: string,
  author: Person | null | undefined,
  signed: boolean,
): { message: string; author?: Person } {
  if (!signed) return { message, ...(author ? { author } : {}) };
  if (!author) return { message };
  const trailer = `Co-authored-by: ${author.name} <${author.email}>`;
  if (message.includes(trailer)) return { message };
  const body = message.replace(/\s+$/, "");
  // A trailer belongs to the message's last paragraph; `(cherry picked from …)` is one too.
  const lastParagraph = body.split(/\n\n/).pop() ?? "";
  const endsInTrailers = /^(\(cherry picked from commit [0-9a-f]+\)|[\w-]+: .+)$/m.test(
    lastParagraph.split("\n").pop() ?? "",
  );
  return { message: `${body}${endsInTrailers ? "\n" : "\n\n"}${trailer}` };
}
