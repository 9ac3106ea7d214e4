import {
  loadOperationsFixture,
  type BodyVariant,
  type JsonType,
  type OperationSpec,
  type ParameterSpec,
  type PropertySchema,
  type ValueSchema,
} from "./operations-fixture.js";
import { checkGraphqlRequest } from "../graphql/check-graphql.js";

/**
 * Checks one HTTP request against GitHub's OpenAPI description (the committed fixture).
 * A request GitHub would reject, or would accept while silently ignoring part of it, is a bug
 * that mocked tests otherwise hide: nock answers whatever the test told it to.
 */

export interface RequestToCheck {
  method: string;
  /** Absolute URL or path, with query string; a GitHub Enterprise `/api/v3` prefix is allowed. */
  url: string;
  /** Parsed JSON, or the raw text as sent; `undefined`/`""` when no body was sent. */
  body?: unknown;
}

export interface MatchedOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/check-runs`. */
  template: string;
  /** "POST /repos/{owner}/{repo}/check-runs": a key for counting requests by route. */
  route: string;
  /** Decoded path parameter values. */
  params: Record<string, string>;
}

type Segment =
  | { literal: string }
  | { param: ParameterSpec }
  /** A segment mixing text and parameters, e.g. `{base}...{head}`. */
  | { pattern: RegExp; params: ParameterSpec[]; text: string };

interface CompiledOperation {
  spec: OperationSpec;
  segments: Segment[];
}

interface Candidate {
  operation: CompiledOperation;
  params: Record<string, string>;
  /** Per request segment: 0 literal, 0.5 mixed, 1 parameter; lower wins, leftmost first. */
  rank: number[];
}

let compiled: CompiledOperation[] | undefined;

function compileSegment(spec: OperationSpec, segment: string): Segment {
  const paramFor = (name: string): ParameterSpec => {
    const param = spec.pathParams.find((p) => p.name === name);
    if (!param) throw new Error(`fixture: ${spec.path} does not describe {${name}}`);
    return param;
  };
  const whole = /^\{([^{}]+)\}$/.exec(segment)?.[1];
  if (whole !== undefined) return { param: paramFor(whole) };
  if (!segment.includes("{")) return { literal: segment };
  const params: ParameterSpec[] = [];
  const source = segment
    .split(/(\{[^{}]+\})/)
    .map((piece) => {
      const name = /^\{(.+)\}$/.exec(piece)?.[1];
      if (name === undefined) return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      params.push(paramFor(name));
      return "(.+?)";
    })
    .join("");
  return { pattern: new RegExp(`^${source}$`), params, text: segment };
}

function operations(): CompiledOperation[] {
  compiled ??= loadOperationsFixture().operations.map((spec) => ({
    spec,
    segments: spec.path
      .split("/")
      .slice(1)
      .map((segment) => compileSegment(spec, segment)),
  }));
  return compiled;
}

/** Path relative to the API root: host dropped, GitHub Enterprise's `/api/v3` or `/api/uploads` dropped. */
function parseUrl(url: string): { segments: string[]; query: URLSearchParams; graphql: boolean } {
  const parsed = new URL(url, "https://api.github.com");
  // GitHub Enterprise's `/api/v3`, and its uploads host `/api/uploads` (uploads.github.com).
  const path = parsed.pathname.replace(/^\/api\/(v3|uploads)(?=\/|$)/, "");
  // GraphQL (`/graphql`, `/api/graphql` on GitHub Enterprise) is not part of the REST description.
  const graphql = path === "/graphql" || path === "/api/graphql";
  return { segments: path.split("/").slice(1), query: parsed.searchParams, graphql };
}

const GRAPHQL: MatchedOperation = {
  operationId: "graphql",
  method: "POST",
  template: "/graphql",
  route: "POST /graphql",
  params: {},
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * All ways `segments` fit the template. A parameter takes one segment (which may hold an
 * encoded `%2F`); a parameter GitHub marks `x-multi-segment` (`contents/{path}`,
 * `git/ref/{ref}`, `branches/{branch}`) may also take several raw segments.
 */
function fit(
  template: CompiledOperation["segments"],
  segments: string[],
  ti = 0,
  si = 0,
  params: Record<string, string> = {},
  rank: number[] = [],
): Array<{ params: Record<string, string>; rank: number[] }> {
  if (ti === template.length) return si === segments.length ? [{ params, rank }] : [];
  const part = template[ti]!;
  if (si === segments.length) return [];
  if ("literal" in part) {
    if (segments[si] !== part.literal) return [];
    return fit(template, segments, ti + 1, si + 1, params, [...rank, 0]);
  }
  if ("pattern" in part) {
    const values = part.pattern.exec(decode(segments[si]!))?.slice(1);
    if (!values) return [];
    const named = Object.fromEntries(part.params.map((p, i) => [p.name, values[i] ?? ""]));
    return fit(template, segments, ti + 1, si + 1, { ...params, ...named }, [...rank, 0.5]);
  }
  const maxTake = part.param.multiSegment ? segments.length - si - (template.length - ti - 1) : 1;
  const results: Array<{ params: Record<string, string>; rank: number[] }> = [];
  for (let take = 1; take <= maxTake; take++) {
    const raw = segments.slice(si, si + take);
    const value = raw.map(decode).join("/");
    const nextParams = { ...params, [part.param.name]: value };
    results.push(
      ...fit(template, segments, ti + 1, si + take, nextParams, [...rank, ...raw.map(() => 1)]),
    );
  }
  return results;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 1) - (b[i] ?? 1);
    if (d !== 0) return d;
  }
  return 0;
}

function bestMatch(method: string, segments: string[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const operation of operations()) {
    if (operation.spec.method !== method) continue;
    for (const { params, rank } of fit(operation.segments, segments)) {
      if (!best || compareRank(rank, best.rank) < 0) best = { operation, params, rank };
    }
  }
  return best;
}

function toMatched(candidate: Candidate): MatchedOperation {
  const { spec } = candidate.operation;
  return {
    operationId: spec.operationId,
    method: spec.method,
    template: spec.path,
    route: `${spec.method} ${spec.path}`,
    params: candidate.params,
  };
}

/** The operation GitHub would route this request to, or `undefined` when none exists. */
export function matchOperation(
  request: Pick<RequestToCheck, "method" | "url">,
): MatchedOperation | undefined {
  const method = request.method.toUpperCase();
  const { segments, graphql } = parseUrl(request.url);
  if (graphql && method === "POST") return { ...GRAPHQL, params: {} };
  const best = bestMatch(method, segments);
  return best && toMatched(best);
}

/**
 * Renders an unknown path with as much of it as some template explains, so the message reads
 * "POST /repos/{owner}/{repo}/foo" rather than naming the test's owner and repo.
 */
function describeUnknownPath(segments: string[]): string {
  let bestDepth = 0;
  let bestRender: string[] = [];
  let bestRank: number[] = [];
  for (const { segments: template } of operations()) {
    const render: string[] = [];
    const rank: number[] = [];
    for (let i = 0; i < Math.min(template.length, segments.length); i++) {
      const part = template[i]!;
      if ("literal" in part) {
        if (part.literal !== segments[i]) break;
        render.push(part.literal);
        rank.push(0);
      } else if ("pattern" in part) {
        if (!part.pattern.test(decode(segments[i]!))) break;
        render.push(part.text);
        rank.push(0.5);
      } else {
        render.push(`{${part.param.name}}`);
        rank.push(1);
      }
    }
    if (
      render.length > bestDepth ||
      (render.length === bestDepth && compareRank(rank, bestRank) < 0)
    ) {
      bestDepth = render.length;
      bestRender = render;
      bestRank = rank;
    }
  }
  return "/" + [...bestRender, ...segments.slice(bestDepth)].join("/");
}

function jsonTypeOf(value: unknown): JsonType | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "object") {
    return typeof value as JsonType;
  }
  return "undefined";
}

function alternativesOf(schema: PropertySchema): ValueSchema[] {
  return "anyOf" in schema ? schema.anyOf : [schema];
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function describeSchema(schema: PropertySchema): string {
  return alternativesOf(schema)
    .map((alt) =>
      alt.enum
        ? `one of ${alt.enum.map(show).join(", ")}`
        : `${(alt.types ?? ["any"]).join(" or ")}`,
    )
    .join(", or ");
}

/** JSON value against a property schema: `undefined` when fine, else what is wrong. */
function valueProblem(value: unknown, schema: PropertySchema): string | undefined {
  const type = jsonTypeOf(value);
  const fits = alternativesOf(schema).some((alt) => {
    if (alt.types) {
      const typeOk =
        alt.types.includes(type as JsonType) ||
        (type === "integer" && alt.types.includes("number"));
      if (!typeOk) return false;
    }
    if (value === null && alt.types?.includes("null")) return true;
    return !alt.enum || alt.enum.some((allowed) => allowed === value);
  });
  return fits ? undefined : `is ${show(value)}, expected ${describeSchema(schema)}`;
}

/** A path or query value (always text) against its schema. */
function textProblem(text: string, schema: PropertySchema): string | undefined {
  const fits = alternativesOf(schema).some((alt) => {
    const typeOk =
      !alt.types ||
      alt.types.some((type) => {
        switch (type) {
          case "integer":
            return /^-?\d+$/.test(text);
          case "number":
            return text.trim() !== "" && Number.isFinite(Number(text));
          case "boolean":
            return text === "true" || text === "false";
          case "string":
          case "array": // comma-separated lists
            return true;
          default:
            return false;
        }
      });
    if (!typeOk) return false;
    return !alt.enum || alt.enum.some((allowed) => String(allowed) === text);
  });
  return fits ? undefined : `is ${show(text)}, expected ${describeSchema(schema)}`;
}

function checkParams(candidate: Candidate, query: URLSearchParams): string[] {
  const { spec } = candidate.operation;
  const problems: string[] = [];
  for (const param of spec.pathParams) {
    const value = candidate.params[param.name] ?? "";
    if (value === "" && !param.multiSegment) {
      problems.push(`path parameter {${param.name}} is empty`);
      continue;
    }
    const problem = value === "" ? undefined : textProblem(value, param.schema);
    if (problem) problems.push(`path parameter {${param.name}} ${problem}`);
  }
  const known = spec.queryParams ?? [];
  for (const param of known) {
    if (param.required && !query.has(param.name)) {
      problems.push(`missing required query parameter "${param.name}"`);
    }
  }
  for (const [name, value] of query) {
    const param = known.find((p) => p.name === name);
    if (!param) {
      const names = known.map((p) => p.name);
      problems.push(
        `unknown query parameter "${name}" (GitHub ignores it); ` +
          (names.length ? `known: ${names.join(", ")}` : "this operation takes none"),
      );
      continue;
    }
    const problem = textProblem(value, param.schema);
    if (problem) problems.push(`query parameter "${name}" ${problem}`);
  }
  return problems;
}

function checkVariant(body: unknown, variant: BodyVariant): string[] {
  const type = jsonTypeOf(body);
  if (variant.types && !variant.types.includes(type as JsonType)) {
    return [`request body is ${type}, expected ${variant.types.join(" or ")}`];
  }
  if (type !== "object") return [];
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of variant.required ?? []) {
    if (!(name in fields)) problems.push(`missing required body field "${name}"`);
  }
  const properties = variant.properties ?? {};
  for (const [name, value] of Object.entries(fields)) {
    const schema = properties[name] ?? variant.additionalProperties;
    if (!schema) {
      // A field GitHub's description names only in `required` is still a known field.
      if (variant.required?.includes(name)) continue;
      const names = Object.keys(properties);
      problems.push(
        `unknown body field "${name}" (GitHub ignores it silently); ` +
          (names.length ? `known: ${names.join(", ")}` : "this body takes no named fields"),
      );
      continue;
    }
    const problem = valueProblem(value, schema);
    if (problem) problems.push(`body field "${name}" ${problem}`);
  }
  return problems;
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === "" || (body instanceof Uint8Array && body.length === 0);
}

function checkBody(spec: OperationSpec, rawBody: unknown): string[] {
  if (isEmptyBody(rawBody)) {
    return spec.body?.required ? ["missing request body, which this operation requires"] : [];
  }
  if (!spec.body) {
    const fields =
      rawBody && typeof rawBody === "object" ? ` (fields: ${Object.keys(rawBody).join(", ")})` : "";
    return [`unexpected request body${fields}: this operation takes none, GitHub ignores it`];
  }
  const { variants } = spec.body;
  if (!variants) return []; // raw markdown or an upload: opaque bytes
  let body = rawBody;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return [`request body is not valid JSON (operation expects ${spec.body.contentType})`];
    }
  }
  const results = variants.map((variant) => checkVariant(body, variant));
  if (results.some((problems) => problems.length === 0)) return [];
  if (results.length === 1) return results[0]!;
  const described = results.map((problems, i) => `[${i + 1}] ${problems.join("; ")}`).join(" | ");
  return [`request body matches none of the ${results.length} shapes GitHub accepts: ${described}`];
}

/** Every way the request departs from GitHub's description; empty when it conforms. */
export function checkRequest(request: RequestToCheck): string[] {
  const method = request.method.toUpperCase();
  const { segments, query, graphql } = parseUrl(request.url);
  // Outside the REST description: checked against GitHub's GraphQL schema instead.
  if (graphql && method === "POST") return checkGraphqlRequest(request.body);
  const candidate = bestMatch(method, segments);
  if (!candidate) {
    const path = describeUnknownPath(segments);
    const otherMethods = [
      ...new Set(
        operations()
          .filter((op) => op.spec.method !== method && fit(op.segments, segments).length > 0)
          .map((op) => op.spec.method),
      ),
    ];
    const hint = otherMethods.length ? ` (that path exists for ${otherMethods.join(", ")})` : "";
    return [`no such operation: ${method} ${path}${hint}`];
  }
  return [...checkParams(candidate, query), ...checkBody(candidate.operation.spec, request.body)];
}
