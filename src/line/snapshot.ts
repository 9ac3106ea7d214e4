/** What the gate needs to know about a release line released one hotfix at a time. */

/** A merged hotfix still holding the line. */
export interface Releasing {
  pr: number;
  /** Where it stands, e.g. "deploying v1.4.3 to production". */
  what: string;
}

export interface LineSnapshot {
  /** The target branch the hotfixes of the line go into, e.g. `release/1.4`. */
  base: string;
  /**
   * The merged hotfixes of the line not yet through their release, in the order they hold it:
   * the hotfix of the line's latest release first, then those merged since, oldest merge first.
   */
  releasing: Releasing[];
  /** Open hotfix PRs into the base (drafts left out), by number: the order they wait in. */
  open: number[];
}
