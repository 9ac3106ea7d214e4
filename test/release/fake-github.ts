/**
 * A small stateful GitHub behind nock for release tests: it keeps PR, tags, releases and
 * comments in memory and answers as GitHub does (422 for a ref or release that already exists,
 * 405 for a PR that cannot be merged, 409 when the head moved), so tests can repeat commands,
 * race them and inject faults, and then look at the end state. Every request still goes
 * through the harness's OpenAPI check (githubApi()).
 */
import { createHash } from "node:crypto";
import type nock from "nock";
import { githubApi, mockInstallationToken } from "../helpers/github-nock.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
const BASE = `/repos/${OWNER}/${REPO}`;

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  /** Let this many matching requests through first. */
  after?: number;
}

export interface FakeState {
  policy: string;
  pull: Record<string, unknown> & {
    number: number;
    head: { sha: string; ref: string };
    base: { ref: string };
  };
  reviews: object[];
  checkRuns: object[];
  permissions: Record<string, string>;
  teams: Record<string, string[]>;
  /** Tag name → tag object sha (annotated) or commit sha (lightweight). */
  tagRefs: Map<string, string>;
  tagObjects: Map<string, { tag: string; commit: string; message: string }>;
  releases: Array<{
    id: number;
    tag_name: string;
    draft: boolean;
    make_latest?: string;
    body: string;
    target_commitish: string;
  }>;
  comments: Array<{ id: number; body: string; user: { login: string; type: string } }>;
  reactions: Array<{ comment: number; content: string }>;
  merges: Array<{ sha: string; method: string }>;
  pullCommits: object[];
  faults: Fault[];
  /** Someone else pushes this tag the moment the bot creates its tag object (a race). */
  raceTag?: { name: string; commit: string };
  /** When set, a merge is refused with this status and message. */
  refuseMerge?: { status: number; message: string };
}

const sha = (text: string) => createHash("sha1").update(text).digest("hex");
let ids = 5000;

function json(body: string | undefined): Record<string, unknown> {
  return body ? (JSON.parse(body) as Record<string, unknown>) : {};
}

export function fakeGitHub(state: FakeState): nock.Scope {
  const api = mockInstallationToken(githubApi());
  const route = (
    method: string,
    path: string,
    body: Record<string, unknown>,
  ): [number, unknown] => {
    const fault = state.faults.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (fault && (fault.after ?? 0) > 0) fault.after = (fault.after ?? 0) - 1;
    else if (fault) {
      fault.times--;
      return [fault.status, { message: `injected ${fault.status}` }];
    }
    const url = new URL(path, "https://api.github.com");
    const p = decodeURIComponent(url.pathname).replace(BASE, "");
    let m: RegExpMatchArray | null;
    if (method === "GET" && p.startsWith("/contents/.github/hotfix.yml")) {
      return [
        200,
        {
          type: "file",
          size: state.policy.length,
          encoding: "base64",
          content: Buffer.from(state.policy).toString("base64"),
        },
      ];
    }
    if (method === "GET" && (m = p.match(/^\/collaborators\/([^/]+)\/permission$/))) {
      const permission = state.permissions[m[1] as string] ?? "read";
      return [
        200,
        {
          permission: permission === "maintain" ? "write" : permission,
          role_name: permission,
          user: { login: m[1] },
        },
      ];
    }
    if (
      method === "GET" &&
      (m = path.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/?]+)/))
    ) {
      const members = state.teams[`${m[1]}/${m[2]}`];
      if (members?.includes(m[3] as string)) return [200, { state: "active", role: "member" }];
      return [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = path.match(/^\/orgs\/([^/]+)\/teams\/([^/?]+)$/))) {
      return state.teams[`${m[1]}/${m[2]}`]
        ? [200, { id: 1, slug: m[2] }]
        : [404, { message: "Not Found" }];
    }
    if (method === "GET" && p === `/pulls/${state.pull.number}`) return [200, state.pull];
    if (method === "GET" && p === `/pulls/${state.pull.number}/reviews`)
      return [200, state.reviews];
    if (method === "GET" && p === `/pulls/${state.pull.number}/commits`)
      return [200, state.pullCommits];
    if (method === "GET" && (m = p.match(/^\/commits\/([0-9a-f]+)\/check-runs$/))) {
      return [200, { total_count: state.checkRuns.length, check_runs: state.checkRuns }];
    }
    if (method === "GET" && (m = p.match(/^\/commits\/([0-9a-f]+)\/status$/))) {
      return [200, { state: "success", sha: m[1], total_count: 0, statuses: [] }];
    }
    if (method === "PUT" && p === `/pulls/${state.pull.number}/merge`) {
      if (state.pull.merged) return [405, { message: "Pull Request is not mergeable" }];
      if (state.refuseMerge)
        return [state.refuseMerge.status, { message: state.refuseMerge.message }];
      if (body.sha !== state.pull.head.sha)
        return [409, { message: "Head branch was modified. Review and try the merge again." }];
      const mergeSha = sha(`merge ${state.pull.number}`);
      Object.assign(state.pull, {
        merged: true,
        state: "closed",
        merge_commit_sha: mergeSha,
        merged_at: "2026-11-26T12:00:00Z",
      });
      state.merges.push({ sha: mergeSha, method: String(body.merge_method) });
      return [200, { sha: mergeSha, merged: true, message: "Pull Request successfully merged" }];
    }
    if (method === "GET" && (m = p.match(/^\/git\/matching-refs\/tags\/?(.*)$/))) {
      const prefix = m[1] ?? "";
      return [
        200,
        [...state.tagRefs]
          .filter(([n]) => n.startsWith(prefix))
          .map(([n, s]) => ({
            ref: `refs/tags/${n}`,
            object: { sha: s, type: state.tagObjects.has(s) ? "tag" : "commit" },
          })),
      ];
    }
    if (method === "GET" && (m = p.match(/^\/git\/ref\/tags\/(.+)$/))) {
      const target = state.tagRefs.get(m[1] as string);
      if (!target) return [404, { message: "Not Found" }];
      return [
        200,
        {
          ref: `refs/tags/${m[1]}`,
          object: { sha: target, type: state.tagObjects.has(target) ? "tag" : "commit" },
        },
      ];
    }
    if (method === "GET" && (m = p.match(/^\/git\/tags\/([0-9a-f]+)$/))) {
      const tag = state.tagObjects.get(m[1] as string);
      return tag
        ? [
            200,
            {
              sha: m[1],
              tag: tag.tag,
              message: tag.message,
              object: { sha: tag.commit, type: "commit" },
            },
          ]
        : [404, { message: "Not Found" }];
    }
    if (method === "POST" && p === "/git/tags") {
      const race = state.raceTag;
      if (race && race.name === body.tag) state.tagRefs.set(race.name, race.commit);
      const objectSha = sha(`tag ${String(body.tag)} ${String(body.object)} ${ids++}`);
      state.tagObjects.set(objectSha, {
        tag: String(body.tag),
        commit: String(body.object),
        message: String(body.message),
      });
      return [201, { sha: objectSha, tag: body.tag, object: { sha: body.object, type: "commit" } }];
    }
    if (method === "POST" && p === "/git/refs") {
      const name = String(body.ref).replace("refs/tags/", "");
      if (state.tagRefs.has(name)) return [422, { message: "Reference already exists" }];
      state.tagRefs.set(name, String(body.sha));
      return [201, { ref: body.ref, object: { sha: body.sha, type: "tag" } }];
    }
    if (method === "GET" && (m = p.match(/^\/releases\/tags\/(.+)$/))) {
      const release = state.releases.find((r) => r.tag_name === m?.[1] && !r.draft);
      return release ? [200, releaseJson(release)] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && p === "/releases") return [200, state.releases.map(releaseJson)];
    if (method === "POST" && p === "/releases") {
      if (state.releases.some((r) => r.tag_name === body.tag_name)) {
        return [
          422,
          {
            message: "Validation Failed",
            errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }],
          },
        ];
      }
      const release = {
        id: ids++,
        tag_name: String(body.tag_name),
        draft: Boolean(body.draft),
        make_latest: body.make_latest as string,
        body: String(body.body),
        target_commitish: String(body.target_commitish),
      };
      state.releases.push(release);
      return [201, releaseJson(release)];
    }
    if (method === "GET" && p === `/issues/${state.pull.number}/comments`)
      return [200, state.comments.map(commentJson)];
    if (method === "POST" && p === `/issues/${state.pull.number}/comments`) {
      const comment = {
        id: ids++,
        body: String(body.body),
        user: { login: "hotfix-bot[bot]", type: "Bot" },
      };
      state.comments.push(comment);
      return [201, commentJson(comment)];
    }
    if (method === "PATCH" && (m = p.match(/^\/issues\/comments\/(\d+)$/))) {
      const comment = state.comments.find((c) => c.id === Number(m?.[1]));
      if (!comment) return [404, { message: "Not Found" }];
      comment.body = String(body.body);
      return [200, commentJson(comment)];
    }
    if (method === "DELETE" && (m = p.match(/^\/issues\/comments\/(\d+)$/))) {
      state.comments = state.comments.filter((c) => c.id !== Number(m?.[1]));
      return [204, ""];
    }
    if (method === "POST" && (m = p.match(/^\/issues\/comments\/(\d+)\/reactions$/))) {
      state.reactions.push({ comment: Number(m[1]), content: String(body.content) });
      return [201, { id: ids++, content: body.content }];
    }
    if (method === "GET" && p === "/branches")
      return [200, [{ name: "master" }, { name: "release/1.4" }, { name: "release/1.3" }]];
    return [501, { message: `fake GitHub does not implement ${method} ${path}` }];
  };
  api.persist();
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
    api
      .intercept(/.*/, method)
      .optionally()
      // nock 15 calls a reply function with the fetch Request alone (it promisifies two-argument ones).
      .reply(async (request: unknown) => {
        const req = request as Request;
        const url = new URL(req.url);
        const [status, reply] = route(method, url.pathname + url.search, json(await req.text()));
        if (status === 501) throw new Error(String((reply as { message: string }).message));
        return [status, reply as nock.Body];
      });
  }
  return api;
}

function releaseJson(r: FakeState["releases"][number]) {
  return {
    id: r.id,
    tag_name: r.tag_name,
    draft: r.draft,
    html_url: `https://github.com/${OWNER}/${REPO}/releases/tag/${r.tag_name}`,
    name: r.tag_name,
    body: r.body,
  };
}

function commentJson(c: FakeState["comments"][number]) {
  return {
    id: c.id,
    body: c.body,
    user: c.user,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/2#issuecomment-${c.id}`,
    created_at: "2026-11-26T12:00:00Z",
  };
}
