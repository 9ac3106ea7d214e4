import type { Actor } from "../model.js";

export interface IssueComment {
  id: number;
  body: string;
  author: Actor;
  url: string;
  createdAt: string;
}

export type Reaction = "eyes" | "rocket" | "confused" | "+1" | "-1" | "hooray";

/** An issue (never a PR) as the monitoring window needs it. */
export interface LabelledIssue {
  number: number;
  title: string;
  url: string;
  createdAt: string;
  labels: string[];
}

/** An open issue (never a PR) with its text, as freezes by issue need it. */
export interface OpenIssue {
  number: number;
  title: string;
  body: string;
  url: string;
  labels: string[];
}

export interface Issues {
  /** Every comment on an issue or PR, oldest first (all pages). */
  listComments(number: number): Promise<IssueComment[]>;
  createComment(number: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<void>;
  deleteComment(id: number): Promise<void>;
  /** Adding a reaction that already exists is a no-op on GitHub's side. */
  react(commentId: number, reaction: Reaction): Promise<void>;
  /** Issues (open or closed, PRs left out) carrying `label`, updated at or after `since` (all pages). */
  listIssuesWithLabel(label: string, since: string): Promise<LabelledIssue[]>;
  /** Open issues (PRs left out) carrying `label` (all pages). */
  listOpenIssuesWithLabel(label: string): Promise<OpenIssue[]>;
}
