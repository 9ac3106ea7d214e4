/**
 * `hotfix-bot` command line: validate a policy file before committing it, print the JSON
 * Schema for editors. Exit codes: 0 valid, 1 invalid policy, 2 unreadable file or bad usage.
 */
import { readFile, stat } from "node:fs/promises";
import { EXTENDS_KEY, formatProblem, parseLayer, validateLayers } from "../policy/parse.js";
import { MAX_POLICY_BYTES, POLICY_PATH, policyJsonSchema } from "../policy/schema.js";

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage:
  hotfix-bot validate [path]   check a policy file (default ${POLICY_PATH})
  hotfix-bot schema            print the policy's JSON Schema
  hotfix-bot sweep [owner/repo...]
                               close due monitoring windows (run it from a scheduler;
                               needs APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH)
Exit codes: 0 valid, 1 invalid policy, 2 unreadable file or bad usage.
sweep: 0 done, 1 some repository could not be swept, 2 bad usage or no credentials.`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "validate":
      if (rest.length > 1) return usage(io, "validate takes one path");
      return validate(rest[0] ?? POLICY_PATH, io);
    case "schema":
      io.out(JSON.stringify(policyJsonSchema(), null, 2));
      return 0;
    case "sweep": {
      // Loaded on demand: validating a file should not start Probot.
      const { runSweep } = await import("./sweep.js");
      return runSweep(rest, io, { env: process.env });
    }
    case "help":
    case "--help":
    case "-h":
      io.out(USAGE);
      return 0;
    default:
      return usage(io, command ? `unknown command "${command}"` : "no command given");
  }
}

function usage(io: Io, problem: string): number {
  io.err(`hotfix-bot: ${problem}\n${USAGE}`);
  return 2;
}

async function validate(path: string, io: Io): Promise<number> {
  let text: string;
  let size: number;
  try {
    size = (await stat(path)).size;
    // Refuse before reading a huge file into memory.
    text = size > MAX_POLICY_BYTES ? "" : await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : (error as Error).message;
    io.err(`hotfix-bot: cannot read ${path}: ${why}`);
    return 2;
  }
  const layer = parseLayer(text, path, size);
  const result = layer.ok ? validateLayers([layer.value]) : layer;
  if (!result.ok) {
    for (const problem of result.problems) io.err(formatProblem(problem));
    io.err(
      `${path}: ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}; the policy is invalid.`,
    );
    return 1;
  }
  io.out(`${path}: valid hotfix-bot policy.`);
  if (layer.ok && layer.value.data[EXTENDS_KEY] !== undefined) {
    io.out(
      `Note: it extends ${JSON.stringify(layer.value.data[EXTENDS_KEY])}; that file is not read here. The app validates the merged policy and reports problems on the Hotfix policy check run.`,
    );
  }
  return 0;
}
