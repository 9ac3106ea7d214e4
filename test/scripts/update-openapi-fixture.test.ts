import { describe, expect, it } from "@jest/globals";
import {
  extractOperations,
  serializeFixture,
  type OpenApiSpec,
} from "../../scripts/update-openapi-fixture.js";

// A small description written in the shapes GitHub's file uses (see comments for real examples).
const spec: OpenApiSpec = {
  openapi: "3.0.3",
  info: { title: "t", version: "1.0.0" },
  components: {
    parameters: {
      owner: { name: "owner", in: "path", required: true, schema: { type: "string" } },
      "per-page": { name: "per_page", in: "query", schema: { type: "integer" } },
    },
    schemas: {
      "simple-user": { type: "object", properties: { login: { type: "string" } } },
    },
    requestBodies: {
      "label-body": {
        required: true,
        content: {
          "application/json": {
            schema: {
              allOf: [
                { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
                { properties: { color: { type: "string", nullable: true } } },
              ],
            },
          },
        },
      },
    },
  },
  paths: {
    "/repos/{owner}/contents/{path}": {
      parameters: [{ $ref: "#/components/parameters/owner" } as never],
      get: {
        operationId: "repos/get-content",
        parameters: [
          // like GitHub's contents/{path}: raw slashes allowed
          {
            name: "path",
            in: "path",
            required: true,
            schema: { type: "string" },
            "x-multi-segment": true,
          },
          { $ref: "#/components/parameters/per-page" } as never,
          {
            name: "ref",
            in: "query",
            required: true,
            schema: { type: "string", enum: ["a", "b"] },
          },
        ],
      },
    },
    "/labels": {
      post: {
        operationId: "labels/create",
        requestBody: { $ref: "#/components/requestBodies/label-body" } as never,
      },
    },
    "/codespaces": {
      // like POST /user/codespaces: independent shapes
      post: {
        operationId: "codespaces/create",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  {
                    type: "object",
                    required: ["repository_id"],
                    properties: { repository_id: { type: "integer" } },
                  },
                  {
                    type: "object",
                    required: ["pull_request"],
                    properties: { pull_request: { $ref: "#/components/schemas/simple-user" } },
                  },
                ],
              },
            },
          },
        },
      },
    },
    "/check-runs/{id}": {
      // like PATCH check-runs: shared properties, branches narrow `status` and add `required`
      patch: {
        operationId: "checks/update",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  status: { type: "string", enum: ["queued", "in_progress", "completed"] },
                  conclusion: { type: "string" },
                  // like POST /gists `public`: boolean, or the strings "true"/"false"
                  public: {
                    oneOf: [{ type: "boolean" }, { type: "string", enum: ["true", "false"] }],
                  },
                  // like POST issues `milestone`
                  milestone: { oneOf: [{ type: "string" }, { type: "integer" }], nullable: true },
                },
                anyOf: [
                  {
                    properties: { status: { enum: ["completed"] } },
                    required: ["conclusion"],
                    additionalProperties: true,
                  },
                  { properties: { status: { enum: ["queued"] } }, additionalProperties: true },
                ],
              },
            },
          },
        },
      },
    },
    "/markdown/raw": {
      post: {
        operationId: "markdown/render-raw",
        requestBody: { content: { "text/plain": { schema: { type: "string" } } } },
      },
    },
    "/exclusions": {
      // like PUT copilot/content_exclusion: a map
      put: {
        operationId: "copilot/exclusions",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", additionalProperties: { type: "array" } },
            },
          },
        },
      },
    },
  },
};

const byId = (id: string) => {
  const op = extractOperations(spec).find((o) => o.operationId === id);
  if (!op) throw new Error(`no ${id}`);
  return op;
};

describe("extractOperations", () => {
  it("resolves $ref parameters, path-level parameters and x-multi-segment", () => {
    expect(byId("repos/get-content")).toEqual({
      method: "GET",
      path: "/repos/{owner}/contents/{path}",
      operationId: "repos/get-content",
      pathParams: [
        { name: "owner", schema: { types: ["string"] } },
        { name: "path", multiSegment: true, schema: { types: ["string"] } },
      ],
      queryParams: [
        { name: "per_page", schema: { types: ["integer"] } },
        { name: "ref", required: true, schema: { types: ["string"], enum: ["a", "b"] } },
      ],
    });
  });

  it("resolves a $ref request body and merges allOf", () => {
    expect(byId("labels/create").body).toEqual({
      required: true,
      contentType: "application/json",
      variants: [
        {
          types: ["object"],
          required: ["name"],
          properties: { name: { types: ["string"] }, color: { types: ["string", "null"] } },
        },
      ],
    });
  });

  it("turns a top-level oneOf of independent shapes into one variant each", () => {
    expect(byId("codespaces/create").body?.variants).toEqual([
      {
        types: ["object"],
        required: ["repository_id"],
        properties: { repository_id: { types: ["integer"] } },
      },
      {
        types: ["object"],
        required: ["pull_request"],
        properties: { pull_request: { types: ["object"] } },
      },
    ]);
  });

  it("merges shared properties into each anyOf branch, keeping the base type of a narrowed enum", () => {
    const variants = byId("checks/update").body?.variants;
    expect(variants).toHaveLength(2);
    expect(variants?.[0]).toMatchObject({
      required: ["conclusion"],
      properties: { status: { types: ["string"], enum: ["completed"] } },
    });
    expect(variants?.[1]?.required).toBeUndefined();
    expect(variants?.[1]?.properties?.status).toEqual({ types: ["string"], enum: ["queued"] });
    // the branches' `additionalProperties: true` must not open the body to unknown fields
    expect(variants?.[0]?.additionalProperties).toBeUndefined();
  });

  it("keeps enum alternatives apart and merges plain ones", () => {
    const properties = byId("checks/update").body?.variants?.[0]?.properties;
    expect(properties?.public).toEqual({
      anyOf: [{ types: ["boolean"] }, { types: ["string"], enum: ["true", "false"] }],
    });
    expect(properties?.milestone).toEqual({ types: ["string", "integer", "null"] });
  });

  it("records non-JSON bodies by media type only, and maps as additionalProperties", () => {
    expect(byId("markdown/render-raw").body).toEqual({
      required: false,
      contentType: "text/plain",
    });
    expect(byId("copilot/exclusions").body?.variants).toEqual([
      { types: ["object"], additionalProperties: { types: ["array"] } },
    ]);
  });
});

describe("serializeFixture", () => {
  it("writes JSON that reads back identically, one operation per line", () => {
    const fixture = {
      source: {
        package: "@octokit/openapi",
        packageVersion: "1.0.0",
        file: "generated/api.github.com.json",
        openapi: "3.0.3",
        infoVersion: "1.0.0",
        infoTitle: "t",
      },
      generatedBy: "test",
      operations: extractOperations(spec),
    };
    const text = serializeFixture(fixture);
    expect(JSON.parse(text)).toEqual(fixture);
    const operationLines = text.split("\n").filter((line) => line.includes('"operationId"'));
    expect(operationLines).toHaveLength(fixture.operations.length);
  });
});
