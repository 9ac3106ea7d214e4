/**
 * Pull requests: list, get, open (422 when one exists for the branch or there is nothing to
 * compare), merge (`PUT …/merge`: 409 when the head moved from `sha`, 405 when GitHub cannot
 * merge it — merged by git, squash/merge/rebase), reviews, files, commits, review requests,
 * and the PRs of a commit. State lives in the hub; git answers the commit and file questions.
 */
import { HttpError, unprocessable, type RouteModule } from "../router.js";
import { isoNow, type Issue, type Pull, type RepoState } from "../model.js";
import { commitJson, fileJson, scope } from "./shapes.js";
import {
  bodyOf,
  callerOf,
  numberParam,
  optionalString,
  paged,
  REPO,
  repoOf,
  requiredString,
  stringList,
} from "./common.js";

type PullIssue = Issue & { pull: Pull };

const pullsOf = (repo: RepoState): PullIssue[] =>
  [...repo.issues.values()].filter((i): i is PullIssue => i.pull !== undefined);

/** The PR's commits, oldest first (GitHub lists at most 250). */
async function pullCommits(repo: RepoState, pull: Pull): Promise<string[]> {
  return (await repo.git.revList(["--reverse", `${pull.baseSha}..${pull.headSha}`])).slice(0, 250);
}

export const pullsRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  router.get(`${REPO}/pulls`, (context) => {
    const repo = repoOf(world, context);
    const state = context.query.get("state") ?? "open";
    const head = context.query.get("head");
    const base = context.query.get("base");
    const sort = context.query.get("sort") ?? "created";
    if (!["created", "updated", "popularity", "long-running"].includes(sort))
      throw unprocessable(
        `Invalid request.\n\n${sort} is not a member of ["created", "updated", "popularity", "long-running"].`,
      );
    // GitHub's default direction: desc when sorting by creation, asc otherwise.
    const direction = context.query.get("direction") ?? (sort === "created" ? "desc" : "asc");
    // `updated` orders by the last change (a push, a label, an edit); the number breaks ties.
    const key = (i: PullIssue) =>
      sort === "updated"
        ? `${i.updatedAt} ${String(i.number).padStart(9, "0")}`
        : String(i.number).padStart(9, "0");
    const list = pullsOf(repo)
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => {
        if (!head) return true;
        const [owner, branch] = head.includes(":") ? head.split(":") : [repo.owner, head];
        return owner?.toLowerCase() === repo.owner.toLowerCase() && i.pull.headRef === branch;
      })
      .filter((i) => !base || i.pull.baseRef === base)
      .sort((a, b) => (direction === "asc" ? 1 : -1) * key(a).localeCompare(key(b)))
      .map((i) => hub.pullJson(context.apiUrl, repo, i));
    return paged(context, list);
  });

  router.post(`${REPO}/pulls`, async (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const draft = body.draft === true;
    const issue = await hub.openPull(repo, {
      user: callerOf(world, context),
      head: requiredString(body, "head"),
      base: requiredString(body, "base"),
      title: requiredString(body, "title"),
      body: optionalString(body, "body") ?? "",
      draft,
    });
    return {
      status: 201,
      headers: {
        location: `${context.apiUrl}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}`,
      },
      body: hub.pullJson(context.apiUrl, repo, issue),
    };
  });

  router.get(`${REPO}/pulls/{pull_number}`, (context) => {
    const repo = repoOf(world, context);
    const issue = hub.pull(repo, numberParam(context, "pull_number"));
    return { status: 200, body: hub.pullJson(context.apiUrl, repo, issue) };
  });

  router.put(`${REPO}/pulls/{pull_number}/merge`, async (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const method = optionalString(body, "merge_method") ?? "merge";
    if (!["merge", "squash", "rebase"].includes(method)) {
      throw unprocessable(
        `Invalid request.\n\n${method} is not a member of ["merge", "squash", "rebase"].`,
      );
    }
    const title = optionalString(body, "commit_title");
    const message = optionalString(body, "commit_message");
    const sha = optionalString(body, "sha");
    const merged = await hub.mergePull(
      repo,
      numberParam(context, "pull_number"),
      {
        method,
        ...(sha === undefined ? {} : { sha }),
        ...(title === undefined ? {} : { title }),
        ...(message === undefined ? {} : { message }),
      },
      callerOf(world, context),
    );
    return {
      status: 200,
      body: { sha: merged.sha, merged: true, message: "Pull Request successfully merged" },
    };
  });

  // Edit a PR: its title, its body, or close it (without merging) and reopen it.
  router.patch(`${REPO}/pulls/{pull_number}`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "pull_number");
    const issue = hub.pull(repo, number);
    const body = bodyOf(context);
    const state = optionalString(body, "state");
    if (state !== undefined && state !== "open" && state !== "closed")
      throw new HttpError(
        422,
        `Invalid request.\n\n${state} is not a member of ["open", "closed"].`,
      );
    const title = optionalString(body, "title");
    if (title !== undefined) issue.title = title;
    const text = optionalString(body, "body");
    if (text !== undefined) issue.body = text;
    issue.updatedAt = isoNow();
    if (title !== undefined || text !== undefined)
      hub.note(repo, callerOf(world, context), `edited #${number}`);
    if (state === "closed") hub.closePull(repo, number, callerOf(world, context));
    return { status: 200, body: hub.pullJson(context.apiUrl, repo, issue) };
  });

  router.get(`${REPO}/pulls/{pull_number}/reviews`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "pull_number");
    hub.pull(repo, number);
    const reviews = repo.reviews
      .filter((r) => r.pull === number)
      .map((r) => hub.reviewJson(context.apiUrl, repo, r));
    return paged(context, reviews);
  });

  router.get(`${REPO}/pulls/{pull_number}/files`, async (context) => {
    const repo = repoOf(world, context);
    const { pull } = hub.pull(repo, numberParam(context, "pull_number"));
    const from = (await repo.git.mergeBase(pull.baseSha, pull.headSha)) ?? pull.baseSha;
    const files = await repo.git.changedFiles(from, pull.headSha);
    const git = scope(world, context);
    return paged(context, files.map((f) => fileJson(git, pull.headSha, f)).slice(0, 3000));
  });

  router.get(`${REPO}/pulls/{pull_number}/commits`, async (context) => {
    const repo = repoOf(world, context);
    const { pull } = hub.pull(repo, numberParam(context, "pull_number"));
    const shas = await pullCommits(repo, pull);
    const commits = await repo.git.readCommits(shas);
    const git = scope(world, context);
    return paged(
      context,
      commits.map((c, i) => {
        if (!c) throw new Error(`commit ${shas[i]} vanished`);
        return commitJson(git, c);
      }),
      250,
    );
  });

  router.post(`${REPO}/pulls/{pull_number}/requested_reviewers`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "pull_number");
    const body = bodyOf(context);
    const reviewers = stringList(body.reviewers, "reviewers");
    const teams = stringList(body.team_reviewers, "team_reviewers");
    hub.requestReviewers(repo, number, reviewers, callerOf(world, context), teams);
    return { status: 201, body: hub.pullJson(context.apiUrl, repo, hub.pull(repo, number)) };
  });

  router.get(`${REPO}/commits/{commit_sha}/pulls`, async (context) => {
    const repo = repoOf(world, context);
    const sha = context.params.commit_sha ?? "";
    const resolved = await hub.resolve(repo, sha);
    if (!resolved) throw unprocessable(`No commit found for SHA: ${sha}`);
    const found: PullIssue[] = [];
    for (const issue of pullsOf(repo)) {
      const { pull } = issue;
      if (pull.headSha === resolved || pull.mergeCommitSha === resolved) found.push(issue);
      else if (
        !repo.assumedCommits.has(resolved) &&
        (await repo.git.isAncestor(resolved, pull.headSha)) &&
        !(await repo.git.isAncestor(resolved, pull.baseSha))
      ) {
        found.push(issue);
      }
    }
    return paged(
      context,
      found.sort((a, b) => b.number - a.number).map((i) => hub.pullJson(context.apiUrl, repo, i)),
    );
  });
};
