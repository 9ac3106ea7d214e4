/**
 * The JSON GitHub shows for the stand-in's in-memory objects — the same shapes in REST answers
 * and in webhook payloads, as on GitHub (field names and types from the REST docs and from the
 * recorded payloads of @octokit/webhooks-examples). `api` is where the API lives for this
 * answer (with `/api/v3` when the client used GitHub Enterprise's layout).
 */
import { fakeId, nodeId } from "./routes/shapes.js";
import type {
  CheckRun,
  Comment,
  CommitStatus,
  Deployment,
  DeploymentStatus,
  Issue,
  Pull,
  Release,
  RepoState,
  Review,
  Team,
  User,
} from "./model.js";

export const WEB = "https://github.com";

export function userJson(api: string, user: User) {
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "Bot" : "User", user.login),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: `${api}/users/${user.login}`,
    html_url:
      user.type === "Bot"
        ? `${WEB}/apps/${user.login.replace(/\[bot\]$/, "")}`
        : `${WEB}/${user.login}`,
    followers_url: `${api}/users/${user.login}/followers`,
    following_url: `${api}/users/${user.login}/following{/other_user}`,
    gists_url: `${api}/users/${user.login}/gists{/gist_id}`,
    starred_url: `${api}/users/${user.login}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/users/${user.login}/subscriptions`,
    organizations_url: `${api}/users/${user.login}/orgs`,
    repos_url: `${api}/users/${user.login}/repos`,
    events_url: `${api}/users/${user.login}/events{/privacy}`,
    received_events_url: `${api}/users/${user.login}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

export function repoJson(api: string, repo: RepoState, owner: User) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", full),
    name: repo.name,
    full_name: full,
    private: false,
    owner: userJson(api, owner),
    html_url: `${WEB}/${full}`,
    description: null,
    fork: false,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    clone_url: `${WEB}/${full}.git`,
    svn_url: `${WEB}/${full}`,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: "TypeScript",
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: [...repo.issues.values()].filter((i) => i.state === "open").length,
    license: null,
    forks: 0,
    open_issues: [...repo.issues.values()].filter((i) => i.state === "open").length,
    watchers: 0,
    default_branch: repo.git.defaultBranch,
    is_template: false,
    topics: [],
    visibility: "public",
    web_commit_signoff_required: false,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
  };
}

export function labelJson(api: string, repo: RepoState, name: string) {
  return {
    id: fakeId(`label ${repo.owner}/${repo.name} ${name}`),
    node_id: nodeId("Label", name),
    url: `${api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  };
}

export function teamJson(api: string, team: Team) {
  return {
    id: team.id,
    node_id: nodeId("Team", `${team.org}/${team.slug}`),
    url: `${api}/teams/${team.id}`,
    html_url: `${WEB}/orgs/${team.org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${api}/teams/${team.id}/members{/member}`,
    repositories_url: `${api}/teams/${team.id}/repos`,
    parent: null,
  };
}

type UserOf = (login: string) => User;

/** A branch end of a PR (`head` or `base`). */
function pullEnd(api: string, repo: RepoState, userOf: UserOf, ref: string, sha: string) {
  const owner = userOf(repo.owner);
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: userJson(api, owner),
    repo: repoJson(api, repo, owner),
  };
}

export function pullJson(
  api: string,
  repo: RepoState,
  issue: Issue,
  userOf: UserOf,
  teamOf: (org: string, slug: string) => Team | undefined = () => undefined,
) {
  const pull = issue.pull as Pull;
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/pulls/${pull.number}`;
  const issueUrl = `${api}/repos/${full}/issues/${pull.number}`;
  const html = `${WEB}/${full}/pull/${pull.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issue === issue.number).length;
  return {
    url,
    id: pull.id,
    node_id: nodeId("PullRequest", `${full}#${pull.number}`),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    number: pull.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userJson(api, userOf(issue.user)),
    body: issue.body === "" ? null : issue.body,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: issue.assignees[0] ? userJson(api, userOf(issue.assignees[0])) : null,
    assignees: issue.assignees.map((a) => userJson(api, userOf(a))),
    requested_reviewers: pull.requestedReviewers.map((r) => userJson(api, userOf(r))),
    requested_teams: pull.requestedTeams.flatMap((slug) => {
      const team = teamOf(repo.owner, slug);
      return team ? [teamJson(api, team)] : [];
    }),
    labels: issue.labels.map((l) => labelJson(api, repo, l)),
    milestone: null,
    draft: pull.draft,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${api}/repos/${full}/statuses/${pull.headSha}`,
    head: pullEnd(api, repo, userOf, pull.headRef, pull.headSha),
    base: pullEnd(api, repo, userOf, pull.baseRef, pull.baseSha),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/repos/${full}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/repos/${full}/statuses/${pull.headSha}` },
    },
    author_association: "MEMBER",
    auto_merge: null,
    active_lock_reason: null,
    merged: pull.merged,
    // GitHub computes mergeability in the background and says "unknown" until it has.
    mergeable: null,
    rebaseable: null,
    mergeable_state: "unknown",
    merged_by: pull.mergedBy ? userJson(api, userOf(pull.mergedBy)) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.stats.commits,
    additions: pull.stats.additions,
    deletions: pull.stats.deletions,
    changed_files: pull.stats.changedFiles,
  };
}

const noReactions = (url: string) => ({
  url,
  total_count: 0,
  "+1": 0,
  "-1": 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

export function issueJson(api: string, repo: RepoState, issue: Issue, userOf: UserOf) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/issues/${issue.number}`;
  const html = `${WEB}/${full}/${issue.pull ? "pull" : "issues"}/${issue.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issue === issue.number).length;
  return {
    url,
    repository_url: `${api}/repos/${full}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    id: issue.id,
    node_id: nodeId(issue.pull ? "PullRequest" : "Issue", `${full}#${issue.number}`),
    number: issue.number,
    title: issue.title,
    user: userJson(api, userOf(issue.user)),
    labels: issue.labels.map((l) => labelJson(api, repo, l)),
    state: issue.state,
    locked: false,
    assignee: issue.assignees[0] ? userJson(api, userOf(issue.assignees[0])) : null,
    assignees: issue.assignees.map((a) => userJson(api, userOf(a))),
    milestone: null,
    comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: "MEMBER",
    active_lock_reason: null,
    body: issue.body === "" ? null : issue.body,
    reactions: noReactions(`${url}/reactions`),
    ...(issue.pull
      ? {
          draft: issue.pull.draft,
          pull_request: {
            url: `${api}/repos/${full}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: issue.pull.mergedAt,
          },
        }
      : {}),
  };
}

export function commentJson(api: string, repo: RepoState, comment: Comment, userOf: UserOf) {
  const full = `${repo.owner}/${repo.name}`;
  const kind = repo.issues.get(comment.issue)?.pull ? "pull" : "issues";
  const url = `${api}/repos/${full}/issues/comments/${comment.id}`;
  const counts = noReactions(`${url}/reactions`) as Record<string, number | string>;
  for (const r of comment.reactions) {
    counts[r.content] = Number(counts[r.content] ?? 0) + 1;
    counts.total_count = Number(counts.total_count) + 1;
  }
  return {
    url,
    html_url: `${WEB}/${full}/${kind}/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${api}/repos/${full}/issues/${comment.issue}`,
    id: comment.id,
    node_id: nodeId("IssueComment", String(comment.id)),
    user: userJson(api, userOf(comment.user)),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: "MEMBER",
    performed_via_github_app: null,
    body: comment.body,
    reactions: counts,
  };
}

export function reviewJson(api: string, repo: RepoState, review: Review, userOf: UserOf) {
  const full = `${repo.owner}/${repo.name}`;
  const html = `${WEB}/${full}/pull/${review.pull}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", String(review.id)),
    user: userJson(api, userOf(review.user)),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: `${api}/repos/${full}/pulls/${review.pull}`,
    author_association: "MEMBER",
    _links: {
      html: { href: html },
      pull_request: { href: `${api}/repos/${full}/pulls/${review.pull}` },
    },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
  };
}

function checkAppJson(api: string, app: CheckRun["app"], owner: User) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("App", String(app.id)),
    owner: userJson(api, owner),
    name: app.name,
    description: "",
    external_url: `${WEB}/apps/${app.slug}`,
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    permissions: { checks: "write", contents: "write", metadata: "read", pull_requests: "write" },
    events: [],
  };
}

export function checkRunJson(
  api: string,
  repo: RepoState,
  run: CheckRun,
  context: { owner: User; pulls: Issue[]; headBranch: string | null; userOf: UserOf },
) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/check-runs/${run.id}`;
  const pulls = context.pulls.map((issue) => {
    const pull = issue.pull as Pull;
    const end = (ref: string, sha: string) => ({
      ref,
      sha,
      repo: { id: repo.id, url: `${api}/repos/${full}`, name: repo.name },
    });
    return {
      url: `${api}/repos/${full}/pulls/${pull.number}`,
      id: pull.id,
      number: pull.number,
      head: end(pull.headRef, pull.headSha),
      base: end(pull.baseRef, pull.baseSha),
    };
  });
  return {
    id: run.id,
    node_id: nodeId("CheckRun", String(run.id)),
    head_sha: run.headSha,
    external_id: run.externalId,
    url,
    html_url: `${WEB}/${full}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${WEB}/${full}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: {
      id: run.suiteId,
      node_id: nodeId("CheckSuite", String(run.suiteId)),
      head_branch: context.headBranch,
      head_sha: run.headSha,
      status: run.status,
      conclusion: run.conclusion,
      url: `${api}/repos/${full}/check-suites/${run.suiteId}`,
      before: null,
      after: run.headSha,
      pull_requests: pulls,
      app: checkAppJson(api, run.app, context.owner),
      created_at: run.startedAt,
      updated_at: run.completedAt ?? run.startedAt,
    },
    app: checkAppJson(api, run.app, context.owner),
    pull_requests: pulls,
  };
}

export function checkSuiteJson(
  api: string,
  repo: RepoState,
  runs: CheckRun[],
  context: { owner: User; pulls: Issue[]; headBranch: string | null; userOf: UserOf },
) {
  const first = runs[0] as CheckRun;
  const run = checkRunJson(api, repo, first, context).check_suite;
  const order = [
    "action_required",
    "cancelled",
    "timed_out",
    "failure",
    "neutral",
    "skipped",
    "success",
  ];
  const conclusion =
    runs
      .map((r) => r.conclusion ?? "success")
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? "success";
  return {
    ...run,
    status: "completed",
    conclusion,
    latest_check_runs_count: runs.length,
    check_runs_url: `${api}/repos/${repo.owner}/${repo.name}/check-suites/${first.suiteId}/check-runs`,
  };
}

export function statusJson(api: string, repo: RepoState, status: CommitStatus, userOf: UserOf) {
  return {
    url: `${api}/repos/${repo.owner}/${repo.name}/statuses/${status.sha}`,
    avatar_url: null,
    id: status.id,
    node_id: nodeId("StatusContext", String(status.id)),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: userJson(api, userOf(status.creator)),
  };
}

export function releaseJson(api: string, repo: RepoState, release: Release, userOf: UserOf) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/releases/${release.id}`;
  return {
    url,
    assets_url: `${url}/assets`,
    // The uploads host, in GitHub Enterprise Server's layout (`/api/uploads` beside `/api/v3`).
    upload_url: `${api.replace(/\/api\/v3$/, "")}/api/uploads/repos/${full}/releases/${release.id}/assets{?name,label}`,
    html_url: release.draft
      ? `${WEB}/${full}/releases/tag/untagged-${release.id}`
      : `${WEB}/${full}/releases/tag/${release.tagName}`,
    id: release.id,
    node_id: nodeId("Release", String(release.id)),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    prerelease: release.prerelease,
    author: userJson(api, userOf(release.author)),
    created_at: release.createdAt,
    published_at: release.publishedAt,
    assets: [],
    tarball_url: `${api}/repos/${full}/tarball/${release.tagName}`,
    zipball_url: `${api}/repos/${full}/zipball/${release.tagName}`,
    body: release.body,
  };
}

export function deploymentJson(api: string, repo: RepoState, d: Deployment, userOf: UserOf) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId("Deployment", String(d.id)),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(api, userOf(d.creator)),
    created_at: d.createdAt,
    updated_at: d.statuses[d.statuses.length - 1]?.createdAt ?? d.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: `${api}/repos/${full}`,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function deploymentStatusJson(
  api: string,
  repo: RepoState,
  d: Deployment,
  s: DeploymentStatus,
  userOf: UserOf,
) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/deployments/${d.id}`;
  return {
    url: `${url}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId("DeploymentStatus", String(s.id)),
    state: s.state,
    creator: userJson(api, userOf(s.creator)),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: url,
    repository_url: `${api}/repos/${full}`,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}
