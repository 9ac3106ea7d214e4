import { readFileSync } from "node:fs";

/**
 * The shape of test/fixtures/openapi/api.github.com.operations.json: the part of GitHub's
 * OpenAPI description that request checks need, written by scripts/update-openapi-fixture.ts.
 * Only what can be checked on a single request is kept (no descriptions, no responses), so the
 * committed file stays small and its diffs stay readable (one operation per line).
 */

export type JsonType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One alternative a value may take. No `types` means any JSON value is accepted. */
export interface ValueSchema {
  types?: JsonType[];
  enum?: JsonValue[];
}

/** `anyOf` only appears when alternatives differ in their enums (e.g. `true` or `"true"`). */
export type PropertySchema = ValueSchema | { anyOf: ValueSchema[] };

export interface ParameterSpec {
  name: string;
  /** Always true for path parameters, so only written for query parameters. */
  required?: true;
  /** GitHub's `x-multi-segment`: the value may contain raw slashes (`contents/{path}`). */
  multiSegment?: true;
  schema: PropertySchema;
}

/**
 * One way a JSON body can satisfy the schema. A top-level oneOf/anyOf becomes several
 * variants (each merged with the shared top-level properties); a request body must match one.
 */
export interface BodyVariant {
  types?: JsonType[];
  required?: string[];
  properties?: Record<string, PropertySchema>;
  /**
   * Absent: fields not in `properties` are reported (GitHub ignores them silently). Present
   * only when the schema declares a map (`additionalProperties: {...}` or `true`).
   */
  additionalProperties?: PropertySchema;
}

export interface RequestBodySpec {
  required: boolean;
  contentType: string;
  /** Only for `application/json` bodies; other media types (raw markdown, uploads) are opaque. */
  variants?: BodyVariant[];
}

export interface OperationSpec {
  method: string;
  path: string;
  operationId: string;
  pathParams: ParameterSpec[];
  queryParams?: ParameterSpec[];
  body?: RequestBodySpec;
}

export interface OperationsFixture {
  source: {
    package: string;
    packageVersion: string;
    file: string;
    openapi: string;
    infoVersion: string;
    infoTitle: string;
  };
  generatedBy: string;
  operations: OperationSpec[];
}

export const operationsFixtureUrl = new URL(
  "../fixtures/openapi/api.github.com.operations.json",
  import.meta.url,
);

let cached: OperationsFixture | undefined;

/** Parsed once per test file (~1 MB of JSON). */
export function loadOperationsFixture(): OperationsFixture {
  cached ??= JSON.parse(readFileSync(operationsFixtureUrl, "utf8")) as OperationsFixture;
  return cached;
}
