/**
 * A hotfix's monitoring window judged by a real Prometheus, through the real app and the GitHub
 * stand-in: Prometheus scrapes an exporter this test serves every second; the test keeps its
 * error rate low to close a window clean, raises it to fail one (and, with `on_failure:
 * rollback`, roll production back), and takes the exporter or the server away to prove those
 * windows inconclusive — never clean. Measurements are taken by the sweep (HTTP route and CLI)
 * and kept in the tracking comment, so the CLI — another process's view — carries on from them.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "@jest/globals";
import { runSweep } from "../../src/cli/sweep.js";
import { readStoredBlock } from "../../src/record/stored-block.js";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import { playUntilApproved, RELEASE_COMMAND } from "../../sandbox/lifecycle.js";
import type { HubSnapshot } from "../../sandbox/stand-in/hub.js";
import {
  demoPolicy,
  deployments,
  onlyDeployment,
  openScenario,
  probotFor,
  report,
  say,
  settled,
  stages,
  trackingBody,
  type AppScenario,
} from "../deploy/deploy-scenario.js";
import {
  describeWithPrometheus,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from "../helpers/prometheus-server.js";

const SWEEP_TOKEN = "sweep-token-16";
const ENV_URL = "HOTFIX_PROMETHEUS_MAIN_URL";
const POLICY = `${demoPolicy(null)}deploy:
  environments: { staging: staging, production: production }
  promote: auto
  monitor:
    minutes: 1
    signals:
      labels: []
      prometheus:
        - name: error-rate
          server: main
          query: max(demo_error_ratio)
          fail_if: "> 0.05"
          every: 1s
          failures: 2
    on_failure: rollback
`;

describeWithPrometheus("the monitoring window with a Prometheus signal", () => {
  let exporter: Exporter;
  let prometheus: PrometheusServer;
  let run: AppScenario;
  let pr: number;
  let live: HubSnapshot;
  /** The app's clock runs `offset` ms ahead of the real one: the test moves time. */
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  beforeAll(async () => {
    exporter = await startExporter({ demo_error_ratio: 0.01 });
    prometheus = await startPrometheus(exporter.url);
    process.env[ENV_URL] = prometheus.url;
    await prometheus.waitFor("max(demo_error_ratio)", 0.01);
    run = await openScenario({ policy: POLICY, sweepToken: SWEEP_TOKEN, now });
    pr = await playUntilApproved(run.player);
    await say(run, PEOPLE.releaser, pr, RELEASE_COMMAND);
    await report(run, onlyDeployment(run, "staging"), "success");
    await report(run, onlyDeployment(run, "production"), "success");
    live = await run.standIn.hub.snapshot();
  }, 120_000);

  afterAll(async () => {
    delete process.env[ENV_URL];
    await live?.dispose();
    await run?.close();
    await prometheus?.stop();
    await exporter?.close();
  }, 60_000);

  beforeEach(async () => {
    offset = 0;
    process.env[ENV_URL] = prometheus.url;
    exporter.up = true;
    exporter.values.demo_error_ratio = 0.01;
    await prometheus.waitFor("max(demo_error_ratio)", 0.01);
    await run.standIn.hub.restore(live);
  }, 60_000);

  /** POST /hotfix-bot/sweep; the decision about this hotfix. */
  async function sweep(): Promise<string> {
    const answer = await fetch(`${run.app.url}/hotfix-bot/sweep`, {
      method: "POST",
      headers: { authorization: `Bearer ${SWEEP_TOKEN}` },
    });
    const body = (await answer.json()) as { swept: Array<{ decisions: string[] }> };
    await settled(run);
    return body.swept[0]?.decisions.find((d) => d.startsWith(`#${pr} `)) ?? "(none)";
  }
  const monitor = () => stages(run, pr).Monitoring;
  const metricLine = () =>
    trackingBody(run, pr)
      .split("\n")
      .find((l) => l.includes("metric `error-rate`"));
  const stored = () => readStoredBlock(trackingBody(run, pr));

  it("a low error rate: measured while the window is open, shown with its value and time, and the window closes clean", async () => {
    expect(await sweep()).toMatch(/: window open until /);
    expect(metricLine()).toMatch(
      /^ {2}- 🟢 metric `error-rate`: 0\.01 — ok \(0\.01, not > 0\.05\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; 0 of the last 1 measurements violating$/,
    );
    offset += 2000;
    expect(await sweep()).toMatch(/: window open until /);
    offset = 65_000;
    expect(await sweep()).toMatch(/: window closed clean at /);
    expect(monitor()?.state).toBe("done");
    expect(stored().metrics?.["error-rate"]?.map((m) => m.state)).toEqual(["ok", "ok", "ok"]);
    expect(deployments(run, "production")).toHaveLength(1);
  }, 60_000);

  it("a raised error rate: one violation keeps the window open, the second fails the hotfix and rolls production back — the CLI sweep carrying on from the measurement the route stored", async () => {
    exporter.values.demo_error_ratio = 0.3;
    await prometheus.waitFor("max(demo_error_ratio)", 0.3);
    expect(await sweep()).toMatch(/: window open until /);
    expect(metricLine()).toMatch(/🔴 metric `error-rate`: 0\.3 — violating \(0\.3 > 0\.05\)/);
    expect(stored().metrics?.["error-rate"]).toHaveLength(1);

    offset += 2000;
    const out: string[] = [];
    const env = {
      APP_ID: String(run.credentials.appId),
      PRIVATE_KEY: run.credentials.privateKey,
      [ENV_URL]: prometheus.url,
    };
    const code = await runSweep(
      [],
      { out: (l) => out.push(l), err: (l) => out.push(l) },
      { env, probot: () => probotFor(run), now },
    );
    await settled(run);
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(
      /hotfix failed: metric signal `error-rate` failed: 2 consecutive violating measurements \(limit 2\), last: 0\.3 > 0\.05; rolling back to v1\.4\.2 \(on_failure: rollback\)/,
    );
    expect(monitor()?.state).toBe("failed");
    expect(monitor()?.text).toMatch(/metric signal `error-rate` failed: 2 consecutive violating/);
    const rollback = deployments(run, "production").find(
      (d) => (d.payload as { hotfix_bot?: { stage?: string } }).hotfix_bot?.stage === "rollback",
    );
    expect(rollback?.ref).toBe("v1.4.2");
    expect(
      (rollback?.payload as { hotfix_bot: { requested_by: string } }).hotfix_bot.requested_by,
    ).toBe("hotfix-bot");
    expect(trackingBody(run, pr)).not.toMatch(/closed clean/);
  }, 60_000);

  it("an exporter gone (an empty result) is inconclusive: the window closes inconclusive at its end, never clean", async () => {
    exporter.up = false;
    await prometheus.waitFor("max(demo_error_ratio)", "empty");
    expect(await sweep()).toMatch(/: window open until /);
    expect(metricLine()).toMatch(
      /⚠️ metric `error-rate`: no value — inconclusive \(the query returned no data\)/,
    );
    offset = 65_000;
    expect(await sweep()).toMatch(
      /: window closed inconclusive: no conclusive measurement of `error-rate`/,
    );
    expect(monitor()).toEqual({
      state: "skipped",
      text: expect.stringMatching(
        /^⚠️ closed \*\*inconclusive\*\* at .* — neither passed nor failed: no conclusive measurement of `error-rate` \(the query returned no data\)/,
      ),
    });
    expect(deployments(run, "production")).toHaveLength(1);
  }, 60_000);

  it("Prometheus down, or its URL missing from the app's environment: inconclusive with the reason in the comment, nothing rolled back", async () => {
    process.env[ENV_URL] = "http://127.0.0.1:9";
    expect(await sweep()).toMatch(/: window open until /);
    expect(metricLine()).toMatch(/inconclusive \(Prometheus could not be reached/);
    delete process.env[ENV_URL];
    offset += 2000;
    expect(await sweep()).toMatch(/: window open until /);
    expect(metricLine()).toMatch(
      /inconclusive \(unknown Prometheus server `main`: HOTFIX_PROMETHEUS_MAIN_URL is not set in the app's environment\)/,
    );
    offset = 65_000;
    expect(await sweep()).toMatch(/: window closed inconclusive/);
    expect(deployments(run, "production")).toHaveLength(1);
  }, 60_000);
});
