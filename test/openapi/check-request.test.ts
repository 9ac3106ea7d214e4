import { describe, expect, it } from "@jest/globals";
import { checkRequest, matchOperation } from "./check-request.js";
import { loadOperationsFixture } from "./operations-fixture.js";

const API = "https://api.github.com";

describe("checkRequest: requests that conform to GitHub's description", () => {
  it.each([
    {
      name: "check run with name and head_sha",
      method: "POST",
      url: `${API}/repos/octo/hello/check-runs`,
      body: { name: "hotfix gate", head_sha: "a".repeat(40), status: "in_progress" },
    },
    {
      name: "GET with documented query parameters",
      method: "GET",
      url: `${API}/repos/octo/hello/pulls?state=closed&base=main&per_page=100&page=2`,
    },
    {
      name: "GitHub Enterprise /api/v3 prefix",
      method: "GET",
      url: "https://ghe.example.com/api/v3/repos/octo/hello/pulls/7",
    },
    {
      name: "a path without a host",
      method: "get",
      url: "/repos/octo/hello/pulls/7/commits",
    },
    {
      name: "body given as the JSON text that was sent",
      method: "POST",
      url: `${API}/repos/octo/hello/issues/7/comments`,
      body: JSON.stringify({ body: "Backport opened" }),
    },
    {
      name: "PUT merge without body (octokit sends an empty string)",
      method: "PUT",
      url: `${API}/repos/octo/hello/pulls/7/merge`,
      body: "",
    },
    {
      name: "PATCH check run: status completed together with conclusion",
      method: "PATCH",
      url: `${API}/repos/octo/hello/check-runs/42`,
      body: { status: "completed", conclusion: "success" },
    },
    {
      name: "a nullable field set to null",
      method: "POST",
      url: `${API}/repos/octo/hello/issues`,
      body: { title: "Hotfix 1.2.1", milestone: null },
    },
    {
      name: "a oneOf property: boolean form",
      method: "POST",
      url: `${API}/gists`,
      body: { files: { "a.txt": { content: "x" } }, public: true },
    },
    {
      name: "a oneOf property: string enum form",
      method: "POST",
      url: `${API}/gists`,
      body: { files: { "a.txt": { content: "x" } }, public: "false" },
    },
    {
      name: "installation token without a body",
      method: "POST",
      url: `${API}/app/installations/1/access_tokens`,
    },
    {
      name: "GraphQL, which the REST description does not cover (not checked)",
      method: "POST",
      url: `${API}/graphql`,
      body: { query: "{ viewer { login } }" },
    },
    {
      name: "contents root listing (empty multi-segment path)",
      method: "GET",
      url: `${API}/repos/octo/hello/contents/`,
    },
  ])("$name", ({ method, url, body }) => {
    expect(checkRequest({ method, url, body })).toEqual([]);
  });
});

describe("checkRequest: violations", () => {
  it.each([
    {
      name: "check run without head_sha",
      method: "POST",
      url: `${API}/repos/octo/hello/check-runs`,
      body: { name: "hotfix gate" },
      expected: ['missing required body field "head_sha"'],
    },
    {
      name: "merge with a merge_method GitHub does not know",
      method: "PUT",
      url: `${API}/repos/octo/hello/pulls/7/merge`,
      body: { merge_method: "fast" },
      expected: [
        'body field "merge_method" is "fast", expected one of "merge", "squash", "rebase"',
      ],
    },
    {
      name: "a path that does not exist",
      method: "POST",
      url: `${API}/repos/octo/hello/foo`,
      body: {},
      expected: ["no such operation: POST /repos/{owner}/{repo}/foo"],
    },
    {
      name: "a path that does not exist, behind /api/v3",
      method: "GET",
      url: "https://ghe.example.com/api/v3/repos/octo/hello/pulls/7/nope",
      expected: ["no such operation: GET /repos/{owner}/{repo}/pulls/{pull_number}/nope"],
    },
    {
      name: "a method the path does not have",
      method: "DELETE",
      url: `${API}/repos/octo/hello/check-runs`,
      expected: [
        "no such operation: DELETE /repos/{owner}/{repo}/check-runs (that path exists for POST)",
      ],
    },
    {
      name: "a field GitHub would ignore",
      method: "POST",
      url: `${API}/repos/octo/hello/pulls`,
      body: { title: "Backport", head: "backport-1", base: "release/1.2", labels: ["hotfix"] },
      // the list of known fields follows GitHub's description, so only its start is pinned
      expected: [
        /^unknown body field "labels" \(GitHub ignores it silently\); known: title, head, /,
      ],
    },
    {
      name: "a field of the wrong type",
      method: "POST",
      url: `${API}/repos/octo/hello/pulls`,
      body: { title: "Backport", head: "backport-1", base: "main", draft: "yes" },
      expected: ['body field "draft" is "yes", expected boolean'],
    },
    {
      name: "labels given as one string instead of a list",
      method: "POST",
      url: `${API}/repos/octo/hello/issues/7/labels`,
      body: { labels: "hotfix" },
      expected: ['body field "labels" is "hotfix", expected array'],
    },
    {
      name: "a required body that was not sent",
      method: "POST",
      url: `${API}/repos/octo/hello/check-runs`,
      expected: ["missing request body, which this operation requires"],
    },
    {
      name: "a body that is not JSON",
      method: "POST",
      url: `${API}/repos/octo/hello/check-runs`,
      body: "name=gate",
      expected: ["request body is not valid JSON (operation expects application/json)"],
    },
    {
      name: "PATCH check run: completed without conclusion matches neither shape",
      method: "PATCH",
      url: `${API}/repos/octo/hello/check-runs/42`,
      body: { status: "completed" },
      expected: [
        'request body matches none of the 2 shapes GitHub accepts: [1] missing required body field "conclusion" | [2] body field "status" is "completed", expected one of "queued", "in_progress"',
      ],
    },
    {
      name: "an integer path parameter that is not a number",
      method: "GET",
      url: `${API}/repos/octo/hello/issues/undefined`,
      expected: ['path parameter {issue_number} is "undefined", expected integer'],
    },
    {
      name: "an empty path parameter",
      method: "GET",
      url: `${API}/repos//hello/pulls`,
      expected: ["path parameter {owner} is empty"],
    },
    {
      name: "query parameter typo and enum",
      method: "GET",
      url: `${API}/repos/octo/hello/pulls?state=opened&per_pag=100`,
      expected: [
        'query parameter "state" is "opened", expected one of "open", "closed", "all"',
        /^unknown query parameter "per_pag" \(GitHub ignores it\); known: .*\bper_page\b/,
      ],
    },
    {
      name: "a body on an operation that takes none",
      method: "DELETE",
      url: `${API}/repos/octo/hello/git/refs/heads%2Fbackport-1`,
      body: { force: true },
      expected: [
        "unexpected request body (fields: force): this operation takes none, GitHub ignores it",
      ],
    },
  ])("$name", ({ method, url, body, expected }) => {
    const matchers = (expected as Array<string | RegExp>).map((e) =>
      typeof e === "string" ? e : expect.stringMatching(e),
    );
    expect(checkRequest({ method, url, body })).toEqual(matchers);
  });
});

describe("matchOperation", () => {
  it.each([
    {
      url: "/repos/octo/hello/check-runs",
      method: "POST",
      route: "POST /repos/{owner}/{repo}/check-runs",
      operationId: "checks/create",
      params: { owner: "octo", repo: "hello" },
    },
    {
      // literal segments beat parameters: `comments` is not a pull number
      url: "/repos/octo/hello/pulls/comments",
      method: "GET",
      route: "GET /repos/{owner}/{repo}/pulls/comments",
      operationId: "pulls/list-review-comments-for-repo",
      params: { owner: "octo", repo: "hello" },
    },
    {
      // octokit encodes the slash of a ref
      url: "/repos/octo/hello/git/ref/heads%2Frelease%2F1.2",
      method: "GET",
      route: "GET /repos/{owner}/{repo}/git/ref/{ref}",
      operationId: "git/get-ref",
      params: { owner: "octo", repo: "hello", ref: "heads/release/1.2" },
    },
    {
      // GitHub also accepts raw slashes where it marks the parameter x-multi-segment
      url: "/repos/octo/hello/git/ref/heads/release/1.2",
      method: "GET",
      route: "GET /repos/{owner}/{repo}/git/ref/{ref}",
      operationId: "git/get-ref",
      params: { owner: "octo", repo: "hello", ref: "heads/release/1.2" },
    },
    {
      url: "/api/v3/repos/octo/hello/contents/.github/hotfix.yml?ref=main",
      method: "GET",
      route: "GET /repos/{owner}/{repo}/contents/{path}",
      operationId: "repos/get-content",
      params: { owner: "octo", repo: "hello", path: ".github/hotfix.yml" },
    },
    {
      // a branch with a slash, followed by a literal: the literal still anchors the route
      url: "/repos/octo/hello/branches/release/1.2/protection",
      method: "GET",
      route: "GET /repos/{owner}/{repo}/branches/{branch}/protection",
      operationId: "repos/get-branch-protection",
      params: { owner: "octo", repo: "hello", branch: "release/1.2" },
    },
    {
      url: "/repos/octo/hello/git/refs/heads/backport-1",
      method: "PATCH",
      route: "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
      operationId: "git/update-ref",
      params: { owner: "octo", repo: "hello", ref: "heads/backport-1" },
    },
  ])("$method $url -> $route", ({ url, method, route, operationId, params }) => {
    expect(matchOperation({ method, url })).toEqual({
      operationId,
      method,
      template: route.split(" ")[1],
      route,
      params,
    });
  });

  it("names GraphQL as its own route, for counting", () => {
    expect(matchOperation({ method: "POST", url: "https://ghe.example.com/api/graphql" })).toEqual({
      operationId: "graphql",
      method: "POST",
      template: "/graphql",
      route: "POST /graphql",
      params: {},
    });
  });

  it("does not invent operations: single-segment parameters do not swallow slashes", () => {
    expect(
      matchOperation({ method: "GET", url: "/repos/octo/hello/pulls/7/extra" }),
    ).toBeUndefined();
    expect(checkRequest({ method: "GET", url: "/repos/octo/hello/pulls/7/extra" })).toEqual([
      "no such operation: GET /repos/{owner}/{repo}/pulls/{pull_number}/extra",
    ]);
  });
});

describe("the committed fixture", () => {
  it("says which GitHub description it was generated from", () => {
    const { source, operations } = loadOperationsFixture();
    expect(source.package).toBe("@octokit/openapi");
    expect(source.file).toBe("generated/api.github.com.json");
    expect(source.packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(source.infoVersion).not.toBe("");
    expect(operations.length).toBeGreaterThan(1000);
  });
});
