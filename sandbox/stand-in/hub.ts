/**
 * Everything that changes the stand-in's GitHub, whoever does it — the app through REST (route
 * modules) or the people and CI of a scenario (people.ts) — and the webhooks GitHub sends for
 * it: a PR opened sends `pull_request.opened`, a merge `pull_request.closed` and a `push`, a
 * ref moved under an open PR `pull_request.synchronize`, and so on. Refusals are GitHub's
 * (HttpError with its status and message), so a scenario's people hit the same rules as the app.
 *
 * Every change is also written to the journal: the timeline `npm run sandbox` prints.
 */
import { ZERO_SHA, type GitRepo, type Signature } from "./git-repo.js";
import { HttpError, notFound, unprocessable } from "./router.js";
import {
  checkRunJson,
  checkSuiteJson,
  commentJson,
  deploymentJson,
  deploymentStatusJson,
  issueJson,
  pullJson,
  releaseJson,
  repoJson,
  reviewJson,
  statusJson,
  teamJson,
  userJson,
  WEB,
} from "./json.js";
import {
  isoNow,
  type AppRegistration,
  type CheckApp,
  type CheckRun,
  type Comment,
  type CommitStatus,
  type Deployment,
  type DeploymentStatus,
  type Issue,
  type Permission,
  type Pull,
  type Release,
  type RepoState,
  type Review,
  type Team,
  type User,
} from "./model.js";
import { fillPayload } from "./payloads.js";
import { fakeId, nodeId } from "./routes/shapes.js";

export interface WebhookEvent {
  /** The `X-GitHub-Event` name: `pull_request`, `push`, … */
  name: string;
  payload: Record<string, unknown>;
}

export interface JournalEntry {
  /** ms since the epoch. */
  at: number;
  repo: string;
  /** Who did it: a login, or the app's bot login. */
  actor: string;
  text: string;
  /** Longer text a person would read (a check run's summary, a comment's body). */
  detail?: string;
  /** What it is about, e.g. `comment 1042` or `check-run 1017`: to tell an edit what changed. */
  about?: string;
}

/** The CI app of scenarios, when a check run names none. */
export const CI_APP: CheckApp = { id: 15368, slug: "github-actions", name: "GitHub Actions" };

const GITHUB_IDENTITY = { name: "GitHub", email: "noreply@github.com" };

const short = (sha: string) => sha.slice(0, 7);

function ids() {
  let next = 1000;
  return () => next++;
}

export class Hub {
  app: AppRegistration | null = null;
  readonly users = new Map<string, User>();
  readonly teams = new Map<string, Team>();
  readonly repos = new Map<string, RepoState>();
  readonly journal: JournalEntry[] = [];
  /** Installation tokens handed out: token → installation id and expiry (ms). */
  readonly tokens = new Map<string, { installationId: number; expiresAt: number }>();
  /** Hand out tokens for any installation id (recorded payloads name many), not only the App's. */
  anyInstallation = false;
  /**
   * Repositories (`owner/name`, lower-cased) the installation does not cover — installed on
   * "selected repositories" without them: 404 for every `/repos/{owner}/{repo}/…` request, not
   * in `/installation/repositories`, no webhooks about them. Not part of snapshots.
   */
  readonly hiddenRepos = new Set<string>();
  /** Organisations (lower-cased) that deny the App the Members permission: 403 on team routes. */
  readonly membersDenied = new Set<string>();
  /**
   * What GitHub checks before a PR merge besides mergeability — the branch's rules
   * (routes/rules.ts): each may throw the HttpError GitHub answers with.
   */
  readonly mergeChecks: Array<
    (repo: RepoState, issue: Issue & { pull: Pull }, method: string, by: string) => void
  > = [];
  /** Where the API lives in webhook payloads' URLs (the stand-in's, GHE layout by default). */
  apiUrl = "https://api.github.com";
  private readonly webhookListeners: Array<(event: WebhookEvent) => void> = [];
  /**
   * Webhooks leave in the order things happened, after the REST answer (as on GitHub); a push's
   * payload reads git (its commits), so payloads are built on this chain, not in the request.
   */
  private emission: Promise<void> = Promise.resolve();
  private emissionsPending = 0;
  /** Payloads that could not be built: reported by the stand-in's `problems()`. */
  readonly emissionErrors: string[] = [];
  private readonly journalListeners: Array<(entry: JournalEntry) => void> = [];
  private readonly nextId = ids();

  id(): number {
    return this.nextId();
  }

  // ---- snapshots ----

  /**
   * A copy of every repository — git objects and refs, and the issues, PRs, comments, checks,
   * releases and deployments — to `restore` later: many scenarios can start from one prepared
   * state. People, teams, tokens and ids are not part of it (ids keep growing, as on GitHub).
   */
  async snapshot(): Promise<HubSnapshot> {
    const repos = new Map<string, RepoState>();
    for (const [key, repo] of this.repos) repos.set(key, await copyRepo(repo));
    return {
      repos,
      dispose: async () => {
        for (const repo of repos.values()) await repo.git.destroy();
      },
    };
  }

  /** Back to a snapshot (which stays usable for the next restore). */
  async restore(snapshot: HubSnapshot): Promise<void> {
    for (const [key, repo] of this.repos) {
      await repo.git.destroy();
      this.repos.delete(key);
    }
    for (const [key, repo] of snapshot.repos) this.repos.set(key, await copyRepo(repo));
  }

  // ---- people, teams, the app ----

  addUser(login: string, options: Partial<Omit<User, "login">> = {}): User {
    const user: User = {
      login,
      id: options.id ?? fakeId(`user ${login}`),
      type: options.type ?? (login.endsWith("[bot]") ? "Bot" : "User"),
      name: options.name ?? login,
      email: options.email ?? `${login.replace(/\[bot\]$/, "")}@users.noreply.github.com`,
    };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  /** A user by login; unknown logins are made up on the spot (GitHub has them all). */
  user = (login: string): User => this.users.get(login.toLowerCase()) ?? this.addUser(login);

  /**
   * The account GitHub matches to a git identity by its email, as in a commit's top-level
   * `author` / `committer`: a user's email, a `[id+]login@users.noreply.github.com` address of
   * a known login, GitHub's own `noreply@github.com` (the `web-flow` user); otherwise none.
   */
  userByEmail(email: string): User | null {
    const wanted = email.toLowerCase();
    if (wanted === GITHUB_IDENTITY.email)
      return (
        this.users.get("web-flow") ??
        this.addUser("web-flow", { id: 19864447, ...GITHUB_IDENTITY, type: "User" })
      );
    for (const user of this.users.values())
      if (user.type !== "Organization" && user.email.toLowerCase() === wanted) return user;
    const noreply = /^(?:\d+\+)?(.+)@users\.noreply\.github\.com$/.exec(wanted)?.[1];
    return noreply ? (this.users.get(noreply) ?? this.users.get(`${noreply}[bot]`) ?? null) : null;
  }

  /** `userByEmail` as GitHub shows it in a commit (a simple user), or null. */
  accountJson = (api: string, email: string) => {
    const user = this.userByEmail(email);
    return user ? userJson(api, user) : null;
  };

  knowsUser(login: string): boolean {
    return this.users.has(login.toLowerCase());
  }

  /**
   * A team with active `members`. The fourth argument is its name, or options: `name`,
   * `maintainers` (members whose role is maintainer), `pending` (invited, not yet accepted:
   * see `invite`) and `visible: false` (a secret team the App cannot see: 404 on its routes).
   */
  addTeam(
    org: string,
    slug: string,
    members: readonly string[],
    nameOrOptions: string | TeamOptions = slug,
  ): Team {
    const options: TeamOptions =
      typeof nameOrOptions === "string" ? { name: nameOrOptions } : nameOrOptions;
    const lower = (logins: readonly string[] = []) => logins.map((m) => m.toLowerCase());
    const team: Team = {
      id: fakeId(`team ${org}/${slug}`),
      org,
      slug,
      name: options.name ?? slug,
      members: new Set(lower(members)),
      pending: new Set(lower(options.pending).filter((m) => !lower(members).includes(m))),
      maintainers: new Set(lower(options.maintainers)),
      visible: options.visible ?? true,
    };
    this.teams.set(`${org}/${slug}`.toLowerCase(), team);
    return team;
  }

  team(org: string, slug: string): Team | undefined {
    return this.teams.get(`${org}/${slug}`.toLowerCase());
  }

  private teamOrThrow(org: string, slug: string): Team {
    const team = this.team(org, slug);
    if (!team) throw new Error(`stand-in: no team ${org}/${slug}`);
    return team;
  }

  /**
   * Invites `login` to a team: a pending membership (`"state": "pending"`) until `acceptInvite`.
   * An active member stays active (the role still changes).
   */
  invite(org: string, slug: string, login: string, role: TeamRole = "member"): void {
    const team = this.teamOrThrow(org, slug);
    const key = login.toLowerCase();
    this.user(login);
    if (!team.members.has(key)) team.pending.add(key);
    if (role === "maintainer") team.maintainers.add(key);
    else team.maintainers.delete(key);
  }

  /** The invited person accepts: the membership becomes active. */
  acceptInvite(org: string, slug: string, login: string): void {
    const team = this.teamOrThrow(org, slug);
    const key = login.toLowerCase();
    if (!team.pending.delete(key))
      throw new Error(`stand-in: ${login} has no invitation to ${slug}`);
    team.members.add(key);
  }

  /** A team's membership of `login` as GitHub answers it, or null for none. */
  teamMembership(
    team: Team,
    login: string,
  ): { state: "active" | "pending"; role: TeamRole } | null {
    const key = login.toLowerCase();
    const state = team.members.has(key) ? "active" : team.pending.has(key) ? "pending" : null;
    if (!state) return null;
    return { state, role: team.maintainers.has(key) ? "maintainer" : "member" };
  }

  /**
   * The organisation denies the App the Members permission (or grants it back): its team and
   * membership routes answer 403 "Resource not accessible by integration".
   */
  denyMembers(org: string, denied = true): void {
    if (denied) this.membersDenied.add(org.toLowerCase());
    else this.membersDenied.delete(org.toLowerCase());
  }

  membersAccessible(org: string): boolean {
    return !this.membersDenied.has(org.toLowerCase());
  }

  registerApp(app: AppRegistration): void {
    this.app = app;
    this.addUser(this.botLogin(), { type: "Bot", id: app.id + 100_000_000 });
  }

  /** The login GitHub shows for the app's own writes: `hotfix-bot[bot]`. */
  botLogin(): string {
    return this.app ? `${this.app.slug}[bot]` : "stand-in[bot]";
  }

  checkApp(): CheckApp {
    return this.app
      ? { id: this.app.id, slug: this.app.slug, name: this.app.name }
      : { id: 1, slug: "stand-in", name: "stand-in" };
  }

  // ---- repositories ----

  addRepo(owner: string, name: string, git: GitRepo): RepoState {
    if (!this.knowsUser(owner)) this.addUser(owner, { type: "Organization" });
    const repo: RepoState = {
      owner,
      name,
      id: fakeId(`${owner}/${name}`),
      git,
      createdAt: isoNow(),
      permissions: new Map(),
      issues: new Map(),
      nextNumber: 1,
      comments: new Map(),
      reviews: [],
      checkRuns: [],
      statuses: [],
      releases: [],
      latestRelease: null,
      deployments: [],
      assumedCommits: new Set(),
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /**
   * Takes a repository out of the installation's selection (it may exist or not): every
   * `/repos/{owner}/{repo}/…` request with an installation token answers 404, the installation's
   * repository list omits it and no webhooks about it are sent.
   */
  hideFromInstallation(owner: string, name: string): void {
    this.hiddenRepos.add(`${owner}/${name}`.toLowerCase());
  }

  /** Puts a repository back into the installation's selection. */
  showToInstallation(owner: string, name: string): void {
    this.hiddenRepos.delete(`${owner}/${name}`.toLowerCase());
  }

  /** Whether the installation covers the repository (everything not hidden). */
  installationCovers(owner: string, name: string): boolean {
    return !this.hiddenRepos.has(`${owner}/${name}`.toLowerCase());
  }

  /** GitHub's `repository_selection`: "selected" once any repository is left out. */
  get repositorySelection(): "all" | "selected" {
    return this.hiddenRepos.size > 0 ? "selected" : "all";
  }

  repoOrThrow(owner: string, name: string): RepoState {
    const repo = this.repo(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  grant(repo: RepoState, login: string, permission: Permission): void {
    this.user(login);
    repo.permissions.set(login.toLowerCase(), permission);
  }

  permissionOf(repo: RepoState, login: string): Permission {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return "admin";
    return repo.permissions.get(login.toLowerCase()) ?? "read";
  }

  /** The commit a sha or ref names, or null; assumed commits answer for themselves. */
  async resolve(repo: RepoState, ref: string): Promise<string | null> {
    if (repo.assumedCommits.has(ref)) return ref;
    return repo.git.resolveCommit(ref);
  }

  // ---- webhooks and the journal ----

  onWebhook(listener: (event: WebhookEvent) => void): () => void {
    this.webhookListeners.push(listener);
    return () => this.webhookListeners.splice(this.webhookListeners.indexOf(listener), 1);
  }

  onJournal(listener: (entry: JournalEntry) => void): () => void {
    this.journalListeners.push(listener);
    return () => this.journalListeners.splice(this.journalListeners.indexOf(listener), 1);
  }

  note(repo: RepoState, actor: string, text: string, detail?: string, about?: string): void {
    const entry: JournalEntry = {
      at: Date.now(),
      repo: `${repo.owner}/${repo.name}`,
      actor,
      text,
      ...(detail === undefined ? {} : { detail }),
      ...(about === undefined ? {} : { about }),
    };
    this.journal.push(entry);
    for (const listener of this.journalListeners) listener(entry);
  }

  /** Resolves when every webhook so far has been handed to the listeners. */
  async flushed(): Promise<void> {
    while (this.emissionsPending > 0) await this.emission;
  }

  get pendingEmissions(): number {
    return this.emissionsPending;
  }

  /**
   * Whether webhooks are wanted now (an app is connected): decided when something happens, so
   * what happened before an app was connected is never delivered to it.
   */
  accepting: () => boolean = () => this.webhookListeners.length > 0;

  /** Runs `work` (which emits) on the emission chain, after everything emitted before it. */
  later(work: () => Promise<void> | void): void {
    if (!this.accepting()) return;
    this.emissionsPending++;
    this.emission = this.emission
      .then(work)
      .catch((error: unknown) => {
        this.emissionErrors.push(
          `building a webhook failed: ${(error as Error).stack ?? String(error)}`,
        );
      })
      .finally(() => {
        this.emissionsPending--;
      });
  }

  /** Sends a webhook built from a recorded payload of that event, filled with `values` (taken now). */
  emit(
    repo: RepoState,
    event: string,
    action: string | undefined,
    sender: string,
    values: Record<string, unknown>,
  ): void {
    if (!this.accepting()) return;
    const payload = this.payload(repo, event, action, sender, values);
    this.later(() => this.deliver({ name: event, payload }));
  }

  private deliver(event: WebhookEvent): void {
    // An App receives no webhooks about repositories its installation does not cover.
    const repository = event.payload.repository as { full_name?: unknown } | undefined;
    const full = typeof repository?.full_name === "string" ? repository.full_name : null;
    if (full && this.hiddenRepos.has(full.toLowerCase())) return;
    for (const listener of this.webhookListeners) listener(event);
  }

  private payload(
    repo: RepoState,
    event: string,
    action: string | undefined,
    sender: string,
    values: Record<string, unknown>,
  ): Record<string, unknown> {
    return fillPayload(event, action, {
      ...values,
      repository: repoJson(this.apiUrl, repo, this.user(repo.owner)),
      sender: userJson(this.apiUrl, this.user(sender)),
      ...(this.app
        ? {
            installation: {
              id: this.app.installationId,
              node_id: nodeId("Installation", String(this.app.installationId)),
            },
          }
        : {}),
    });
  }

  // ---- JSON with this hub's users ----

  issueJson(api: string, repo: RepoState, issue: Issue) {
    return issueJson(api, repo, issue, this.user);
  }

  pullJson(api: string, repo: RepoState, issue: Issue) {
    return pullJson(api, repo, issue, this.user, (org, slug) => this.team(org, slug));
  }

  issue(repo: RepoState, number: number): Issue {
    const issue = repo.issues.get(number);
    if (!issue) throw notFound();
    return issue;
  }

  pull(repo: RepoState, number: number): Issue & { pull: Pull } {
    const issue = repo.issues.get(number);
    if (!issue?.pull) throw notFound();
    return issue as Issue & { pull: Pull };
  }

  // ---- refs (every ref change goes through here: push and synchronize events) ----

  /**
   * A ref moved (created, updated or deleted) — by the app through the git API, by a merge,
   * or by a person pushing. Sends `push`, and `pull_request.synchronize` for open PRs with that
   * head; keeps open PRs' base sha current.
   */
  async refUpdated(
    repo: RepoState,
    ref: string,
    before: string | null,
    after: string | null,
    by: string,
  ): Promise<void> {
    const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : null;
    const what = branch ? `branch ${branch}` : `tag ${ref.replace(/^refs\/tags\//, "")}`;
    // An annotated tag's ref names the tag object; people know the commit.
    const commit = after ? ((await repo.git.resolveCommit(after)) ?? after) : null;
    this.note(
      repo,
      by,
      commit === null
        ? `deleted ${what}`
        : before === null
          ? `created ${what} at ${short(commit)}`
          : `moved ${what} to ${short(commit)}`,
    );
    // The PRs change now (a GET right after a push sees the new head); their webhooks follow.
    const synchronized: Array<{ issue: Issue; previous: string }> = [];
    if (branch && after !== null) {
      for (const issue of repo.issues.values()) {
        const pull = issue.pull;
        if (!pull || issue.state !== "open") continue;
        if (pull.baseRef === branch) pull.baseSha = after;
        if (pull.headRef === branch && pull.headSha !== after) {
          synchronized.push({ issue, previous: pull.headSha });
          pull.headSha = after;
          issue.updatedAt = isoNow();
        }
      }
    }
    this.later(async () => {
      await this.emitPush(repo, ref, before, after, by);
      for (const { issue, previous } of synchronized) {
        const pull = issue.pull as Pull;
        await this.refreshStats(repo, pull);
        this.deliver({
          name: "pull_request",
          payload: this.payload(repo, "pull_request", "synchronize", by, {
            number: pull.number,
            before: previous,
            after: pull.headSha,
            pull_request: this.pullJson(this.apiUrl, repo, issue),
          }),
        });
      }
    });
  }

  private async emitPush(
    repo: RepoState,
    ref: string,
    before: string | null,
    after: string | null,
    by: string,
  ): Promise<void> {
    if (this.webhookListeners.length === 0) return;
    const full = `${repo.owner}/${repo.name}`;
    let shas: string[] = [];
    if (after && ref.startsWith("refs/heads/")) {
      const range = before
        ? [`${before}..${after}`]
        : [after, "--not", `--exclude=${ref.slice("refs/heads/".length)}`, "--branches"];
      shas = (await repo.git.revList(["--max-count=20", ...range])).reverse();
    }
    const commits = [];
    for (const sha of shas) commits.push(await this.pushCommit(repo, sha));
    const head = after ? await repo.git.resolveCommit(after) : null;
    const forced = before !== null && after !== null && !(await repo.git.isAncestor(before, after));
    const pusher = this.user(by);
    this.deliver({
      name: "push",
      payload: this.payload(repo, "push", undefined, by, {
        ref,
        before: before ?? ZERO_SHA,
        after: after ?? ZERO_SHA,
        created: before === null,
        deleted: after === null,
        forced,
        base_ref: null,
        compare: `${WEB}/${full}/compare/${(before ?? ZERO_SHA).slice(0, 12)}...${(after ?? ZERO_SHA).slice(0, 12)}`,
        commits,
        head_commit: head ? await this.pushCommit(repo, head) : null,
        pusher: { name: pusher.login, email: pusher.email },
      }),
    });
  }

  private async pushCommit(repo: RepoState, sha: string) {
    const commit = await repo.git.readCommit(sha);
    if (!commit) throw new Error(`commit ${sha} vanished`);
    const files = await repo.git.changedFiles(commit.parents[0] ?? null, sha);
    const pick = (letters: string) =>
      files.filter((f) => letters.includes(f.status)).map((f) => f.path);
    return {
      id: sha,
      tree_id: commit.tree,
      distinct: true,
      message: commit.message,
      timestamp: commit.committer.date,
      url: `${WEB}/${repo.owner}/${repo.name}/commit/${sha}`,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
      added: pick("AC"),
      removed: pick("D"),
      modified: pick("MTR"),
    };
  }

  private async refreshStats(repo: RepoState, pull: Pull): Promise<void> {
    const commits = await repo.git.revList([`${pull.baseSha}..${pull.headSha}`]);
    const base = (await repo.git.mergeBase(pull.baseSha, pull.headSha)) ?? pull.baseSha;
    const files = await repo.git.changedFiles(base, pull.headSha);
    pull.stats = {
      commits: commits.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
    };
  }

  // ---- issues and pull requests ----

  createIssue(
    repo: RepoState,
    input: { user: string; title: string; body?: string; labels?: string[] },
  ): Issue {
    const now = isoNow();
    const issue: Issue = {
      number: repo.nextNumber++,
      id: this.id(),
      title: input.title,
      body: input.body ?? "",
      state: "open",
      user: input.user,
      labels: [...new Set(input.labels ?? [])],
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    repo.issues.set(issue.number, issue);
    this.note(repo, input.user, `opened issue #${issue.number} “${issue.title}”`);
    this.emit(repo, "issues", "opened", input.user, {
      issue: this.issueJson(this.apiUrl, repo, issue),
    });
    return issue;
  }

  /** Edits an issue's title or body, as GitHub does it: `issues.edited` with what changed. */
  editIssue(
    repo: RepoState,
    number: number,
    input: { title?: string | undefined; body?: string | undefined },
    by: string,
  ): Issue {
    const issue = this.issue(repo, number);
    const changes: Record<string, { from: string }> = {};
    if (input.title !== undefined && input.title !== issue.title) {
      changes.title = { from: issue.title };
      issue.title = input.title;
    }
    if (input.body !== undefined && input.body !== issue.body) {
      changes.body = { from: issue.body };
      issue.body = input.body;
    }
    if (Object.keys(changes).length === 0) return issue;
    issue.updatedAt = isoNow();
    this.note(repo, by, `edited issue #${number} “${issue.title}”`);
    this.emit(repo, "issues", "edited", by, {
      issue: this.issueJson(this.apiUrl, repo, issue),
      changes,
    });
    return issue;
  }

  /**
   * "Close issue" / "Reopen issue", as GitHub does it: `issues.closed` / `issues.reopened`; an
   * issue already in that state sends nothing. PRs are closed with `closePull`.
   */
  setIssueState(repo: RepoState, number: number, state: "open" | "closed", by: string): Issue {
    const issue = this.issue(repo, number);
    if (issue.state === state) return issue;
    issue.state = state;
    issue.updatedAt = isoNow();
    issue.closedAt = state === "closed" ? issue.updatedAt : null;
    const action = state === "closed" ? "closed" : "reopened";
    this.note(repo, by, `${action} issue #${number} “${issue.title}”`);
    this.emit(repo, "issues", action, by, { issue: this.issueJson(this.apiUrl, repo, issue) });
    return issue;
  }

  async openPull(
    repo: RepoState,
    input: {
      user: string;
      head: string;
      base: string;
      title: string;
      body?: string;
      draft?: boolean;
    },
  ): Promise<Issue & { pull: Pull }> {
    const headRef = input.head.includes(":")
      ? input.head.slice(input.head.indexOf(":") + 1)
      : input.head;
    const invalid = (field: string) =>
      unprocessable("Validation Failed", {
        errors: [{ resource: "PullRequest", field, code: "invalid" }],
      });
    const headSha = await repo.git.readRef(`refs/heads/${headRef}`);
    if (!headSha) throw invalid("head");
    const baseSha = await repo.git.readRef(`refs/heads/${input.base}`);
    if (!baseSha) throw invalid("base");
    const custom = (message: string) =>
      unprocessable("Validation Failed", {
        errors: [{ resource: "PullRequest", code: "custom", message }],
      });
    if ((await repo.git.revList([`${baseSha}..${headSha}`])).length === 0) {
      throw custom(`No commits between ${input.base} and ${headRef}`);
    }
    const stats = { commits: 0, additions: 0, deletions: 0, changedFiles: 0 };
    const probe = { baseSha, headSha, stats } as Pull;
    await this.refreshStats(repo, probe);
    // From here on nothing awaits: the check and the insertion are one step, as on GitHub,
    // so two concurrent requests for the same branch cannot both open a PR.
    const existing = [...repo.issues.values()].find(
      (i) => i.state === "open" && i.pull?.headRef === headRef && i.pull.baseRef === input.base,
    );
    if (existing) throw custom(`A pull request already exists for ${repo.owner}:${headRef}.`);
    const now = isoNow();
    const number = repo.nextNumber++;
    const pull: Pull = {
      number,
      id: this.id(),
      headRef,
      headSha,
      baseRef: input.base,
      baseSha,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      requestedReviewers: [],
      requestedTeams: [],
      stats: probe.stats,
    };
    const issue = {
      number,
      id: this.id(),
      title: input.title,
      body: input.body ?? "",
      state: "open" as const,
      user: input.user,
      labels: [],
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      pull,
    };
    repo.issues.set(number, issue);
    this.note(
      repo,
      input.user,
      `opened ${pull.draft ? "draft " : ""}PR #${number} “${input.title}” (${headRef} → ${input.base})`,
    );
    this.emit(repo, "pull_request", "opened", input.user, {
      number,
      pull_request: this.pullJson(this.apiUrl, repo, issue),
    });
    return issue;
  }

  /** Adds labels (present ones stay); one `labeled` event per new label, as on GitHub. */
  addLabels(repo: RepoState, number: number, labels: readonly string[], by: string): string[] {
    const issue = this.issue(repo, number);
    const added = labels.filter(
      (l) => !issue.labels.some((h) => h.toLowerCase() === l.toLowerCase()),
    );
    for (const label of added) {
      issue.labels.push(label);
      issue.updatedAt = isoNow();
      this.labelEvent(repo, issue, "labeled", label, by);
    }
    if (added.length > 0)
      this.note(repo, by, `labelled #${number} ${added.map((l) => `“${l}”`).join(", ")}`);
    return issue.labels;
  }

  setLabels(repo: RepoState, number: number, labels: readonly string[], by: string): void {
    const issue = this.issue(repo, number);
    const removed = issue.labels.filter((l) => !labels.includes(l));
    for (const label of removed) {
      issue.labels = issue.labels.filter((l) => l !== label);
      this.labelEvent(repo, issue, "unlabeled", label, by);
    }
    this.addLabels(repo, number, labels, by);
  }

  private labelEvent(repo: RepoState, issue: Issue, action: string, label: string, by: string) {
    const labelJson = (this.issueJson(this.apiUrl, repo, issue).labels.find(
      (l) => l.name === label,
    ) ?? {
      name: label,
    }) as Record<string, unknown>;
    if (issue.pull) {
      this.emit(repo, "pull_request", action, by, {
        number: issue.number,
        label: labelJson,
        pull_request: this.pullJson(this.apiUrl, repo, issue),
      });
    } else {
      this.emit(repo, "issues", action, by, {
        label: labelJson,
        issue: this.issueJson(this.apiUrl, repo, issue),
      });
    }
  }

  setAssignees(repo: RepoState, number: number, assignees: readonly string[], by: string): void {
    const issue = this.issue(repo, number);
    issue.assignees = [...new Set(assignees)];
    issue.updatedAt = isoNow();
    this.note(
      repo,
      by,
      `assigned #${number} to ${assignees.map((a) => `@${a}`).join(", ") || "nobody"}`,
    );
  }

  /**
   * Review requests from users and teams. As on GitHub, the whole request is refused (422) when
   * one user is not a collaborator, or one team is not a team of the repository's organisation;
   * asking someone already asked changes nothing and sends no event.
   */
  requestReviewers(
    repo: RepoState,
    number: number,
    reviewers: readonly string[],
    by: string,
    teams: readonly string[] = [],
  ): void {
    const issue = this.pull(repo, number);
    const strangers = reviewers.filter((r) => !repo.permissions.has(r.toLowerCase()));
    const unknownTeams = teams.filter((t) => !this.team(repo.owner, t));
    if (strangers.length > 0 || unknownTeams.length > 0) {
      throw unprocessable(
        `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`,
      );
    }
    if (reviewers.some((r) => r.toLowerCase() === issue.user.toLowerCase())) {
      throw unprocessable("Review cannot be requested from pull request author.");
    }
    for (const reviewer of reviewers) {
      if (!issue.pull.requestedReviewers.includes(reviewer)) {
        issue.pull.requestedReviewers.push(reviewer);
        this.emit(repo, "pull_request", "review_requested", by, {
          number,
          requested_reviewer: userJson(this.apiUrl, this.user(reviewer)),
          pull_request: this.pullJson(this.apiUrl, repo, issue),
        });
      }
    }
    for (const slug of teams) {
      const team = this.team(repo.owner, slug) as Team;
      if (issue.pull.requestedTeams.includes(team.slug)) continue;
      issue.pull.requestedTeams.push(team.slug);
      this.emit(repo, "pull_request", "review_requested", by, {
        number,
        requested_reviewer: undefined,
        requested_team: teamJson(this.apiUrl, team),
        pull_request: this.pullJson(this.apiUrl, repo, issue),
      });
    }
    const asked = [...reviewers.map((r) => `@${r}`), ...teams.map((t) => `@${repo.owner}/${t}`)];
    this.note(repo, by, `asked ${asked.join(", ")} to review #${number}`);
  }

  // ---- comments and reactions ----

  comment(repo: RepoState, number: number, user: string, body: string): Comment {
    const issue = this.issue(repo, number);
    const now = isoNow();
    const comment: Comment = {
      id: this.id(),
      issue: number,
      user,
      body,
      createdAt: now,
      updatedAt: now,
      reactions: [],
    };
    repo.comments.set(comment.id, comment);
    this.note(
      repo,
      user,
      `commented on #${number}: ${firstLine(body)}`,
      body,
      `comment ${comment.id}`,
    );
    this.emit(repo, "issue_comment", "created", user, {
      issue: this.issueJson(this.apiUrl, repo, issue),
      comment: commentJson(this.apiUrl, repo, comment, this.user),
    });
    return comment;
  }

  commentJson(api: string, repo: RepoState, comment: Comment) {
    return commentJson(api, repo, comment, this.user);
  }

  editComment(repo: RepoState, id: number, body: string, by: string): Comment {
    const comment = repo.comments.get(id);
    if (!comment) throw notFound();
    const before = comment.body;
    comment.body = body;
    comment.updatedAt = isoNow();
    this.note(
      repo,
      by,
      `edited a comment on #${comment.issue}: ${firstLine(body)}`,
      body,
      `comment ${id}`,
    );
    this.emit(repo, "issue_comment", "edited", by, {
      changes: { body: { from: before } },
      issue: this.issueJson(this.apiUrl, repo, this.issue(repo, comment.issue)),
      comment: this.commentJson(this.apiUrl, repo, comment),
    });
    return comment;
  }

  deleteComment(repo: RepoState, id: number, by: string): void {
    const comment = repo.comments.get(id);
    if (!comment) throw notFound();
    repo.comments.delete(id);
    this.note(repo, by, `deleted a comment on #${comment.issue}`, undefined, `comment ${id}`);
    this.emit(repo, "issue_comment", "deleted", by, {
      issue: this.issueJson(this.apiUrl, repo, this.issue(repo, comment.issue)),
      comment: this.commentJson(this.apiUrl, repo, comment),
    });
  }

  /** A reaction; the same one again by the same person is not added twice (GitHub answers 200). */
  react(repo: RepoState, commentId: number, user: string, content: string) {
    const comment = repo.comments.get(commentId);
    if (!comment) throw notFound();
    const existing = comment.reactions.find((r) => r.user === user && r.content === content);
    if (existing) return { created: false, reaction: existing };
    const reaction = { id: this.id(), user, content, createdAt: isoNow() };
    comment.reactions.push(reaction);
    this.note(
      repo,
      user,
      `reacted ${REACTION_ICON[content] ?? content} to ${comment.user}'s comment on #${comment.issue}`,
    );
    return { created: true, reaction };
  }

  // ---- reviews ----

  review(
    repo: RepoState,
    number: number,
    input: { user: string; state: Review["state"]; body?: string; commitId?: string },
  ): Review {
    const issue = this.pull(repo, number);
    if (issue.user.toLowerCase() === input.user.toLowerCase() && input.state !== "COMMENTED") {
      throw unprocessable("Unprocessable Entity", {
        errors: ["Can not approve your own pull request"],
      });
    }
    const review: Review = {
      id: this.id(),
      pull: number,
      user: input.user,
      body: input.body ?? "",
      state: input.state,
      commitId: input.commitId ?? issue.pull.headSha,
      submittedAt: isoNow(),
    };
    repo.reviews.push(review);
    issue.pull.requestedReviewers = issue.pull.requestedReviewers.filter(
      (r) => r.toLowerCase() !== input.user.toLowerCase(),
    );
    // A review by a member of a requested team answers the team's request.
    issue.pull.requestedTeams = issue.pull.requestedTeams.filter(
      (slug) => !this.team(repo.owner, slug)?.members.has(input.user.toLowerCase()),
    );
    this.note(
      repo,
      input.user,
      `${REVIEW_WORDS[input.state]} #${number} at ${short(review.commitId)}`,
    );
    this.emit(repo, "pull_request_review", "submitted", input.user, {
      review: { ...this.reviewJson(this.apiUrl, repo, review), state: input.state.toLowerCase() },
      pull_request: this.pullJson(this.apiUrl, repo, issue),
    });
    return review;
  }

  reviewJson(api: string, repo: RepoState, review: Review) {
    return reviewJson(api, repo, review, this.user);
  }

  // ---- checks and statuses ----

  checkRunJson(api: string, repo: RepoState, run: CheckRun) {
    const pulls = [...repo.issues.values()].filter(
      (i) => i.state === "open" && i.pull?.headSha === run.headSha,
    );
    return checkRunJson(api, repo, run, {
      owner: this.user(repo.owner),
      pulls,
      headBranch: pulls[0]?.pull?.headRef ?? null,
      userOf: this.user,
    });
  }

  async createCheckRun(
    repo: RepoState,
    input: {
      headSha: string;
      name: string;
      status?: CheckRun["status"];
      conclusion?: string | null;
      detailsUrl?: string | null;
      externalId?: string;
      output?: {
        title?: string | null;
        summary?: string | null;
        text?: string | null;
        annotations?: unknown[];
      };
      app: CheckApp;
    },
    by: string,
  ): Promise<CheckRun> {
    if (!(await this.resolve(repo, input.headSha)) || !/^[0-9a-f]{40}$/.test(input.headSha)) {
      throw unprocessable(`No commit found for SHA: ${input.headSha}`);
    }
    const sibling = repo.checkRuns.find(
      (r) => r.app.id === input.app.id && r.headSha === input.headSha,
    );
    const now = isoNow();
    const completed = input.conclusion !== undefined && input.conclusion !== null;
    const run: CheckRun = {
      id: this.id(),
      suiteId: sibling?.suiteId ?? this.id(),
      headSha: input.headSha,
      name: input.name,
      status: completed ? "completed" : (input.status ?? "queued"),
      conclusion: completed ? (input.conclusion as string) : null,
      startedAt: now,
      completedAt: completed || input.status === "completed" ? now : null,
      detailsUrl: input.detailsUrl ?? null,
      externalId: input.externalId ?? "",
      output: {
        title: input.output?.title ?? null,
        summary: input.output?.summary ?? null,
        text: input.output?.text ?? null,
        annotations: input.output?.annotations ?? [],
      },
      app: input.app,
    };
    repo.checkRuns.push(run);
    this.note(
      repo,
      by,
      describeRun("created", run),
      run.output.summary ?? undefined,
      `check-run ${run.id}`,
    );
    this.emit(repo, "check_run", "created", by, {
      check_run: this.checkRunJson(this.apiUrl, repo, run),
    });
    if (run.status === "completed") this.runCompleted(repo, run, by);
    return run;
  }

  updateCheckRun(
    repo: RepoState,
    id: number,
    input: {
      name?: string;
      status?: CheckRun["status"];
      conclusion?: string | null;
      detailsUrl?: string | null;
      output?: {
        title?: string | null;
        summary?: string | null;
        text?: string | null;
        annotations?: unknown[];
      };
      app?: CheckApp;
    },
    by: string,
  ): CheckRun {
    const run = repo.checkRuns.find((r) => r.id === id);
    if (!run) throw notFound();
    if (input.app && input.app.id !== run.app.id) {
      throw new HttpError(
        403,
        "Invalid app_id `" + input.app.id + "` - check run can only be modified by its creator.",
      );
    }
    const wasCompleted = run.status === "completed";
    if (input.name !== undefined) run.name = input.name;
    if (input.detailsUrl !== undefined) run.detailsUrl = input.detailsUrl;
    if (input.output) {
      run.output = {
        title: input.output.title ?? run.output.title,
        summary: input.output.summary ?? run.output.summary,
        text: input.output.text ?? run.output.text,
        annotations: input.output.annotations ?? run.output.annotations,
      };
    }
    if (input.conclusion !== undefined && input.conclusion !== null) {
      run.conclusion = input.conclusion;
      run.status = "completed";
    } else if (input.status !== undefined) {
      run.status = input.status;
      if (input.status !== "completed") run.conclusion = null;
    }
    if (run.status === "completed" && !run.completedAt) run.completedAt = isoNow();
    this.note(
      repo,
      by,
      describeRun("updated", run),
      run.output.summary ?? undefined,
      `check-run ${run.id}`,
    );
    if (run.status === "completed" && !wasCompleted) this.runCompleted(repo, run, by);
    return run;
  }

  private runCompleted(repo: RepoState, run: CheckRun, by: string): void {
    this.emit(repo, "check_run", "completed", by, {
      check_run: this.checkRunJson(this.apiUrl, repo, run),
    });
    const suite = repo.checkRuns.filter((r) => r.suiteId === run.suiteId);
    if (suite.every((r) => r.status === "completed")) {
      const pulls = [...repo.issues.values()].filter(
        (i) => i.state === "open" && i.pull?.headSha === run.headSha,
      );
      this.emit(repo, "check_suite", "completed", by, {
        check_suite: checkSuiteJson(this.apiUrl, repo, suite, {
          owner: this.user(repo.owner),
          pulls,
          headBranch: pulls[0]?.pull?.headRef ?? null,
          userOf: this.user,
        }),
      });
    }
  }

  async createStatus(
    repo: RepoState,
    sha: string,
    input: {
      state: CommitStatus["state"];
      context?: string;
      description?: string | null;
      targetUrl?: string | null;
    },
    by: string,
  ): Promise<CommitStatus> {
    if (!(await repo.git.resolveCommit(sha)))
      throw unprocessable(`No commit found for SHA: ${sha}`);
    const status: CommitStatus = {
      id: this.id(),
      sha,
      context: input.context ?? "default",
      state: input.state,
      description: input.description ?? null,
      targetUrl: input.targetUrl ?? null,
      creator: by,
      createdAt: isoNow(),
    };
    repo.statuses.push(status);
    this.note(repo, by, `set status “${status.context}” on ${short(sha)}: ${status.state}`);
    const commit = await repo.git.readCommit(sha);
    const branches = [];
    for (const r of await repo.git.listRefs("refs/heads/")) {
      if (branches.length < 10 && (await repo.git.isAncestor(sha, r.sha))) {
        branches.push({
          name: r.ref.slice("refs/heads/".length),
          commit: {
            sha: r.sha,
            url: `${this.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${r.sha}`,
          },
          protected: false,
        });
      }
    }
    this.emit(repo, "status", undefined, by, {
      ...statusJson(this.apiUrl, repo, status, this.user),
      sha,
      name: `${repo.owner}/${repo.name}`,
      commit: commit
        ? {
            sha,
            node_id: nodeId("Commit", sha),
            commit: { author: commit.author, committer: commit.committer, message: commit.message },
            url: `${this.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}`,
            html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${sha}`,
            parents: commit.parents.map((p) => ({ sha: p })),
          }
        : null,
      branches,
    });
    return status;
  }

  // ---- merging a pull request ----

  /** "Close pull request" without merging, as GitHub does it: `pull_request.closed`, not merged. */
  /** A draft marked ready for review (`ready_for_review`); a PR that is no draft is left alone. */
  markReady(repo: RepoState, number: number, by: string): void {
    const issue = this.pull(repo, number);
    if (!issue.pull.draft) return;
    issue.pull.draft = false;
    issue.updatedAt = isoNow();
    this.note(repo, by, `marked #${number} ready for review`);
    this.emit(repo, "pull_request", "ready_for_review", by, {
      number,
      pull_request: this.pullJson(this.apiUrl, repo, issue),
    });
  }

  closePull(repo: RepoState, number: number, by: string): void {
    const issue = this.pull(repo, number);
    if (issue.state !== "open") return;
    issue.state = "closed";
    issue.closedAt = issue.updatedAt = isoNow();
    this.note(repo, by, `closed #${number} without merging`);
    this.emit(repo, "pull_request", "closed", by, {
      number,
      pull_request: this.pullJson(this.apiUrl, repo, issue),
    });
  }

  async mergePull(
    repo: RepoState,
    number: number,
    input: { sha?: string; method?: string; title?: string; message?: string },
    by: string,
  ): Promise<{ sha: string }> {
    const issue = this.pull(repo, number);
    const pull = issue.pull;
    const method = input.method ?? "merge";
    const git = repo.git;
    const baseRef = `refs/heads/${pull.baseRef}`;
    const result = await git.exclusive(async () => {
      if (pull.merged || issue.state !== "open")
        throw new HttpError(405, "Pull Request is not mergeable");
      if (pull.draft) throw new HttpError(405, "Pull Request is still a draft");
      if (input.sha !== undefined && input.sha !== pull.headSha) {
        throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
      }
      for (const check of this.mergeChecks) check(repo, issue, method, by);
      const base = await git.readRef(baseRef);
      if (!base) throw new HttpError(405, "Base branch does not exist");
      const merged = await git.mergeTrees(base, pull.headSha);
      if (!merged.clean) throw new HttpError(405, "Pull Request is not mergeable");
      const now = isoNow();
      const merger = this.user(by);
      const author = this.user(issue.user);
      let sha: string;
      if (method === "squash") {
        const commits = await git.readCommits(
          await git.revList(["--reverse", `${base}..${pull.headSha}`]),
        );
        const body =
          input.message ??
          commits.map((c) => `* ${(c?.message ?? "").split("\n")[0]}`).join("\n\n");
        sha = await git.writeCommit({
          tree: merged.tree,
          parents: [base],
          message: `${input.title ?? `${issue.title} (#${number})`}\n\n${body}`.trimEnd(),
          author: { name: author.name, email: author.email, date: now },
          committer: { ...GITHUB_IDENTITY, date: now },
        });
      } else if (method === "rebase") {
        sha = await this.replay(git, base, pull.headSha, now);
      } else if (method === "merge") {
        sha = await git.writeCommit({
          tree: merged.tree,
          parents: [base, pull.headSha],
          message: `${input.title ?? `Merge pull request #${number} from ${repo.owner}/${pull.headRef}`}\n\n${input.message ?? issue.title}`,
          author: { name: merger.name, email: merger.email, date: now },
          committer: { ...GITHUB_IDENTITY, date: now },
        });
      } else {
        throw unprocessable(`Invalid request.\n\n${method} is not a valid merge method.`);
      }
      if (!(await git.swapRef(baseRef, sha, base))) {
        throw new HttpError(409, "Base branch was modified. Review and try the merge again.");
      }
      pull.merged = true;
      pull.mergedAt = now;
      pull.mergedBy = by;
      pull.mergeCommitSha = sha;
      pull.baseSha = base;
      issue.state = "closed";
      issue.closedAt = now;
      issue.updatedAt = now;
      return { base, sha };
    });
    this.note(
      repo,
      by,
      `merged PR #${number} into ${pull.baseRef} (${method}) as ${short(result.sha)}`,
    );
    this.emit(repo, "pull_request", "closed", by, {
      number,
      pull_request: this.pullJson(this.apiUrl, repo, issue),
    });
    this.later(() => this.emitPush(repo, baseRef, result.base, result.sha, by));
    for (const other of repo.issues.values()) {
      if (other.pull && other.state === "open" && other.pull.baseRef === pull.baseRef)
        other.pull.baseSha = result.sha;
    }
    return { sha: result.sha };
  }

  /** A rebase merge: each commit of the PR replayed on the base, keeping its author. */
  private async replay(git: GitRepo, base: string, head: string, now: string): Promise<string> {
    let onto = base;
    for (const sha of await git.revList(["--reverse", `${base}..${head}`])) {
      const commit = await git.readCommit(sha);
      if (!commit) throw new Error(`commit ${sha} vanished`);
      if (commit.parents.length !== 1) continue;
      const identity: Signature = { ...GITHUB_IDENTITY, date: now };
      const tree = await git.treeOf(onto);
      const sibling = await git.writeCommit({
        tree: tree as string,
        parents: [commit.parents[0] as string],
        message: "sibling",
        author: identity,
        committer: identity,
      });
      const merged = await git.mergeTrees(sibling, sha);
      if (!merged.clean) throw new HttpError(405, "Pull Request is not mergeable");
      onto = await git.writeCommit({
        tree: merged.tree,
        parents: [onto],
        message: commit.message,
        author: commit.author,
        committer: identity,
      });
    }
    return onto;
  }

  // ---- releases ----

  releaseJson(api: string, repo: RepoState, release: Release) {
    return releaseJson(api, repo, release, this.user);
  }

  async createRelease(
    repo: RepoState,
    input: {
      tagName: string;
      targetCommitish?: string;
      name?: string | null;
      body?: string | null;
      draft?: boolean;
      prerelease?: boolean;
      makeLatest?: string;
    },
    by: string,
  ): Promise<Release> {
    if (repo.releases.some((r) => r.tagName === input.tagName)) {
      throw unprocessable("Validation Failed", {
        errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }],
      });
    }
    const draft = input.draft ?? false;
    const target = input.targetCommitish ?? repo.git.defaultBranch;
    const tagRef = `refs/tags/${input.tagName}`;
    let createdTag: string | null = null;
    if (!draft && !(await repo.git.readRef(tagRef))) {
      const sha = await repo.git.resolveCommit(target);
      if (!sha) {
        throw unprocessable("Validation Failed", {
          errors: [{ resource: "Release", code: "invalid", field: "target_commitish" }],
        });
      }
      if (!(await repo.git.exclusive(() => repo.git.swapRef(tagRef, sha, ZERO_SHA)))) {
        throw unprocessable("Validation Failed", {
          errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }],
        });
      }
      createdTag = sha;
    }
    // Checked again with nothing awaited before the insertion: one release per tag, atomically.
    if (repo.releases.some((r) => r.tagName === input.tagName)) {
      throw unprocessable("Validation Failed", {
        errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }],
      });
    }
    const now = isoNow();
    const release: Release = {
      id: this.id(),
      tagName: input.tagName,
      targetCommitish: target,
      name: input.name ?? null,
      body: input.body ?? null,
      draft,
      prerelease: input.prerelease ?? false,
      author: by,
      createdAt: now,
      publishedAt: draft ? null : now,
    };
    repo.releases.unshift(release);
    const latest = !draft && !release.prerelease && input.makeLatest !== "false";
    if (latest) repo.latestRelease = release.tagName;
    this.note(
      repo,
      by,
      `published ${draft ? "draft " : ""}release ${release.tagName}${latest ? " (Latest)" : " (not marked Latest)"}`,
      release.body ?? undefined,
    );
    if (createdTag) await this.refUpdated(repo, tagRef, null, createdTag, by);
    const json = this.releaseJson(this.apiUrl, repo, release);
    this.emit(repo, "release", "created", by, { release: json });
    if (!draft) this.emit(repo, "release", "published", by, { release: json });
    return release;
  }

  // ---- deployments ----

  deploymentJson(api: string, repo: RepoState, d: Deployment) {
    return deploymentJson(api, repo, d, this.user);
  }

  deploymentStatusJson(api: string, repo: RepoState, d: Deployment, s: DeploymentStatus) {
    return deploymentStatusJson(api, repo, d, s, this.user);
  }

  async createDeployment(
    repo: RepoState,
    input: {
      ref: string;
      task?: string;
      autoMerge?: boolean;
      requiredContexts?: string[];
      payload?: unknown;
      environment?: string;
      description?: string | null;
      productionEnvironment?: boolean;
      transientEnvironment?: boolean;
    },
    by: string,
  ): Promise<Deployment> {
    const sha = await repo.git.resolveCommit(input.ref);
    if (!sha) throw new HttpError(422, `No ref found for: ${input.ref}`);
    const isBranch = (await repo.git.readRef(`refs/heads/${input.ref}`)) !== null;
    if (input.autoMerge !== false && isBranch) {
      const main = await repo.git.readRef(`refs/heads/${repo.git.defaultBranch}`);
      if (main && !(await repo.git.isAncestor(main, sha))) {
        // GitHub would merge the default branch into the ref first (and answer 202); the
        // stand-in does not model that, and refuses rather than pretend.
        throw new HttpError(
          409,
          `Conflict merging ${repo.git.defaultBranch} into ${input.ref}. (stand-in: auto_merge is not modelled; send auto_merge: false)`,
        );
      }
    }
    const contexts = input.requiredContexts ?? (await this.allContexts(repo, sha));
    const failing = [];
    for (const context of contexts) {
      const state = this.contextState(repo, sha, context);
      if (state !== "success") failing.push({ context, state: state ?? "missing" });
    }
    if (failing.length > 0) {
      throw new HttpError(409, `Conflict: Commit status checks failed for ${input.ref}.`, {
        errors: [
          {
            contexts: failing,
            resource: "Deployment",
            field: "required_contexts",
            code: "invalid",
          },
        ],
      });
    }
    const environment = input.environment ?? "production";
    const deployment: Deployment = {
      id: this.id(),
      sha,
      ref: input.ref,
      task: input.task ?? "deploy",
      payload: input.payload ?? {},
      environment,
      description: input.description ?? null,
      creator: by,
      createdAt: isoNow(),
      productionEnvironment: input.productionEnvironment ?? environment === "production",
      transientEnvironment: input.transientEnvironment ?? false,
      statuses: [],
    };
    repo.deployments.unshift(deployment);
    this.note(repo, by, `created deployment ${deployment.id}: ${input.ref} → ${environment}`);
    this.emit(repo, "deployment", "created", by, {
      deployment: this.deploymentJson(this.apiUrl, repo, deployment),
      workflow: null,
      workflow_run: null,
    });
    return deployment;
  }

  private async allContexts(repo: RepoState, sha: string): Promise<string[]> {
    const names = new Set<string>();
    for (const s of repo.statuses) if (s.sha === sha) names.add(s.context);
    for (const r of repo.checkRuns) if (r.headSha === sha) names.add(r.name);
    return [...names];
  }

  /** "success" when the latest status or check run of that name on the commit succeeded. */
  private contextState(repo: RepoState, sha: string, context: string): string | null {
    const status = repo.statuses.filter((s) => s.sha === sha && s.context === context).pop();
    if (status) return status.state;
    const run = repo.checkRuns.filter((r) => r.headSha === sha && r.name === context).pop();
    if (!run) return null;
    if (run.status !== "completed") return "pending";
    return ["success", "neutral", "skipped"].includes(run.conclusion ?? "") ? "success" : "failure";
  }

  createDeploymentStatus(
    repo: RepoState,
    id: number,
    input: {
      state: DeploymentStatus["state"];
      description?: string;
      logUrl?: string;
      targetUrl?: string;
      environmentUrl?: string;
      environment?: string;
      autoInactive?: boolean;
    },
    by: string,
  ): DeploymentStatus {
    const deployment = repo.deployments.find((d) => d.id === id);
    if (!deployment) throw notFound();
    const status: DeploymentStatus = {
      id: this.id(),
      state: input.state,
      creator: by,
      description: input.description ?? "",
      environment: input.environment ?? deployment.environment,
      targetUrl: input.targetUrl ?? input.logUrl ?? "",
      logUrl: input.logUrl ?? input.targetUrl ?? "",
      environmentUrl: input.environmentUrl ?? "",
      createdAt: isoNow(),
    };
    deployment.statuses.push(status);
    this.note(
      repo,
      by,
      `reported deployment ${id} (${deployment.ref} → ${deployment.environment}): ${status.state}${status.description ? ` — ${status.description}` : ""}`,
    );
    this.emit(repo, "deployment_status", "created", by, {
      deployment_status: this.deploymentStatusJson(this.apiUrl, repo, deployment, status),
      deployment: this.deploymentJson(this.apiUrl, repo, deployment),
      check_run: null,
      workflow_run: null,
    });
    // GitHub: "adds a new inactive status to all prior non-transient, non-production environment
    // deployments with the same repository and environment name … that had a success state".
    if (input.state === "success" && input.autoInactive !== false) {
      for (const older of repo.deployments) {
        if (older.id === id || older.environment !== deployment.environment) continue;
        if (older.transientEnvironment || older.productionEnvironment) continue;
        if (Date.parse(older.createdAt) > Date.parse(deployment.createdAt) || older.id > id)
          continue;
        const last = older.statuses[older.statuses.length - 1];
        if (
          !last ||
          last.state === "inactive" ||
          !older.statuses.some((s) => s.state === "success")
        )
          continue;
        older.statuses.push({ ...status, id: this.id(), state: "inactive", description: "" });
      }
    }
    return status;
  }
}

export type TeamRole = "member" | "maintainer";

export interface TeamOptions {
  name?: string;
  /** Members (active or pending) whose role is maintainer. */
  maintainers?: readonly string[];
  /** Invited, not yet accepted. */
  pending?: readonly string[];
  /** false: a secret team the App cannot see (404, as for no team). Default true. */
  visible?: boolean;
}

export interface HubSnapshot {
  repos: Map<string, RepoState>;
  /** Deletes the snapshot's git copies. */
  dispose(): Promise<void>;
}

async function copyRepo(repo: RepoState): Promise<RepoState> {
  const { git, ...data } = repo;
  return { ...structuredClone(data), git: await git.copy() };
}

const REVIEW_WORDS: Record<Review["state"], string> = {
  APPROVED: "approved",
  CHANGES_REQUESTED: "requested changes on",
  COMMENTED: "reviewed (comment) ",
  DISMISSED: "dismissed a review on",
};

const REACTION_ICON: Record<string, string> = {
  eyes: "👀",
  rocket: "🚀",
  confused: "😕",
  "+1": "👍",
  "-1": "👎",
  hooray: "🎉",
};

const RUN_ICON: Record<string, string> = {
  success: "✅",
  failure: "❌",
  neutral: "◻️",
  cancelled: "⊘",
  skipped: "➖",
  timed_out: "⌛",
};

function describeRun(verb: string, run: CheckRun): string {
  const state =
    run.status === "completed"
      ? `${RUN_ICON[run.conclusion ?? ""] ?? ""} ${run.conclusion}`
      : `⏳ ${run.status}`;
  const title = run.output.title ? ` — ${run.output.title}` : "";
  return `${verb} check run “${run.name}” on ${short(run.headSha)}: ${state}${title}`;
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "" && !l.startsWith("<!--")) ?? "";
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
