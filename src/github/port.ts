/**
 * The one port through which hotfix-bot talks to GitHub. Use-cases see only this interface;
 * `createGitHubPort` (src/github/octokit-port.ts) implements it over Octokit, and tests of
 * use-cases may implement it directly. Each area of the API is a sub-interface in its own file.
 */
import type { RepoFiles } from "./port/files.js";
import type { Pulls } from "./port/pulls.js";
import type { Checks } from "./port/checks.js";
import type { Access } from "./port/access.js";
import type { GitData } from "./port/git.js";
import type { Issues } from "./port/issues.js";
import type { Releases } from "./port/releases.js";
import type { Branches } from "./port/branches.js";
import type { Deployments } from "./port/deployments.js";
import type { IssueRead } from "./port/issue-read.js";
import type { ReleaseAssets } from "./port/release-assets.js";
import type { Rules } from "./port/rules.js";
import type { MergeQueues } from "./port/merge-queue.js";
import type { RepoRef } from "./model.js";

export type { RepoRef } from "./model.js";

export interface GitHubPort
  extends
    RepoFiles,
    Pulls,
    Checks,
    Access,
    GitData,
    Issues,
    Releases,
    Branches,
    Deployments,
    IssueRead,
    ReleaseAssets,
    Rules,
    MergeQueues {
  readonly repo: RepoRef;
  /** Requests this port has sent so far (for the per-delivery log line and the benchmark). */
  requestCount(): number;
  /** Of those, the writes (every method but GET and HEAD). */
  writeCount(): number;
}
