import type { Checks, CheckRunWrite } from "../port/checks.js";
import type { RepoRef } from "../port.js";
import { toCheckRun, toCommitStatus, type RawCheckRun } from "../map.js";
import type { Octokit, Sender } from "./types.js";

/** GitHub accepts at most 50 annotations per request. */
const MAX_ANNOTATIONS = 50;

function body(run: CheckRunWrite) {
  return {
    name: run.name,
    status: run.status,
    ...(run.conclusion ? { conclusion: run.conclusion } : {}),
    output: {
      title: run.title,
      summary: run.summary,
      ...(run.annotations?.length
        ? {
            annotations: run.annotations.slice(0, MAX_ANNOTATIONS).map((a) => ({
              path: a.path,
              start_line: a.line,
              end_line: a.line,
              annotation_level: "failure" as const,
              message: a.message,
            })),
          }
        : {}),
    },
  };
}

export function checksAdapter(octokit: Octokit, repo: RepoRef, send: Sender): Checks {
  return {
    async listCheckRuns(sha) {
      const runs = await send("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", () =>
        octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref: sha, per_page: 100 }),
      );
      return runs.map((r) => toCheckRun(r as RawCheckRun));
    },
    async listStatuses(sha) {
      const statuses = [];
      for (let page = 1; ; page++) {
        const { data } = await send("GET /repos/{owner}/{repo}/commits/{ref}/status", () =>
          octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha, per_page: 100, page }),
        );
        statuses.push(...data.statuses);
        if (data.statuses.length < 100 || statuses.length >= data.total_count) break;
      }
      return statuses.map(toCommitStatus);
    },
    async createCheckRun(sha, run) {
      const { data } = await send("POST /repos/{owner}/{repo}/check-runs", () =>
        octokit.rest.checks.create({ ...repo, head_sha: sha, ...body(run) }),
      );
      return toCheckRun(data as RawCheckRun);
    },
    async updateCheckRun(id, run) {
      await send("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", () =>
        octokit.rest.checks.update({ ...repo, check_run_id: id, ...body(run) }),
      );
    },
  };
}
