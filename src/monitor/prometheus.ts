/**
 * One instant query against Prometheus's HTTP API (`GET /api/v1/query`), turned into a
 * `QueryAnswer`. Never throws: a timeout, a refused connection, a 500, a query Prometheus cannot
 * parse (400 bad_data) are each an `error` answer with the reason in words — inconclusive.
 */
import type { QueryAnswer } from "./judge.js";

export async function queryPrometheus(
  server: { url: string; token?: string },
  query: string,
  timeoutMs: number,
): Promise<QueryAnswer> {
  let url: URL;
  try {
    url = new URL("api/v1/query", server.url.endsWith("/") ? server.url : `${server.url}/`);
  } catch {
    return { kind: "error", reason: "the Prometheus URL in the app's environment is not a URL" };
  }
  url.searchParams.set("query", query);
  // Evaluated at Prometheus's own "now": the app's clock is not Prometheus's.
  let response: Response;
  try {
    response = await fetch(url, {
      headers: server.token ? { authorization: `Bearer ${server.token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const e = error as Error;
    return {
      kind: "error",
      reason:
        e.name === "TimeoutError"
          ? `Prometheus did not answer within ${timeoutMs} ms`
          : `Prometheus could not be reached (${causeOf(e)})`,
    };
  }
  const body = (await response.json().catch(() => null)) as PrometheusBody | null;
  if (!response.ok || body?.status !== "success") {
    const detail = body?.error ? `: ${body.errorType ?? "error"}: ${body.error}` : "";
    const what = body?.errorType === "bad_data" ? "the query does not parse or is invalid" : "";
    return {
      kind: "error",
      reason: `Prometheus answered ${response.status}${what ? ` (${what})` : ""}${detail}`.slice(
        0,
        300,
      ),
    };
  }
  return answerOf(body.data);
}

interface PrometheusBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Pure: Prometheus's `data` → one number, none, or several. */
export function answerOf(data: PrometheusBody["data"]): QueryAnswer {
  const result = data?.result;
  if (data?.resultType === "scalar" && Array.isArray(result))
    return { kind: "value", value: Number(result[1]) };
  if (data?.resultType === "vector" && Array.isArray(result)) {
    if (result.length === 0) return { kind: "empty" };
    if (result.length > 1) return { kind: "many", count: result.length };
    const sample = (result[0] as { value?: [number, string] }).value;
    return sample ? { kind: "value", value: Number(sample[1]) } : { kind: "empty" };
  }
  return { kind: "error", reason: `unexpected result type ${data?.resultType ?? "(none)"}` };
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
