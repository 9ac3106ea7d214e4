/**
 * Pure: policy text in, a validated Policy or precise problems out. Every problem names the
 * file, the key path and, where the YAML tells us, the line — so an admin can fix it at once.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";
import { MAX_POLICY_BYTES, policySchema, type Policy } from "./schema.js";

export interface PolicyProblem {
  /** `owner/repo:.github/hotfix.yml` or a local path. */
  file: string;
  /** Dotted key path, e.g. `approvals.groups[1].count`; empty for the whole file. */
  path: string;
  line?: number;
  message: string;
}

/** One policy file read and parsed as YAML, not yet validated. */
export interface PolicyLayer {
  file: string;
  data: Record<string, unknown>;
  /** Line of a key path in this file, when the file has that key. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: PolicyProblem[] };

/** Aliases a policy may use; a "billion laughs" file needs thousands. */
const MAX_ALIASES = 100;

export function parseLayer(
  text: string,
  file: string,
  size = Buffer.byteLength(text),
): Parsed<PolicyLayer> {
  const fail = (message: string, line?: number): Parsed<PolicyLayer> => ({
    ok: false,
    problems: [{ file, path: "", line, message }],
  });
  if (size > MAX_POLICY_BYTES) {
    return fail(
      `the file is ${size} bytes; a policy may be at most ${MAX_POLICY_BYTES} bytes (64 KiB)`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        file,
        path: "",
        line: e.linePos?.[0]?.line,
        message: `invalid YAML: ${firstLine(e.message)}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return fail(
      `refused: ${(error as Error).message} (at most ${MAX_ALIASES} aliases are allowed)`,
    );
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data)) {
    return fail(
      "the policy must be a mapping of sections (hotfix, checks, approvals, release, backport)",
      1,
    );
  }
  return {
    ok: true,
    value: {
      file,
      data: data as Record<string, unknown>,
      lineOf: (path) => lineOf(doc, lineCounter, path),
    },
  };
}

function firstLine(message: string): string {
  // The line is reported separately; yaml's "at line 3, column 1:" would say it twice.
  const first = message.split("\n")[0]?.trim() ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

function lineOf(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  const startOf = (node: unknown) =>
    (node as { range?: [number, number, number] } | undefined)?.range?.[0];
  if (path.length === 0) {
    const start = startOf(doc.contents);
    return start === undefined ? undefined : counter.linePos(start).line;
  }
  // A mapping entry is located by its key (where people look for it), a list item by itself.
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
  const last = path[path.length - 1];
  let start: number | undefined;
  if (isMap(parent))
    start = startOf(parent.items.find((p) => isScalar(p.key) && p.key.value === last)?.key);
  start ??= startOf(doc.getIn(path as unknown[], true));
  return start === undefined ? undefined : counter.linePos(start).line;
}

/** Key under which a file names the policy it extends (Probot's convention). */
export const EXTENDS_KEY = "_extends";

/**
 * Validates the layers (most general first, the repository's own file last) merged into one
 * policy. Objects merge key by key; a list or value in a later file replaces the earlier one.
 */
export function validateLayers(layers: readonly PolicyLayer[]): Parsed<Policy> {
  const merged = layers.reduce<Record<string, unknown>>(
    (acc, layer) => deepMerge(acc, withoutExtends(layer.data)),
    {},
  );
  const result = policySchema.safeParse(merged, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.flatMap((issue) => describeIssue(issue, layers)),
  };
}

function withoutExtends(data: Record<string, unknown>): Record<string, unknown> {
  const { [EXTENDS_KEY]: _ignored, ...rest } = data;
  return rest;
}

function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
    "",
  );
}

function describeIssue(issue: z.core.$ZodIssue, layers: readonly PolicyLayer[]): PolicyProblem[] {
  const locate = (path: readonly PropertyKey[]) => locateIn(layers, path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const known = knownKeys(issue.path);
      const guess = known.length > 0 ? closest(key, known) : undefined;
      const hint =
        guess && distance(key, guess) <= Math.max(2, Math.floor(key.length / 3))
          ? `; did you mean "${guess}"?`
          : known.length > 0
            ? `; known keys here: ${known.join(", ")}`
            : "";
      return { ...locate(path), path: formatPath(path), message: `unknown key "${key}"${hint}` };
    });
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // A value with the type of one alternative (e.g. a mapping where a string or a mapping is
    // allowed) is best explained by that alternative's own problems: "unknown key", "required".
    const wrongType = (branch: z.core.$ZodIssue[]) =>
      branch.some((i) => i.code === "invalid_type" && i.path.length === 0);
    const fitting = issue.errors.filter((branch) => !wrongType(branch));
    if (fitting.length === 1) {
      return (fitting[0] as z.core.$ZodIssue[]).flatMap((inner) =>
        describeIssue({ ...inner, path: [...issue.path, ...inner.path] }, layers),
      );
    }
    const expected = issue.errors.flatMap((branch) =>
      branch.flatMap((i) => (i.code === "invalid_type" && i.path.length === 0 ? [i.expected] : [])),
    );
    if (fitting.length === 0 && expected.length > 0) {
      const got = "input" in issue ? describeValue(issue.input) : "something else";
      return [
        {
          ...locate(issue.path),
          path: formatPath(issue.path),
          message: `expected ${[...new Set(expected)].join(" or ")}, got ${got}`,
        },
      ];
    }
  }
  return [{ ...locate(issue.path), path: formatPath(issue.path), message: issueMessage(issue) }];
}

/** The most specific file that holds the path (or its nearest ancestor), with the line. */
function locateIn(
  layers: readonly PolicyLayer[],
  path: readonly PropertyKey[],
): { file: string; line?: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i] as PolicyLayer;
      const line = layer.lineOf(path.slice(0, depth));
      if (line !== undefined && (depth > 0 || i === layers.length - 1))
        return { file: layer.file, line };
    }
  }
  const last = layers[layers.length - 1];
  return { file: last?.file ?? "policy" };
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  // Walk the schema alongside the data so array indices resolve to the element schema.
  let schema: unknown = policySchema;
  for (const key of path) {
    schema = unwrap(schema);
    const def = (
      schema as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }
    ).def;
    if (def?.type === "object" && typeof key === "string") schema = def.shape?.[key];
    else if (def?.type === "array") schema = def.element;
    else return [];
  }
  const def = (unwrap(schema) as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as
    { def?: { type?: string; innerType?: unknown; in?: unknown } } | undefined;
  while (current?.def) {
    const { type } = current.def;
    if (type === "default" || type === "prefault" || type === "optional" || type === "nullable") {
      current = current.def.innerType as typeof current;
    } else if (type === "pipe") {
      current = current.def.in as typeof current;
    } else if (type === "union") {
      // For key suggestions a union stands for its mapping alternative, when it has one.
      const options = (current.def as { options?: unknown[] }).options ?? [];
      const mapping = options.find(
        (o) => (unwrap(o) as { def?: { type?: string } } | undefined)?.def?.type === "object",
      );
      if (!mapping) break;
      current = mapping as typeof current;
    } else break;
  }
  return current;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const got = "input" in issue ? describeValue(issue.input) : undefined;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return `expected a whole number, got ${got}`;
      if (issue.input !== undefined) return `expected ${issue.expected}, got ${got}`;
      // A schema may say what a missing key needs; zod's own message starts "Invalid input".
      return issue.message.startsWith("Invalid input")
        ? `required: expected ${issue.expected}`
        : issue.message;
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const guess =
        typeof issue.input === "string"
          ? closest(issue.input, issue.values.map(String))
          : undefined;
      const hint =
        guess && typeof issue.input === "string" && distance(issue.input, guess) <= 3
          ? `; did you mean "${guess}"?`
          : "";
      return `expected one of ${options.join(", ")}, got ${got}${hint}`;
    }
    default:
      return got !== undefined && issue.code !== "custom"
        ? `${issue.message} (got ${got})`
        : issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const json = JSON.stringify(value);
  return `${typeof value} ${json.length > 40 ? `${json.slice(0, 37)}..."` : json}`;
}

/** `file:line: path: message` — the form compilers use, so editors can jump to it. */
export function formatProblem(p: PolicyProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}
