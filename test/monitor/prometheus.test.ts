/**
 * Queries against a real Prometheus scraping an exporter this test serves: what each kind of
 * answer becomes — a value, no traffic (NaN), an empty result, several series, a query that does
 * not parse, a server that is down or never answers. Only a value is ever conclusive.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { createServer, type Server, type Socket } from "node:net";
import { measure } from "../../src/monitor/judge.js";
import { queryPrometheus } from "../../src/monitor/prometheus.js";
import {
  describeWithPrometheus,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from "../helpers/prometheus-server.js";
import { freePort } from "../helpers/redis-server.js";

describeWithPrometheus("queryPrometheus against a real Prometheus", () => {
  let exporter: Exporter;
  let prometheus: PrometheusServer;
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    exporter = await startExporter({ demo_error_ratio: 0.2, demo_errors: 0, demo_requests: 0 });
    prometheus = await startPrometheus(exporter.url);
    await prometheus.waitFor("demo_error_ratio", 0.2);
    // Accepts connections and never answers: a Prometheus that hangs.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as { port: number }).port;
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  }, 20_000);

  const ask = (query: string, url = prometheus.url, timeoutMs = 2000) =>
    queryPrometheus({ url }, query, timeoutMs);

  it("a single series is a value, and violates the threshold it exceeds", async () => {
    const answer = await ask("max(demo_error_ratio)");
    expect(answer).toEqual({ kind: "value", value: 0.2 });
    expect(measure(answer, "> 0.05", "t").state).toBe("violating");
    expect(measure(await ask("scalar(demo_error_ratio)"), "> 0.5", "t").state).toBe("ok");
  });

  it("no traffic (0 errors / 0 requests = NaN) is not a violation", async () => {
    const answer = await ask("sum(demo_errors) / sum(demo_requests)");
    expect(answer.kind).toBe("value");
    expect(measure(answer, "> 0.05", "t").state).toBe("no-traffic");
  });

  it("an empty result is inconclusive", async () => {
    const answer = await ask("demo_latency_seconds_missing");
    expect(answer).toEqual({ kind: "empty" });
    expect(measure(answer, "> 0.05", "t").state).toBe("inconclusive");
  });

  it("several series are inconclusive, with a hint to aggregate", async () => {
    const answer = await ask('{job="demo", __name__=~"demo_.*"}');
    expect(answer).toMatchObject({ kind: "many" });
    expect(measure(answer, "> 0.05", "t").reason).toMatch(/series, not one number/);
  });

  it("a query that does not parse is inconclusive, saying Prometheus refused it", async () => {
    const answer = await ask("sum(rate(demo_errors[5m]");
    expect(answer.kind).toBe("error");
    expect((answer as { reason: string }).reason).toMatch(
      /^Prometheus answered 400 \(the query does not parse or is invalid\): bad_data: /,
    );
  });

  it("a server that is down, or never answers, is inconclusive", async () => {
    const down = await ask("max(demo_error_ratio)", `http://127.0.0.1:${await freePort()}`);
    expect(down.kind).toBe("error");
    expect((down as { reason: string }).reason).toMatch(/^Prometheus could not be reached/);
    const hung = await ask("max(demo_error_ratio)", `http://127.0.0.1:${silentPort}`, 300);
    expect(hung).toEqual({ kind: "error", reason: "Prometheus did not answer within 300 ms" });
    expect(measure(hung, "> 0.05", "t").state).toBe("inconclusive");
  });
});
