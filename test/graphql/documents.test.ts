/**
 * Every GraphQL document the app sends, validated against GitHub's published schema
 * (`@octokit/graphql-schema`): a misspelt field, a wrong argument type or a mutation GitHub does
 * not have fails here, not in production — as the OpenAPI check does for REST.
 */
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validate } from "@octokit/graphql-schema";
import { GRAPHQL_DOCUMENTS } from "../../src/github/octokit/graphql-documents.js";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("GraphQL documents against GitHub's schema", () => {
  it.each(Object.entries(GRAPHQL_DOCUMENTS))("%s validates", (name, document) => {
    expect(validate(document).map((e) => e.message)).toEqual([]);
    expect(document).toMatch(new RegExp(`\\b(query|mutation) ${name}\\b`));
  });

  it("the schema check catches a wrong document (a field GitHub does not have)", () => {
    const wrong = GRAPHQL_DOCUMENTS.HotfixMergeQueueState!.replace("position", "place");
    expect(validate(wrong).map((e) => e.message)).toEqual([
      expect.stringMatching(/Cannot query field "place" on type "MergeQueueEntry"/),
    ]);
  });

  it("no document is sent from anywhere else: only the adapter calls octokit.graphql, with the registry's documents", () => {
    const callers = sourceFiles(SRC).filter((file) =>
      /\.graphql\s*[<(]/.test(readFileSync(file, "utf8")),
    );
    expect(callers.map((f) => f.slice(SRC.length + 1))).toEqual(["github/octokit/merge-queue.ts"]);
    const inline = sourceFiles(SRC).filter(
      (file) =>
        !file.endsWith("graphql-documents.ts") &&
        /\b(query|mutation)\s+\w+\s*\(\$/.test(readFileSync(file, "utf8")),
    );
    expect(inline).toEqual([]);
  });
});
