/** One issue (or PR: GitHub numbers both alike) as `/start-hotfix` and time to restore need it. */
export interface IssueFacts {
  number: number;
  title: string;
  body: string;
  /** When it was opened: the incident's start, for time to restore. */
  createdAt: string;
  url: string;
  state: "open" | "closed";
  /** GitHub answers PRs on the issues routes too. */
  isPull: boolean;
}

export interface IssueRead {
  /** The issue (or PR) numbered `number`, or null when there is none. */
  getIssue(number: number): Promise<IssueFacts | null>;
}
