/**
 * Regenerates what is derived from the zod schemas: schema/hotfix.schema.json and the policy
 * reference in README.md (between its markers), and schema/hotfix-evidence.schema.json (the
 * release evidence asset). A test fails when any is stale.
 */
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { parse } from "yaml";
import { policyJsonSchema } from "../src/policy/schema.js";
import { renderPolicyReference } from "../src/policy/reference.js";
import { evidenceJsonSchema } from "../src/evidence/schema.js";
import { REFERENCE_END, REFERENCE_START, replaceBetween } from "./readme-markers.js";

const root = new URL("../", import.meta.url);
const schema = policyJsonSchema();
await mkdir(new URL("schema/", root), { recursive: true });
await writeFile(new URL("schema/hotfix.schema.json", root), `${JSON.stringify(schema, null, 2)}\n`);
await writeFile(
  new URL("schema/hotfix-evidence.schema.json", root),
  `${JSON.stringify(evidenceJsonSchema(), null, 2)}\n`,
);

const example = parse(await readFile(new URL("examples/hotfix.yml", root), "utf8"));
const readme = await readFile(new URL("README.md", root), "utf8");
await writeFile(
  new URL("README.md", root),
  replaceBetween(readme, REFERENCE_START, REFERENCE_END, renderPolicyReference(schema, example)),
);
console.log(
  "wrote schema/hotfix.schema.json, schema/hotfix-evidence.schema.json and the policy reference in README.md",
);
