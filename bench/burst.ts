/**
 * A burst of deliveries to the real app process (`probot run ./lib/index.js`, as deployed):
 * real payloads the stand-in sent for a hotfix PR — CI check runs completing, reviews, commit
 * statuses, each a full gate re-evaluation — delivered `count` times, `concurrency` at a time,
 * signed. Handler time is the delivery's round trip (the app answers when its work is done;
 * all of these end well within its 5 s answer budget). Peak RSS is the app process's VmHWM.
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { newAppCredentials, settle, startAppProcess } from "../sandbox/app-host.js";
import { OWNER, PEOPLE, seedDemo } from "../sandbox/demo-repo.js";
import { HOTFIX_BRANCH, playUntilApproved } from "../sandbox/lifecycle.js";
import type { WebhookEvent } from "../sandbox/stand-in/hub.js";
import { startStandIn } from "../sandbox/stand-in/server.js";
import { deliveryHeaders } from "../sandbox/stand-in/webhooks.js";

export interface BurstResult {
  deliveries: number;
  concurrency: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number | null;
  /** GitHub requests the app made during the burst. */
  requests: number;
  /** Of those, the ones GitHub counts against the rate limit (all but 304s). */
  counted: number;
  failed: number;
}

function procStatus(pid: number, field: string): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${field}:`));
    const kb = Number(line?.replace(/\D+/g, ""));
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null; // not Linux
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function burst(count = 1000, concurrency = 32): Promise<BurstResult> {
  const standIn = await startStandIn();
  const demo = await seedDemo(standIn);
  const credentials = newAppCredentials(OWNER);
  const app = await startAppProcess(standIn, credentials, { env: { LOG_LEVEL: "warn" } });
  try {
    const pr = await playUntilApproved({ standIn, app, demo, settleTimeoutMs: 120_000 });
    // Record real payloads of events that re-evaluate the gate.
    const recorded: WebhookEvent[] = [];
    const stop = standIn.hub.onWebhook((event) => recorded.push(event));
    const head = await demo.repo.headOf(HOTFIX_BRANCH);
    // Required names: each delivery re-evaluates the hotfix's gate (none is skipped as irrelevant).
    await demo.repo.check(head, "build", "success");
    demo.repo.review(PEOPLE.captain, pr, "COMMENTED", "Looks fine.");
    await demo.repo.setStatus("ci", head, "build", "success");
    await settle(standIn, app, 120_000);
    stop();
    const mix = recorded.filter((e) =>
      ["check_run.completed", "pull_request_review.submitted", "status.undefined"].includes(
        `${e.name}.${String(e.payload.action)}`,
      ),
    );
    if (mix.length < 3) throw new Error(`recorded ${mix.length} payloads, expected 3`);

    const pid = app.child.pid as number;
    const fromRequests = standIn.requests.length;
    const times: number[] = [];
    let failed = 0;
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        const event = mix[next++ % mix.length] as WebhookEvent;
        const body = JSON.stringify(event.payload);
        const t0 = performance.now();
        const response = await fetch(app.webhookUrl, {
          method: "POST",
          headers: deliveryHeaders(event.name, randomUUID(), body, {
            secret: credentials.webhookSecret,
            appId: credentials.appId,
          }),
          body,
        });
        await response.arrayBuffer();
        times.push(performance.now() - t0);
        if (response.status !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    await settle(standIn, app, 120_000);
    times.sort((a, b) => a - b);
    return {
      deliveries: count,
      concurrency,
      seconds,
      eventsPerSecond: count / seconds,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      peakRssMb: procStatus(pid, "VmHWM"),
      requests: standIn.requests.length - fromRequests,
      counted: standIn.requests.slice(fromRequests).filter((r) => r.status !== 304).length,
      failed,
    };
  } finally {
    await app.close();
    await standIn.close();
  }
}
