/**
 * What people and other systems do on the stand-in's GitHub in a scenario — push commits, open
 * issues and PRs, review, comment, run CI, report deployments — with the same rules and
 * webhooks as when the app does things through REST. A `RepoHandle` is one repository seen by
 * a scenario; every method names who acts. An `OrgHandle` is one organisation: its teams, who is
 * invited and accepts, and what its owners grant the App.
 */
import type { GitRepo, Signature } from "./git-repo.js";
import { CI_APP, type Hub, type TeamOptions, type TeamRole } from "./hub.js";
import {
  isoNow,
  type CheckApp,
  type CheckRun,
  type CommitStatus,
  type DeploymentStatus,
  type Review,
  type RepoState,
  type Team,
} from "./model.js";
import type { StandIn } from "./server.js";

export type FileChanges = Record<string, string | null>;

export class RepoHandle {
  readonly hub: Hub;

  constructor(
    standIn: StandIn,
    readonly owner: string,
    readonly name: string,
  ) {
    this.hub = standIn.hub;
    if (!standIn.hub.repo(owner, name)) throw new Error(`stand-in: no repository ${owner}/${name}`);
  }

  /** Looked up each time: a restored snapshot replaces the repository's state. */
  get state(): RepoState {
    const state = this.hub.repo(this.owner, this.name);
    if (!state) throw new Error(`stand-in: no repository ${this.owner}/${this.name}`);
    return state;
  }

  get git(): GitRepo {
    return this.state.git;
  }

  private signature(login: string): Signature {
    const user = this.hub.user(login);
    return { name: user.name, email: user.email, date: isoNow() };
  }

  /** Writes a commit with `files` changed (null deletes) on top of `parent`, without moving any ref. */
  async writeCommit(
    parent: string | null,
    files: FileChanges,
    message: string,
    author: string,
  ): Promise<string> {
    const base = parent ? await this.git.treeOf(parent) : null;
    const changes = [];
    // One blob per distinct content: a commit of thousands of like files writes one.
    const blobs = new Map<string, string>();
    for (const [path, content] of Object.entries(files)) {
      if (content === null) changes.push({ path, delete: true as const });
      else {
        const sha = blobs.get(content) ?? (await this.git.writeBlob(Buffer.from(content)));
        blobs.set(content, sha);
        changes.push({ path, mode: "100644", type: "blob" as const, sha });
      }
    }
    const tree = await this.git.buildTree(base, changes);
    const who = this.signature(author);
    return this.git.writeCommit({
      tree,
      parents: parent ? [parent] : [],
      message,
      author: who,
      committer: who,
    });
  }

  /**
   * `git push` of one new commit to `branch` (created from `from` when it does not exist):
   * sends `push`, and `pull_request.synchronize` to open PRs of that branch.
   */
  async push(
    branch: string,
    files: FileChanges,
    message: string,
    author: string,
    options: { from?: string } = {},
  ): Promise<string> {
    const ref = `refs/heads/${branch}`;
    const before = await this.git.readRef(ref);
    const parent = before ?? (options.from ? await this.git.resolveCommit(options.from) : null);
    if (!before && options.from && !parent) throw new Error(`no ${options.from} to branch from`);
    const sha = await this.writeCommit(parent, files, message, author);
    await this.git.git(["update-ref", ref, sha, ...(before ? [before] : [])]);
    await this.hub.refUpdated(this.state, ref, before, sha, author);
    return sha;
  }

  /** Creates a branch at a commit or ref (a push of no new commit). */
  async branch(name: string, at: string, by: string): Promise<string> {
    const sha = await this.git.resolveCommit(at);
    if (!sha) throw new Error(`no ${at} to branch from`);
    await this.git.git(["update-ref", `refs/heads/${name}`, sha, "0".repeat(40)]);
    await this.hub.refUpdated(this.state, `refs/heads/${name}`, null, sha, by);
    return sha;
  }

  /** An annotated tag, as `git tag -a && git push --tags` makes it. */
  async tag(name: string, at: string, by: string): Promise<string> {
    const sha = await this.git.resolveCommit(at);
    if (!sha) throw new Error(`no ${at} to tag`);
    const object = await this.git.writeTag({
      tag: name,
      message: name,
      object: sha,
      type: "commit",
      tagger: this.signature(by),
    });
    await this.git.git(["update-ref", `refs/tags/${name}`, object, "0".repeat(40)]);
    await this.hub.refUpdated(this.state, `refs/tags/${name}`, null, object, by);
    return sha;
  }

  grant(login: string, permission: Parameters<Hub["grant"]>[2]): void {
    this.hub.grant(this.state, login, permission);
  }

  openIssue(user: string, input: { title: string; body?: string; labels?: string[] }) {
    return this.hub.createIssue(this.state, { user, ...input });
  }

  /** Edits an issue's title or body: `issues.edited`. */
  editIssue(user: string, number: number, input: { title?: string; body?: string }) {
    return this.hub.editIssue(this.state, number, input, user);
  }

  /** Closes (or reopens) an issue: `issues.closed` / `issues.reopened`. */
  closeIssue(user: string, number: number, state: "open" | "closed" = "closed") {
    return this.hub.setIssueState(this.state, number, state, user);
  }

  openPull(
    user: string,
    input: { head: string; base: string; title: string; body?: string; draft?: boolean },
  ) {
    return this.hub.openPull(this.state, { user, ...input });
  }

  markReady(user: string, number: number) {
    this.hub.markReady(this.state, number, user);
  }

  closePull(user: string, number: number) {
    this.hub.closePull(this.state, number, user);
  }

  addLabels(user: string, number: number, labels: string[]) {
    return this.hub.addLabels(this.state, number, labels, user);
  }

  review(user: string, number: number, state: Review["state"], body = "") {
    return this.hub.review(this.state, number, { user, state, body });
  }

  comment(user: string, number: number, body: string) {
    return this.hub.comment(this.state, number, user, body);
  }

  /** A CI check run: created in progress, or straight with its conclusion. */
  startCheck(sha: string, name: string, app: CheckApp = CI_APP): Promise<CheckRun> {
    return this.hub.createCheckRun(
      this.state,
      { headSha: sha, name, status: "in_progress", app },
      app.slug,
    );
  }

  finishCheck(run: CheckRun, conclusion: string, title?: string): CheckRun {
    return this.hub.updateCheckRun(
      this.state,
      run.id,
      { conclusion, ...(title ? { output: { title, summary: title } } : {}), app: run.app },
      run.app.slug,
    );
  }

  async check(
    sha: string,
    name: string,
    conclusion: string,
    app: CheckApp = CI_APP,
  ): Promise<CheckRun> {
    return this.finishCheck(await this.startCheck(sha, name, app), conclusion);
  }

  setStatus(
    by: string,
    sha: string,
    context: string,
    state: CommitStatus["state"],
    description?: string,
  ) {
    return this.hub.createStatus(
      this.state,
      sha,
      { context, state, description: description ?? null },
      by,
    );
  }

  /** A deployer's report on a deployment (what a deploy workflow posts back). */
  reportDeployment(
    by: string,
    deploymentId: number,
    state: DeploymentStatus["state"],
    options: { description?: string; logUrl?: string; environmentUrl?: string } = {},
  ): DeploymentStatus {
    return this.hub.createDeploymentStatus(this.state, deploymentId, { state, ...options }, by);
  }

  /** A PR as its issue and pull. */
  pull(number: number) {
    return this.hub.pull(this.state, number);
  }

  async headOf(branch: string): Promise<string> {
    const sha = await this.git.readRef(`refs/heads/${branch}`);
    if (!sha) throw new Error(`no branch ${branch}`);
    return sha;
  }
}

/**
 * One organisation seen by a scenario: its teams, who is invited to them and who accepts, and
 * what its owners grant the App. Team routes answer as GitHub does for each (see routes/access.ts).
 */
export class OrgHandle {
  readonly hub: Hub;

  constructor(
    standIn: StandIn,
    readonly org: string,
  ) {
    this.hub = standIn.hub;
  }

  /** A team; `visible: false` makes it secret to the App (404 on its routes). */
  team(slug: string, members: readonly string[], options: TeamOptions = {}): Team {
    return this.hub.addTeam(this.org, slug, members, options);
  }

  /** A maintainer invites `login`: a pending membership until `accept`. */
  invite(slug: string, login: string, role: TeamRole = "member"): void {
    this.hub.invite(this.org, slug, login, role);
  }

  /** `login` accepts the invitation: an active member from now on. */
  accept(slug: string, login: string): void {
    this.hub.acceptInvite(this.org, slug, login);
  }

  /** The owners do not grant the App the Members permission: team routes answer 403. */
  denyAppMembers(denied = true): void {
    this.hub.denyMembers(this.org, denied);
  }

  /** The App is installed on selected repositories, without this one: 404 on its routes. */
  hideFromApp(repo: string): void {
    this.hub.hideFromInstallation(this.org, repo);
  }
}
