/**
 * SECURITY.md stays true: every test it cites exists, its permission table is app.yml's, and
 * the structural claims hold.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const security = readFileSync("SECURITY.md", "utf8");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("SECURITY.md", () => {
  const cited = [...security.matchAll(/`(test\/[^`]+\.test\.ts)` › \*([^*]+)\*/g)].map(
    ([, file, name]) => ({ file: file as string, name: name as string }),
  );

  it("cites a test for every threat", () => {
    const rows = security.split("\n").filter((l) => /^\| \*\*/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows)
      expect([row.slice(0, 60), /› \*/.test(row)]).toEqual([row.slice(0, 60), true]);
    expect(cited.length).toBeGreaterThanOrEqual(30);
  });

  it("cites only tests that exist, by file and exact name", () => {
    const missing = cited.filter(
      ({ file, name }) => !existsSync(file) || !readFileSync(file, "utf8").includes(name),
    );
    expect(missing).toEqual([]);
  });

  it("lists exactly the permissions app.yml asks for", () => {
    const manifest = parse(readFileSync("app.yml", "utf8")) as {
      default_permissions: Record<string, string>;
    };
    const table = Object.fromEntries(
      [...security.matchAll(/^\| `(\w+)` \| (read|write) \|/gm)].map(([, name, access]) => [
        name,
        access,
      ]),
    );
    expect(table).toEqual(manifest.default_permissions);
  });
});

describe("structural claims", () => {
  it("src/ starts no processes and evaluates no code", () => {
    const offenders = sourceFiles("src").filter((file) =>
      /\bchild_process\b|["']node:vm["']|\bworker_threads\b|\beval\(|new Function\(/.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
