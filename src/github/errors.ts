/** A GitHub API answer other than success, in the words the app needs to decide what to do. */
export class GitHubError extends Error {
  override readonly name = "GitHubError";
  constructor(
    message: string,
    readonly status: number,
    readonly route: string,
    /** Seconds GitHub asked us to wait (secondary rate limits), when it said so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export function isGitHubError(error: unknown, status?: number): error is GitHubError {
  return error instanceof GitHubError && (status === undefined || error.status === status);
}
