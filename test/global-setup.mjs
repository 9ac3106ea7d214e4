/**
 * Some end-to-end tests run the app as users do, `probot run ./lib/index.js`: they need lib/
 * compiled from the current src/. `npm ci` builds it (the `prepare` script); this rebuilds it
 * before the tests when a source file is newer than the build, so a test never runs old code.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

export default function buildIfStale() {
  const built = join(ROOT, "lib", "index.js");
  const stale =
    !existsSync(built) ||
    newest(join(ROOT, "src")) > newest(join(ROOT, "lib")) ||
    statSync(join(ROOT, "package-lock.json")).mtimeMs > statSync(built).mtimeMs;
  if (!stale) return;
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    { cwd: ROOT, stdio: "inherit" },
  );
}
