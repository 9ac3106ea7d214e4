/**
 * The shape of src/, checked on the source itself: no import cycle between folders (a cycle
 * means two folders are one tangled unit), and the decision folders never reach for Octokit or
 * Probot — only the GitHub adapter and the entry points do. Break a rule and the message names
 * the imports that close the cycle.
 */
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every `import … from "x"` and `export … from "x"` (type-only ones too: a type is a dependency). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)";/gms)].map(
    (m) => m[1] as string,
  );
}

const folderOf = (file: string) => {
  const parts = relative(SRC, file).split("/");
  return parts.length > 1 ? (parts[0] as string) : "(entry)";
};

const files = sourceFiles(SRC);
const edges: Import[] = files.flatMap((file) =>
  importsOf(file)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => ({ from: file, to: resolve(dirname(file), spec).replace(/\.js$/, ".ts") })),
);

/** The cycles of a directed graph, each as the list of its nodes (Tarjan's components > 1). */
function cycles(nodes: readonly string[], next: (node: string) => string[]): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!indices.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, indices.get(to) as number));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of nodes) if (!indices.has(node)) visit(node);
  return found;
}

describe("the layout of src/", () => {
  it("has source files to check (the scan works)", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.length).toBeGreaterThan(100);
  });

  it("has no import cycle between folders", () => {
    const folders = [...new Set(files.map(folderOf))];
    const between = (a: string, b: string) =>
      edges.filter((e) => folderOf(e.from) === a && folderOf(e.to) === b);
    const next = (folder: string) =>
      [
        ...new Set(edges.filter((e) => folderOf(e.from) === folder).map((e) => folderOf(e.to))),
      ].filter((to) => to !== folder);
    const found = cycles(folders, next).map((cycle) =>
      cycle
        .flatMap((a) => cycle.filter((b) => b !== a).flatMap((b) => between(a, b)))
        .map((e) => `${relative(SRC, e.from)} → ${relative(SRC, e.to)}`),
    );
    expect(found).toEqual([]);
  });

  it("has no import cycle between files", () => {
    const next = (file: string) => edges.filter((e) => e.from === file).map((e) => e.to);
    expect(cycles(files, next).map((c) => c.map((f) => relative(SRC, f)))).toEqual([]);
  });

  it("keeps Octokit and Probot out of the decisions: only the adapter and the entries import them", () => {
    const allowed = new Set(["github", "events", "runtime", "cli", "(entry)", "observability"]);
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^(probot|@octokit\/)/.test(spec))
        .filter(() => !allowed.has(folderOf(file)))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
