import { connect } from "node:net";

/**
 * A bare HTTP/1.0 request over a TCP socket. Not fetch or node:http: nock intercepts both, and
 * an interceptor left on node:http by an earlier test file in the same Jest worker breaks
 * requests to 127.0.0.1 that it should let through. HTTP/1.0 makes the server close the
 * connection after the body, with no chunked encoding to undo.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const { hostname, port, pathname, search } = new URL(url);
  const body = Buffer.from(options.body ?? "");
  const head = [
    `${options.method ?? "GET"} ${pathname}${search} HTTP/1.0`,
    `host: ${hostname}:${port}`,
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${body.length}`,
    "",
    "",
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      // Not end(): a half-closed socket makes Node's server drop the answer. HTTP/1.0: it closes.
      socket.write(Buffer.concat([Buffer.from(head), body]));
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const split = raw.indexOf("\r\n\r\n");
      const [statusLine = "", ...lines] = raw.slice(0, split).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers,
        text: raw.slice(split + 4),
      });
    });
  });
}
