import type { Issues } from "../port/issues.js";
import type { RepoRef } from "../port.js";
import { toActor } from "../map.js";
import type { Octokit, Sender } from "./types.js";

interface RawComment {
  id: number;
  body?: string;
  user: { login: string; type?: string } | null;
  html_url: string;
  created_at: string;
}

const toComment = (c: RawComment) => ({
  id: c.id,
  body: c.body ?? "",
  author: toActor(c.user),
  url: c.html_url,
  createdAt: c.created_at,
});

export function issuesAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Issues {
  return {
    async listComments(number) {
      const comments = await send("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", () =>
        octokit.paginate(octokit.rest.issues.listComments, {
          ...repo,
          issue_number: number,
          per_page: 100,
        }),
      );
      return comments.map((c) => toComment(c as RawComment));
    },
    async createComment(number, body) {
      const { data } = await send("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", () =>
        octokit.rest.issues.createComment({ ...repo, issue_number: number, body }),
      );
      return toComment(data as RawComment);
    },
    async updateComment(id, body) {
      await send("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", () =>
        octokit.rest.issues.updateComment({ ...repo, comment_id: id, body }),
      );
    },
    async deleteComment(id) {
      await send("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", () =>
        octokit.rest.issues.deleteComment({ ...repo, comment_id: id }),
      );
    },
    async react(commentId, reaction) {
      await send("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", () =>
        octokit.rest.reactions.createForIssueComment({
          ...repo,
          comment_id: commentId,
          content: reaction,
        }),
      );
    },
    async listIssuesWithLabel(label, since) {
      const issues = await send("GET /repos/{owner}/{repo}/issues", () =>
        octokit.paginate(octokit.rest.issues.listForRepo, {
          ...repo,
          labels: label,
          since,
          state: "all",
          per_page: 100,
        }),
      );
      return issues
        .filter((i) => !i.pull_request)
        .map((i) => ({
          number: i.number,
          title: i.title,
          url: i.html_url,
          createdAt: i.created_at,
          labels: labelNames(i.labels),
        }));
    },
    async listOpenIssuesWithLabel(label) {
      const issues = await send("GET /repos/{owner}/{repo}/issues", () =>
        octokit.paginate(octokit.rest.issues.listForRepo, {
          ...repo,
          labels: label,
          state: "open",
          per_page: 100,
        }),
      );
      return issues
        .filter((i) => !i.pull_request)
        .map((i) => ({
          number: i.number,
          title: i.title,
          body: i.body ?? "",
          url: i.html_url,
          labels: labelNames(i.labels),
        }));
    },
  };
}

function labelNames(labels: ReadonlyArray<string | { name?: string | undefined }>): string[] {
  return labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean);
}
