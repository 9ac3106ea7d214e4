/**
 * Issues (and PRs seen as issues): list with `labels`/`since`/`state`, get, update (labels and
 * assignees replace), add labels, comments (list, create, edit, delete) and comment reactions
 * (201 for a new one, 200 when that person already reacted so).
 */
import { HttpError, notFound, type RouteModule } from "../router.js";
import { userJson } from "../json.js";
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

const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

export const issuesRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  router.get(`${REPO}/issues`, (context) => {
    const repo = repoOf(world, context);
    const state = context.query.get("state") ?? "open";
    const labels = (context.query.get("labels") ?? "")
      .split(",")
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const since = context.query.get("since");
    const sinceMs = since ? Date.parse(since) : -Infinity;
    const direction = context.query.get("direction") ?? "desc";
    const list = [...repo.issues.values()]
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => labels.every((l) => i.labels.some((h) => h.toLowerCase() === l)))
      .filter((i) => Date.parse(i.updatedAt) >= sinceMs)
      .sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number))
      .map((i) => hub.issueJson(context.apiUrl, repo, i));
    return paged(context, list);
  });

  router.get(`${REPO}/issues/{issue_number}`, (context) => {
    const repo = repoOf(world, context);
    const issue = hub.issue(repo, numberParam(context, "issue_number"));
    return { status: 200, body: hub.issueJson(context.apiUrl, repo, issue) };
  });

  router.patch(`${REPO}/issues/{issue_number}`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "issue_number");
    const body = bodyOf(context);
    const by = callerOf(world, context);
    const issue = hub.issue(repo, number);
    const title = optionalString(body, "title");
    const text = optionalString(body, "body");
    if (issue.pull) {
      if (title !== undefined) issue.title = title;
      if (text !== undefined) issue.body = text;
    } else if (title !== undefined || text !== undefined) {
      hub.editIssue(repo, number, { title, body: text }, by);
    }
    if (body.labels !== undefined)
      hub.setLabels(repo, number, stringList(body.labels, "labels"), by);
    if (body.assignees !== undefined) {
      hub.setAssignees(repo, number, stringList(body.assignees, "assignees"), by);
    }
    const state = optionalString(body, "state");
    if (state !== undefined) {
      if (state !== "open" && state !== "closed") {
        throw new HttpError(
          422,
          `Invalid request.\n\n${state} is not a member of ["open", "closed"].`,
        );
      }
      if (issue.pull) {
        issue.state = state;
        issue.closedAt = state === "closed" ? new Date().toISOString() : null;
      } else hub.setIssueState(repo, number, state, by);
    }
    return { status: 200, body: hub.issueJson(context.apiUrl, repo, issue) };
  });

  router.post(`${REPO}/issues/{issue_number}/labels`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "issue_number");
    const raw = context.body;
    const labels = Array.isArray(raw)
      ? stringList(raw, "labels")
      : stringList(bodyOf(context).labels, "labels");
    if (labels.length === 0)
      throw new HttpError(422, `Invalid request.\n\n"labels" wasn't supplied.`);
    hub.addLabels(repo, number, labels, callerOf(world, context));
    return {
      status: 200,
      body: hub.issueJson(context.apiUrl, repo, hub.issue(repo, number)).labels,
    };
  });

  router.get(`${REPO}/issues/{issue_number}/comments`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "issue_number");
    hub.issue(repo, number);
    const since = context.query.get("since");
    const sinceMs = since ? Date.parse(since) : -Infinity;
    const comments = [...repo.comments.values()]
      .filter((c) => c.issue === number && Date.parse(c.updatedAt) >= sinceMs)
      .sort((a, b) => a.id - b.id)
      .map((c) => hub.commentJson(context.apiUrl, repo, c));
    return paged(context, comments);
  });

  router.post(`${REPO}/issues/{issue_number}/comments`, (context) => {
    const repo = repoOf(world, context);
    const number = numberParam(context, "issue_number");
    const comment = hub.comment(
      repo,
      number,
      callerOf(world, context),
      requiredString(bodyOf(context), "body"),
    );
    return {
      status: 201,
      headers: {
        location: `${context.apiUrl}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
      },
      body: hub.commentJson(context.apiUrl, repo, comment),
    };
  });

  router.get(`${REPO}/issues/comments/{comment_id}`, (context) => {
    const repo = repoOf(world, context);
    const comment = repo.comments.get(numberParam(context, "comment_id"));
    if (!comment) throw notFound();
    return { status: 200, body: hub.commentJson(context.apiUrl, repo, comment) };
  });

  router.patch(`${REPO}/issues/comments/{comment_id}`, (context) => {
    const repo = repoOf(world, context);
    const comment = hub.editComment(
      repo,
      numberParam(context, "comment_id"),
      requiredString(bodyOf(context), "body"),
      callerOf(world, context),
    );
    return { status: 200, body: hub.commentJson(context.apiUrl, repo, comment) };
  });

  router.delete(`${REPO}/issues/comments/{comment_id}`, (context) => {
    const repo = repoOf(world, context);
    hub.deleteComment(repo, numberParam(context, "comment_id"), callerOf(world, context));
    return { status: 204 };
  });

  router.post(`${REPO}/issues/comments/{comment_id}/reactions`, (context) => {
    const repo = repoOf(world, context);
    const content = requiredString(bodyOf(context), "content");
    if (!REACTIONS.includes(content)) {
      throw new HttpError(
        422,
        `Invalid request.\n\n${content} is not a member of ${JSON.stringify(REACTIONS)}.`,
      );
    }
    const by = callerOf(world, context);
    const { created, reaction } = hub.react(repo, numberParam(context, "comment_id"), by, content);
    return {
      status: created ? 201 : 200,
      body: {
        id: reaction.id,
        node_id: `REA_${reaction.id}`,
        user: userJson(context.apiUrl, hub.user(reaction.user)),
        content: reaction.content,
        created_at: reaction.createdAt,
      },
    };
  });
};
