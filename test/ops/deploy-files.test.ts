/**
 * The deployment files say what README "Deploy" says they do. (No Docker engine runs in CI:
 * scripts/smoke-production-install.sh runs the image's install and start command without it.)
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";

describe("Dockerfile", () => {
  const dockerfile = readFileSync("Dockerfile", "utf8");
  const instructions = dockerfile
    .replace(/\s*\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => /^[A-Z]+\s/.test(line));

  it("builds in stages on node:22-slim and installs only production dependencies for the runtime", () => {
    const froms = instructions.filter((l) => l.startsWith("FROM "));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:22-slim\b/);
    expect(dockerfile).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it("runs as the unprivileged node user, with a HEALTHCHECK on /healthz, the probot run command", () => {
    const runtime = instructions.slice(
      instructions.map((l) => l.startsWith("FROM ")).lastIndexOf(true),
    );
    const user = runtime.findIndex((l) => l === "USER node");
    const cmd = runtime.findIndex((l) => l.startsWith("CMD "));
    expect(user).toBeGreaterThan(0);
    expect(cmd).toBeGreaterThan(user);
    expect(runtime[cmd]).toBe(
      'CMD ["node", "node_modules/probot/bin/probot.js", "run", "./lib/index.js"]',
    );
    expect(runtime.find((l) => l.startsWith("HEALTHCHECK "))).toMatch(/\/healthz/);
    expect(runtime).toContain(
      "ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 LOG_FORMAT=json LOG_LEVEL=info",
    );
  });

  it("copies only files that exist", () => {
    for (const line of instructions.filter((l) => l.startsWith("COPY ") && !l.includes("--from"))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) expect([source, existsSync(source)]).toEqual([source, true]);
    }
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync("action.yml", "utf8")) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: Array<{ run?: string; env?: Record<string, string> }> };
  };

  it("installs the app and runs lib/action.js (built from src/action.ts) with the token input", () => {
    expect(action.runs.using).toBe("composite");
    expect(action.inputs.token?.default).toBe("${{ github.token }}");
    const last = action.runs.steps.at(-1);
    expect(last?.run).toBe('node "$GITHUB_ACTION_PATH/lib/action.js"');
    expect(last?.env?.GITHUB_TOKEN).toBe("${{ inputs.token }}");
    expect(existsSync("src/action.ts")).toBe(true);
    expect(action.runs.steps.some((s) => /npm ci\b/.test(s.run ?? ""))).toBe(true);
  });
});
