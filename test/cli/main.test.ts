import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const dir = mkdtempSync(join(tmpdir(), "hotfix-cli-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("hotfix-bot CLI", () => {
  it("validate: exit 0 for the README's example", async () => {
    const result = await run("validate", "examples/hotfix.yml");
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toMatch(/valid hotfix-bot policy/);
  });

  it("validate: exit 1 naming file, line, key and what is wrong", async () => {
    const path = file(
      "broken.yml",
      "hotfix:\n  branches: ['hotfix/*']\napprovals:\n  groups:\n    - { name: QA, cuont: 2, teams: [acme/qa] }\n",
    );
    const result = await run("validate", path);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `${path}:5: approvals.groups[0].cuont: unknown key "cuont"; did you mean "count"?`,
    );
    expect(result.err).toMatch(/1 problem; the policy is invalid/);
  });

  it("validate: exit 2 when the file cannot be read", async () => {
    const result = await run("validate", join(dir, "missing.yml"));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/cannot read .*missing\.yml: no such file/);
    const asDir = join(dir, "a-directory");
    mkdirSync(asDir);
    expect((await run("validate", asDir)).code).toBe(2);
  });

  it("validate: defaults to .github/hotfix.yml in the current folder", async () => {
    const cwd = process.cwd();
    const repo = mkdtempSync(join(tmpdir(), "hotfix-repo-"));
    mkdirSync(join(repo, ".github"));
    writeFileSync(join(repo, ".github/hotfix.yml"), "release:\n  draft: true\n");
    process.chdir(repo);
    try {
      expect((await run("validate")).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  it("validate: notes an _extends it cannot follow locally", async () => {
    const result = await run("validate", file("extends.yml", "_extends: .github\n"));
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/extends "\.github"; that file is not read here/);
  });

  it("schema: prints the JSON Schema", async () => {
    const result = await run("schema");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      type: "object",
      properties: { hotfix: expect.any(Object) },
    });
  });

  it("usage errors exit 2", async () => {
    expect((await run()).code).toBe(2);
    expect((await run("frobnicate")).err).toMatch(/unknown command "frobnicate"/);
    expect((await run("--help")).code).toBe(0);
  });
});
