import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { policyJsonSchema } from "../../src/policy/schema.js";
import { renderPolicyReference } from "../../src/policy/reference.js";
import { between, REFERENCE_END, REFERENCE_START } from "../../scripts/readme-markers.js";

describe("JSON Schema", () => {
  it("is committed and up to date (run `npm run schema` after changing src/policy/schema.ts)", () => {
    const committed = JSON.parse(readFileSync("schema/hotfix.schema.json", "utf8"));
    expect(committed).toEqual(policyJsonSchema());
  });

  it("describes what a user writes: keys with defaults are optional, every key documented", () => {
    const schema = policyJsonSchema() as {
      required?: string[];
      properties: Record<
        string,
        {
          description?: string;
          required?: string[];
          properties?: Record<string, { description?: string }>;
        }
      >;
    };
    expect(schema.required ?? []).toEqual([]);
    for (const [section, body] of Object.entries(schema.properties)) {
      expect([section, body.description]).toEqual([section, expect.any(String)]);
      expect(body.required ?? []).toEqual([]);
      for (const [key, value] of Object.entries(body.properties ?? {})) {
        expect([`${section}.${key}`, value.description]).toEqual([
          `${section}.${key}`,
          expect.any(String),
        ]);
      }
    }
  });
});

describe("README", () => {
  const readme = readFileSync("README.md", "utf8");

  it("shows the example policy exactly as examples/hotfix.yml (which the CLI tests validate)", () => {
    const example = readFileSync("examples/hotfix.yml", "utf8").replace(/^#.*\n/, "");
    expect(readme).toContain("```yaml\n" + example + "```");
  });

  it("has an up-to-date policy reference with every key (run `npm run schema`)", () => {
    const example = parse(readFileSync("examples/hotfix.yml", "utf8"));
    const reference = between(readme, REFERENCE_START, REFERENCE_END);
    expect(reference).toBe(renderPolicyReference(policyJsonSchema(), example));
    for (const key of [
      "hotfix.branches",
      "approvals.groups[].count",
      "release.allowed.permission",
      "backport.on_conflict",
    ]) {
      expect(reference).toContain(`| \`${key}\` |`);
    }
  });
});
