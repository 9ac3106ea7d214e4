/**
 * `npm run bench` — hotfix-bot's cost and speed against the GitHub stand-in, in one run:
 *   1. GitHub requests per event (gate re-evaluation, release, backports of 1, 10, 50 commits);
 *   2. a burst of 1,000 deliveries to the app process: events/s, p50/p99 handler time, peak RSS;
 *   3. a busy repository: requests sent and counted (all but 304s) per ordinary delivery and per
 *      hotfix re-evaluation, with the conditional-request cache and the payload memory, and without;
 *   4. the API-only backport vs. a clone-based one on a 20,000-commit, 20,000-file history,
 *      the stand-in answering each request after 50 ms.
 * Builds the app first (the burst runs `probot run ./lib/index.js`). Not part of CI.
 */
import { spawnSync } from "node:child_process";
import { cpus, totalmem, type } from "node:os";
import { ROOT } from "../sandbox/app-host.js";
import { burst } from "./burst.js";
import { busyRepository } from "./busy-repository.js";
import { largeBackport } from "./large-backport.js";
import { requestsPerEvent } from "./requests-per-event.js";

const gitVersion = spawnSync("git", ["--version"], { encoding: "utf8" }).stdout.trim();
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, ${type()}, Node ${process.version}, ${gitVersion}`;

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map((r) => line(r.map(String))),
  ].join("\n");
}

async function main(): Promise<void> {
  console.log(
    `hotfix-bot benchmark — ${new Date().toISOString().slice(0, 10)}\nMachine: ${machine}\n`,
  );
  console.log("Building the app (npm run build)…");
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("npm run build failed");

  console.log("\n1. GitHub requests per event\n");
  const costs = await requestsPerEvent();
  console.log(
    table(
      ["Event", "Delivery", "Requests", "Counted", "Reads", "Writes"],
      costs.map((c) => [c.event, c.delivery, c.requests, c.counted, c.reads, c.writes]),
    ),
  );

  console.log("\n2. A burst of 1,000 deliveries to `probot run ./lib/index.js` (32 at a time)\n");
  const b = await burst(1000, 32);
  console.log(
    table(
      [
        "Deliveries",
        "Wall time",
        "Events/s",
        "p50 handler",
        "p99 handler",
        "Peak RSS",
        "GitHub requests",
        "Counted",
        "Failed",
      ],
      [
        [
          b.deliveries,
          `${b.seconds.toFixed(1)} s`,
          b.eventsPerSecond.toFixed(1),
          `${b.p50Ms.toFixed(0)} ms`,
          `${b.p99Ms.toFixed(0)} ms`,
          b.peakRssMb === null ? "n/a" : `${b.peakRssMb.toFixed(0)} MB`,
          b.requests,
          b.counted,
          b.failed,
        ],
      ],
    ),
  );

  console.log(
    "\n3. A busy repository: 20 ordinary PRs (3 pushes each; per push 6 CI jobs, 2 commit statuses, a review, a comment) beside one hotfix PR\n",
  );
  const rows: Array<Array<string | number>> = [];
  for (const savings of [true, false]) {
    const f = await busyRepository({ ordinaryPulls: 20, savings });
    const per = (part: { deliveries: number; sent: number; counted: number }) => [
      part.deliveries,
      (part.sent / part.deliveries).toFixed(3),
      (part.counted / part.deliveries).toFixed(3),
    ];
    const label = savings
      ? "conditional requests and payload memory on (as shipped)"
      : "both off (every read in full)";
    rows.push([`ordinary delivery — ${label}`, ...per(f.ordinary)]);
    rows.push([`hotfix re-evaluation — ${label}`, ...per(f.hotfix)]);
  }
  console.log(table(["Per", "Deliveries", "Requests sent", "Requests counted"], rows));

  console.log("\n4. Backport on a large history: API-only vs. clone-based\n");
  const l = await largeBackport(50);
  console.log(
    `History: ${l.commits.toLocaleString("en")} commits, ${l.files.toLocaleString("en")} files (generated with git fast-import in ${l.generateSeconds.toFixed(1)} s)\n`,
  );
  console.log(
    table(
      ["Backport", "Time", "Notes"],
      [
        [
          "API-only (hotfix-bot)",
          `${l.api.seconds.toFixed(2)} s`,
          `${l.api.requests} requests × ${l.latencyMs} ms latency`,
        ],
        [
          "clone + cherry-pick + push",
          `${l.clone.seconds.toFixed(2)} s`,
          `clone alone ${l.clone.cloneSeconds.toFixed(2)} s (file://, no network latency)`,
        ],
      ],
    ),
  );
  console.log(
    `\nThe clone-based backport took ${l.ratio.toFixed(1)}× as long as the API-only one.`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
