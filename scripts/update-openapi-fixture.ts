/**
 * Regenerates test/fixtures/openapi/api.github.com.operations.json from GitHub's official
 * OpenAPI description (`@octokit/openapi`, file generated/api.github.com.json).
 *
 *   npx tsx scripts/update-openapi-fixture.ts [version]     (default: latest)
 *
 * The package is 385 MB installed, so it is never a dependency of this project: it is installed
 * into a temporary folder, one file is read, and the folder is deleted again. Only the package's
 * JSON file is read; its index would load all ten descriptions.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type {
  BodyVariant,
  JsonType,
  JsonValue,
  OperationSpec,
  OperationsFixture,
  ParameterSpec,
  PropertySchema,
  RequestBodySpec,
  ValueSchema,
} from "../test/openapi/operations-fixture.js";

const PACKAGE = "@octokit/openapi";
const SPEC_FILE = "generated/api.github.com.json";
const FIXTURE = fileURLToPath(
  new URL("../test/fixtures/openapi/api.github.com.operations.json", import.meta.url),
);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** The loosely typed slice of OpenAPI 3.0 this script reads. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: JsonValue[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  "x-multi-segment"?: boolean;
}
interface RequestBody {
  $ref?: string;
  required?: boolean;
  content: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: RequestBody;
}
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>> & { parameters?: Parameter[] };
export interface OpenApiSpec {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components?: Record<string, Record<string, unknown>>;
}

/** Pure: GitHub's description in, the compact fixture's operations out. */
export function extractOperations(spec: OpenApiSpec): OperationSpec[] {
  const deref = <T extends { $ref?: string }>(node: T): T => {
    let current = node;
    for (let hops = 0; current.$ref !== undefined; hops++) {
      if (hops > 50) throw new Error(`$ref cycle at ${node.$ref}`);
      const ref = current.$ref;
      if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], spec);
      if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
      current = target as T;
    }
    return current;
  };

  /** Flattens allOf into one schema (intersection: properties merged, required unioned). */
  const flatten = (node: Schema): Schema => {
    const schema = deref(node);
    if (!schema.allOf) return schema;
    let merged: Schema = { ...schema, allOf: undefined };
    for (const part of schema.allOf.map(flatten)) merged = mergeObject(merged, part);
    return merged;
  };

  const mergeObject = (base: Schema, extra: Schema): Schema => ({
    ...base,
    ...extra,
    type: extra.type ?? base.type,
    properties: { ...base.properties, ...extra.properties },
    required: [...new Set([...(base.required ?? []), ...(extra.required ?? [])])],
  });

  const typesOf = (schema: Schema): JsonType[] | undefined => {
    if (schema.type === undefined) return undefined;
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[];
    return schema.nullable && !types.includes("null") ? [...types, "null"] : types;
  };

  /** The alternatives a value may take; oneOf/anyOf branches inherit the parent's type. */
  const alternatives = (node: Schema): ValueSchema[] => {
    const schema = flatten(node);
    const branches = schema.oneOf ?? schema.anyOf;
    let result: ValueSchema[];
    if (branches) {
      result = branches.flatMap((branch) => {
        const resolved = flatten(branch);
        return alternatives(
          resolved.type === undefined ? { ...resolved, type: schema.type } : resolved,
        );
      });
      if (schema.nullable) result.push({ types: ["null"] });
    } else {
      const types = typesOf(schema);
      result = [{ ...(types && { types }), ...(schema.enum && { enum: schema.enum }) }];
    }
    return compactAlternatives(result);
  };

  const propertySchema = (node: Schema): PropertySchema => {
    const alts = alternatives(node);
    return alts.length === 1 ? alts[0]! : { anyOf: alts };
  };

  /** A property that a oneOf/anyOf branch narrows (e.g. only an enum) keeps the base type. */
  const narrowProperty = (base: Schema | undefined, branch: Schema): Schema => {
    if (!base) return branch;
    const b = flatten(branch);
    const a = flatten(base);
    return { ...a, ...b, type: b.type ?? a.type, enum: b.enum ?? a.enum };
  };

  const variant = (schema: Schema): BodyVariant => {
    const types =
      typesOf(schema) ?? (schema.properties || schema.required ? ["object"] : undefined);
    const properties = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([name, prop]) => [name, propertySchema(prop)]),
    );
    const out: BodyVariant = { ...(types && { types }) };
    if (schema.required?.length) out.required = [...new Set(schema.required)];
    if (Object.keys(properties).length) out.properties = properties;
    const extra = schema.additionalProperties;
    if (extra === true) out.additionalProperties = {};
    else if (extra && typeof extra === "object") out.additionalProperties = propertySchema(extra);
    return out;
  };

  const bodyVariants = (node: Schema): BodyVariant[] => {
    const schema = flatten(node);
    const branches = schema.oneOf ?? schema.anyOf;
    if (!branches) return [variant(schema)];
    const hasShared = Object.keys(schema.properties ?? {}).length > 0 || !!schema.required?.length;
    if (!hasShared) {
      // Independent shapes (e.g. POST /user/codespaces): each branch is a variant on its own.
      return branches.flatMap((branch) => {
        const b = flatten(branch);
        return bodyVariants(b.type === undefined ? { ...b, type: schema.type } : b);
      });
    }
    // Shared properties plus constraints per branch (e.g. PATCH check-runs: status "completed"
    // requires conclusion). The branch's own `additionalProperties: true` is only noise there.
    return branches.map((branch) => {
      const b = flatten(branch);
      const properties = { ...schema.properties };
      for (const [name, prop] of Object.entries(b.properties ?? {})) {
        properties[name] = narrowProperty(schema.properties?.[name], prop);
      }
      return variant({
        ...schema,
        oneOf: undefined,
        anyOf: undefined,
        properties,
        required: [...(schema.required ?? []), ...(b.required ?? [])],
      });
    });
  };

  const requestBody = (node: RequestBody): RequestBodySpec => {
    const body = deref(node);
    const json = Object.entries(body.content).find(([type]) =>
      /^application\/(.+\+)?json/.test(type),
    );
    if (!json) {
      return { required: body.required ?? false, contentType: Object.keys(body.content)[0] ?? "" };
    }
    const [contentType, media] = json;
    return {
      required: body.required ?? false,
      contentType,
      ...(media.schema && { variants: bodyVariants(media.schema) }),
    };
  };

  const parameter = (p: Parameter): ParameterSpec => ({
    name: p.name,
    ...(p.in === "query" && p.required && { required: true as const }),
    ...(p["x-multi-segment"] && { multiSegment: true as const }),
    schema: p.schema ? propertySchema(p.schema) : {},
  });

  const operations: OperationSpec[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      // Operation-level parameters override path-level ones with the same name and location.
      const params = new Map<string, Parameter>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref)) {
        params.set(`${p.in}:${p.name}`, p);
      }
      const inPath = [...params.values()].filter((p) => p.in === "path");
      const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const pathParams = templateNames.map((name) => {
        const p = inPath.find((candidate) => candidate.name === name);
        if (!p) throw new Error(`${method.toUpperCase()} ${path}: {${name}} is not described`);
        return parameter(p);
      });
      const queryParams = [...params.values()].filter((p) => p.in === "query").map(parameter);
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        pathParams,
        ...(queryParams.length && { queryParams }),
        ...(op.requestBody && { body: requestBody(op.requestBody) }),
      });
    }
  }
  return operations.sort(
    (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
  );
}

/** Merges alternatives that differ only in type, so `string | integer` stays one entry. */
function compactAlternatives(alts: ValueSchema[]): ValueSchema[] {
  if (alts.some((a) => a.types === undefined && a.enum === undefined)) return [{}];
  const open: ValueSchema = {};
  const closed = new Map<string, ValueSchema>();
  for (const alt of alts) {
    if (alt.enum === undefined) {
      open.types = [...new Set([...(open.types ?? []), ...(alt.types ?? [])])];
      continue;
    }
    const key = JSON.stringify(alt.types ?? null);
    const existing = closed.get(key);
    if (existing) existing.enum = [...new Set([...existing.enum!, ...alt.enum])];
    else closed.set(key, { ...alt });
  }
  return [...(open.types ? [open] : []), ...closed.values()];
}

/** One operation per line: small, and a regeneration shows up as a readable diff. */
export function serializeFixture(fixture: OperationsFixture): string {
  const { operations, ...header } = fixture;
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, "");
  const ops = operations.map((op) => `    ${JSON.stringify(op)}`).join(",\n");
  return `${head},\n  "operations": [\n${ops}\n  ]\n}\n`;
}

function main(): void {
  const requested = process.argv[2] ?? "latest";
  const dir = mkdtempSync(join(tmpdir(), "hotfix-bot-openapi-"));
  try {
    console.log(`Installing ${PACKAGE}@${requested} into ${dir} (temporary, ~385 MB)…`);
    execFileSync(
      "npm",
      [
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--prefix",
        dir,
        `${PACKAGE}@${requested}`,
      ],
      { cwd: dir, stdio: "inherit" },
    );
    const packageDir = join(dir, "node_modules", ...PACKAGE.split("/"));
    const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
      version: string;
    };
    const spec = JSON.parse(readFileSync(join(packageDir, SPEC_FILE), "utf8")) as OpenApiSpec;
    const fixture: OperationsFixture = {
      source: {
        package: PACKAGE,
        packageVersion: version,
        file: SPEC_FILE,
        openapi: spec.openapi,
        infoVersion: spec.info.version,
        infoTitle: spec.info.title,
      },
      generatedBy: "scripts/update-openapi-fixture.ts",
      operations: extractOperations(spec),
    };
    mkdirSync(dirname(FIXTURE), { recursive: true });
    writeFileSync(FIXTURE, serializeFixture(fixture));
    const withBody = fixture.operations.filter((op) => op.body).length;
    const kb = (statSync(FIXTURE).size / 1024).toFixed(0);
    console.log(
      `Wrote ${FIXTURE}: ${fixture.operations.length} operations (${withBody} with a request body), ` +
        `${kb} KiB, from ${PACKAGE}@${version} (info.version ${spec.info.version}).`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    // npm has already printed why; the fixture was left as it was.
    console.error(`update-openapi-fixture failed: ${(error as Error).message.split("\n")[0]}`);
    process.exitCode = 1;
  }
}
