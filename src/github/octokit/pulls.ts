import type { Pulls } from "../port/pulls.js";
import type { RepoRef } from "../port.js";
import { isGitHubError } from "../errors.js";
import { toPullRequest, toReview, type RawPull } from "../map.js";
import type { Octokit, Sender } from "./types.js";

export function pullsAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Pulls {
  return {
    async getPull(number) {
      try {
        const { data } = await send("GET /repos/{owner}/{repo}/pulls/{pull_number}", () =>
          octokit.rest.pulls.get({ ...repo, pull_number: number }),
        );
        return toPullRequest(data as RawPull);
      } catch (error) {
        if (isGitHubError(error, 404)) return null;
        throw error;
      }
    },
    async listReviews(number) {
      const reviews = await send("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", () =>
        octokit.paginate(octokit.rest.pulls.listReviews, {
          ...repo,
          pull_number: number,
          per_page: 100,
        }),
      );
      return reviews.map(toReview);
    },
    async listPullFiles(number) {
      const files = await send("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", () =>
        octokit.paginate(octokit.rest.pulls.listFiles, {
          ...repo,
          pull_number: number,
          per_page: 100,
        }),
      );
      return files.map((f) => ({
        filename: f.filename,
        status: f.status,
        ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
      }));
    },
    async listOpenPulls() {
      const pulls = await send("GET /repos/{owner}/{repo}/pulls", () =>
        octokit.paginate(octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 }),
      );
      return pulls.map((p) => toPullRequest(p as RawPull));
    },
    async listPullsInto(base, options) {
      if (options.state === "open") {
        const pulls = await send("GET /repos/{owner}/{repo}/pulls", () =>
          octokit.paginate(octokit.rest.pulls.list, {
            ...repo,
            base,
            state: "open",
            per_page: 100,
          }),
        );
        return pulls.map((p) => toPullRequest(p as RawPull));
      }
      const { data } = await send("GET /repos/{owner}/{repo}/pulls", () =>
        octokit.rest.pulls.list({
          ...repo,
          base,
          state: "closed",
          sort: "updated",
          direction: "desc",
          per_page: Math.max(1, Math.min(100, options.limit)),
        }),
      );
      return data.map((p) => toPullRequest(p as RawPull));
    },
    async listOpenPullsTo(base) {
      const { data, headers } = await send("GET /repos/{owner}/{repo}/pulls", () =>
        octokit.rest.pulls.list({
          ...repo,
          state: "open",
          base,
          sort: "updated",
          direction: "desc",
          per_page: 100,
        }),
      );
      return {
        pulls: data.map((p) => toPullRequest(p as RawPull)),
        more: /rel="next"/.test(headers.link ?? ""),
      };
    },
    async openPullsWithHead(sha) {
      const pulls = await send("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", () =>
        octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          ...repo,
          commit_sha: sha,
          per_page: 100,
        }),
      );
      return pulls.data
        .map((p) => toPullRequest(p as RawPull))
        .filter((p) => p.state === "open" && p.head.sha === sha);
    },
    async addLabels(number, labels) {
      await send("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", () =>
        octokit.rest.issues.addLabels({ ...repo, issue_number: number, labels: [...labels] }),
      );
    },
    async createPull({ head, base, title, body, draft }) {
      try {
        const { data } = await send("POST /repos/{owner}/{repo}/pulls", () =>
          octokit.rest.pulls.create({
            ...repo,
            head,
            base,
            title,
            body,
            ...(draft ? { draft } : {}),
          }),
        );
        return { created: true, pull: toPullRequest(data as RawPull) };
      } catch (error) {
        if (isGitHubError(error, 422)) return { created: false, reason: error.message };
        throw error;
      }
    },
    async findPullByHead(branch, state) {
      const { data } = await send("GET /repos/{owner}/{repo}/pulls", () =>
        octokit.rest.pulls.list({
          ...repo,
          head: `${repo.owner}:${branch}`,
          state,
          sort: "created",
          direction: "desc",
          per_page: 1,
        }),
      );
      return data[0] ? toPullRequest(data[0] as RawPull) : null;
    },
    async updatePullBody(number, body) {
      await send("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", () =>
        octokit.rest.pulls.update({ ...repo, pull_number: number, body }),
      );
    },
    async updateIssue(number, { labels, assignees }) {
      await send("PATCH /repos/{owner}/{repo}/issues/{issue_number}", () =>
        octokit.rest.issues.update({
          ...repo,
          issue_number: number,
          ...(labels ? { labels: [...labels] } : {}),
          ...(assignees ? { assignees: [...assignees] } : {}),
        }),
      );
    },
    async requestReviewers(number, reviewers, teams = []) {
      await send("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", () =>
        octokit.rest.pulls.requestReviewers({
          ...repo,
          pull_number: number,
          ...(reviewers.length || !teams.length ? { reviewers: [...reviewers] } : {}),
          ...(teams.length ? { team_reviewers: [...teams] } : {}),
        }),
      );
    },
  };
}
