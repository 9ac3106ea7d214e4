/**
 * The git commands that finish a backport by hand, for the comment that reports a conflict or
 * a failure. They name the commits actually carried (for a squash merge: the squash commit,
 * not the PR's commits — korthout/backport-action#424).
 */

const quote = (word: string) =>
  /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

export function manualSteps(input: {
  onto: string;
  branch: string;
  commits: readonly string[];
  /** The bot already pushed a draft to `branch`: replace it rather than fight it. */
  draftPushed?: boolean;
  remote?: string;
}): string[] {
  const remote = quote(input.remote ?? "origin");
  const onto = quote(input.onto);
  const branch = quote(input.branch);
  return [
    input.draftPushed ? `git fetch ${remote} ${onto} ${branch}` : `git fetch ${remote} ${onto}`,
    `git checkout -b ${branch} ${remote}/${onto}`,
    `git cherry-pick -x ${input.commits.join(" ")}`,
    `# resolve each conflict, then: git add <files> && git cherry-pick --continue`,
    input.draftPushed
      ? `git push --force-with-lease ${remote} ${branch}`
      : `git push ${remote} ${branch}`,
  ];
}
