export interface Branches {
  /** Every branch name of the repository (all pages). */
  listBranches(): Promise<string[]>;
}
