/**
 * Real local HTTP receivers for notification tests: one node http server, a path per receiver,
 * each recording what it got (headers and the raw body, so a test verifies a signature over the
 * exact bytes) and answering as told — a status per attempt, or never (a receiver that hangs).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  raw: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  json: Record<string, unknown>;
}

export interface Receivers {
  url: string;
  received: Received[];
  /** Answers for a path, one per request (the last repeats); "hang" never answers. */
  answers: Map<string, Array<number | "hang">>;
  on(path: string): Received[];
  close(): Promise<void>;
}

export async function startReceivers(): Promise<Receivers> {
  const received: Received[] = [];
  const answers = new Map<string, Array<number | "hang">>();
  const served = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const json = parseJson(raw);
      received.push({ path, headers: req.headers, raw, at: Date.now(), json });
      const list = answers.get(path) ?? [200];
      const n = served.get(path) ?? 0;
      served.set(path, n + 1);
      const answer = list[Math.min(n, list.length - 1)] ?? 200;
      if (answer === "hang") {
        hanging.push(res);
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answers,
    on: (path) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseJson(raw: string): Record<string, unknown> {
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}
