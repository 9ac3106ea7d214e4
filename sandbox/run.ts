/**
 * `npm run sandbox` — try hotfix-bot without a GitHub account. Starts a GitHub stand-in on
 * 127.0.0.1 (real git underneath), registers hotfix-bot with it like a GitHub App (a fresh key
 * pair and webhook secret), starts the real app exactly as you would (`probot run
 * ./lib/index.js`, configured by environment: GHE_HOST=127.0.0.1:<port>, GHE_PROTOCOL=http),
 * seeds the demo repository acme/shop and plays a hotfix's whole lifecycle, printing what
 * everyone — and the bot — did. Exits 0 when the lifecycle ended as it must.
 *
 *   npm run sandbox                  # the app as a child process (after `npm run build`)
 *   npm run sandbox -- --in-process  # the app in this process (quicker; Probot's throttling off)
 *   npm run sandbox -- --prometheus  # also a real Prometheus (if installed): a metric signal
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isTrackingComment } from "../src/record/render.js";
import { unpaced } from "../src/backport/pace-writes.js";
import {
  newAppCredentials,
  ROOT,
  startAppInProcess,
  startAppProcess,
  type AppHost,
} from "./app-host.js";
import { OWNER, REPO, PEOPLE, POLICY, seedDemo } from "./demo-repo.js";
import { playStartedLifecycle } from "./start-lifecycle.js";
import { SANDBOX_SWEEP_TOKEN, startSandboxIntegrations } from "./integrations.js";
import { playMergeQueueLine, QUEUE_BASE } from "./merge-queue-line.js";
import { endState, lifecycleProblems, runProblems } from "./outcome.js";
import { startStandIn } from "./stand-in/server.js";
import { bold, dim, green, indent, red, Timeline } from "./timeline.js";

const inProcess = process.argv.includes("--in-process");
const withPrometheus = process.argv.includes("--prometheus");

async function main(): Promise<number> {
  if (!inProcess && !existsSync(join(ROOT, "lib", "index.js"))) {
    console.error("lib/index.js is missing: run `npm run build` first (npm run sandbox does).");
    return 2;
  }
  const standIn = await startStandIn();
  let app: AppHost | undefined;
  // Receivers of notifications (and a Prometheus with --prometheus), outside GitHub.
  const integrations = await startSandboxIntegrations({ prometheus: withPrometheus });
  try {
    const demo = await seedDemo(standIn, { policy: integrations.policy(POLICY) });
    const credentials = newAppCredentials(OWNER);
    const timeline = new Timeline(`${credentials.slug}[bot]`);
    console.log(bold("hotfix-bot sandbox — no GitHub account needed"));
    console.log(
      dim(
        `GitHub stand-in: ${standIn.enterpriseUrl} (real git in ${demo.repo.git.dir})\n` +
          `Demo repository ${OWNER}/${REPO}: main (2.0), release/1.4 (v1.4.0…v1.4.2), release/1.3 (v1.3.0, v1.3.1),\n` +
          `  teams acme/qa (${PEOPLE.qa}), acme/ops (${PEOPLE.ops}), acme/release-managers (${PEOPLE.releaser}); policy .github/hotfix.yml on main`,
      ),
    );
    if (inProcess) Object.assign(process.env, integrations.env);
    app = inProcess
      ? await startAppInProcess(standIn, credentials, {
          config: { backportPacer: unpaced, sweepToken: SANDBOX_SWEEP_TOKEN },
        })
      : await startAppProcess(standIn, credentials, {
          env: integrations.env,
          onLine: (line) => timeline.appLog(line),
        });
    console.log(
      dim(
        inProcess
          ? `hotfix-bot in this process at ${app.url}\n`
          : `hotfix-bot: \`probot run ./lib/index.js\` (pid ${(app as { child?: { pid?: number } }).child?.pid}) at ${app.url}, GHE_HOST=${new URL(standIn.url).host}, GHE_PROTOCOL=http\n` +
              `(Probot spaces an app's writes one second apart, so this takes about a minute.)\n`,
      ),
    );
    standIn.hub.onJournal((entry) => timeline.entry(entry));

    const { pr, branch, issue } = await playStartedLifecycle({
      standIn,
      app,
      demo,
      say: (text) => timeline.step(text),
      settleTimeoutMs: 180_000,
    });
    if (integrations.prometheus) {
      timeline.step(`the scheduler runs the sweep: it measures the metric signal error-rate`);
      const answer = await fetch(`${app.url}/hotfix-bot/sweep`, {
        method: "POST",
        headers: { authorization: `Bearer ${SANDBOX_SWEEP_TOKEN}` },
      });
      const report = (await answer.json()) as { swept?: Array<{ decisions: string[] }> };
      console.log(
        dim(`          sweep: ${report.swept?.[0]?.decisions.join("; ") ?? answer.status}`),
      );
    }

    const state = await endState(demo, pr);
    const tracking = [...demo.repo.state.comments.values()].find(
      (c) => c.issue === pr && isTrackingComment(c.body),
    );
    const gate = demo.repo.state.checkRuns.filter((r) => r.name === "Hotfix policy").pop();
    console.log(`\n${bold(`The tracking comment on #${pr}, as people see it:`)}`);
    if (tracking)
      console.log(
        indent(
          tracking.body
            .split("\n")
            .filter((l) => !l.startsWith("<!--"))
            .join("\n")
            .trim(),
          "  │ ",
        ),
      );
    if (gate) {
      console.log(
        `\n${bold(`The “Hotfix policy” check run on ${gate.headSha.slice(0, 7)}:`)} ${gate.conclusion ?? gate.status} — ${gate.output.title}`,
      );
      const warning = (gate.output.summary ?? "").split("\n").find((l) => l.startsWith("| ⚠️ |"));
      if (warning)
        console.log(
          indent(
            warning.slice(2, -2).split(" | ").slice(1).join(": ").split("<br>").join("\n"),
            "  │ ",
          ),
        );
    }
    console.log(
      `  review requests by hotfix-bot on #${pr}: ${state.reviewersAsked.join(", ") || "none"}`,
    );
    console.log(`\n${bold("End state:")}`);
    for (const p of state.pulls) {
      console.log(
        `  ${p.head} → ${p.base}: ${p.merged ? "merged" : p.state}${p.draft ? " (draft)" : ""}${p.labels.length ? ` [${p.labels.join(", ")}]` : ""}`,
      );
    }
    console.log(`  tags: ${Object.keys(state.tags).join(", ")}`);
    console.log(
      `  releases: ${state.releases.map((r) => `${r.tag}${r.latest ? " (Latest)" : ""}`).join(", ")}`,
    );
    const assets = (demo.repo.state.releaseAssets ?? []).map((a) => `${a.name} (“${a.label}”)`);
    console.log(`  release assets: ${assets.join(", ") || "none"}`);
    console.log(
      `  deployments: ${state.deployments.map((d) => `${d.ref} → ${d.environment}: ${d.states.join(" → ")}`).join("; ")}`,
    );
    const before = {
      requests: standIn.requests.length,
      counted: standIn.requests.filter((r) => r.status !== 304).length,
      deliveries: standIn.webhooks.deliveries.length,
    };
    // A second line whose base requires GitHub's merge queue (sandbox/merge-queue-line.ts).
    const queued = await playMergeQueueLine({
      standIn,
      app,
      demo,
      say: (text) => timeline.step(text),
      settleTimeoutMs: 180_000,
    });
    console.log(
      `\n${bold("Merge queue line:")} #${queued.pr} → ${QUEUE_BASE}: added to GitHub's merge queue by hotfix-bot (position ${queued.position ?? "—"}), merged by ${queued.mergedBy ?? "nobody"}, tagged ${queued.tag ?? "—"}`,
    );
    const deliveries = standIn.webhooks.deliveries;
    console.log(
      dim(
        `  ${deliveries.length} webhook deliveries (all signed), ${standIn.requests.length} GitHub API requests by hotfix-bot (${standIn.requests.filter((r) => r.status !== 304).length} counted against the rate limit, the rest answered 304 Not Modified), every one checked against GitHub's OpenAPI description (GraphQL against its schema); the release/1.4 lifecycle alone: ${before.requests} requests for ${before.deliveries} deliveries, ${before.counted} counted`,
      ),
    );

    console.log(
      `\n${bold(`Notification log (${integrations.log.length} messages to Slack, Teams, a signed webhook and PagerDuty):`)}`,
    );
    for (const line of integrations.log) console.log(`  ${line}`);
    if (integrations.prometheus) console.log(dim(`  metric signal: ${integrations.prometheus}`));

    const problems = [...lifecycleProblems(state, pr, branch), ...runProblems(standIn)];
    const started = [...demo.repo.state.comments.values()].find(
      (c) => c.issue === issue && c.body.includes(`started the hotfix for #${issue}`),
    );
    if (!started) problems.push(`the bot started the hotfix from issue #${issue} (/start-hotfix)`);
    if (!integrations.log.some((l) => l.includes("released")))
      problems.push("the notification receivers heard of the release");
    if (integrations.log.some((l) => l.includes("BAD SIGNATURE")))
      problems.push("every signed webhook verified");
    const refused = [...demo.repo.state.comments.values()].some(
      (c) => c.issue === pr && c.body.startsWith(`@${PEOPLE.dev} may not release here`),
    );
    if (!refused)
      problems.push(`the bot refused @${PEOPLE.dev}'s /release-hotfix with an explanation`);
    if (queued.position === null || queued.mergedBy !== "github-merge-queue[bot]" || !queued.tag)
      problems.push(
        `the merge-queue line: #${queued.pr} added to the queue, merged by the queue and tagged`,
      );
    if (problems.length > 0) {
      console.log(`\n${red(bold("✘ The lifecycle did not end as expected:"))}`);
      for (const problem of problems) console.log(red(`  - ${problem}`));
      return 1;
    }
    console.log(
      `\n${green(bold("✔ The lifecycle ended as expected."))} Try it on GitHub: see README.md, "Quick start".`,
    );
    return 0;
  } finally {
    await app?.close();
    await standIn.close();
    await integrations.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      red(
        `sandbox failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
    );
    process.exit(1);
  },
);
