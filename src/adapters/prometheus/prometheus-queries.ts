/**
 * CanaryMetrics on Prometheus's HTTP API: an instant query (`POST /api/v1/query`, form-encoded,
 * as https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries allows for long
 * queries) at the analysis' own time. The server and its bearer token are the operator's; an
 * answer never travels back with the token in it, and the body read is bounded.
 */
import type { CanaryMetrics, MetricReading } from "../../ports/canary-metrics.js";
import { trimTrailingSlashes } from "../../domain/trailing-slashes.js";

export interface PrometheusOptions {
  baseUrl: string;
  token?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Largest answer read (default 1 MiB): a query returning thousands of series is no reading. */
  maxBytes?: number;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Sample values are strings: `"0.99"`, `"NaN"`, `"+Inf"`, `"-Inf"` (Prometheus's JSON format). */
export const parseSampleValue = (text: unknown): number | undefined => {
  if (text === "NaN") return NaN;
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (typeof text !== "string" || !/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(text))
    return undefined;
  return Number(text);
};

const readBounded = async (res: Response, maxBytes: number): Promise<string | undefined> => {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
};

/** The one number of a `vector` or `scalar` result, or why there is none. */
export function readingOf(json: unknown): MetricReading {
  if (!isRecord(json) || !isRecord(json["data"]))
    return { kind: "error", detail: "Prometheus answered without data" };
  const data = json["data"];
  const result = data["result"];
  if (data["resultType"] === "scalar" && Array.isArray(result)) {
    const value = parseSampleValue(result[1]);
    return value === undefined ? { kind: "error", detail: "unreadable scalar" } : { kind: "value", value };
  }
  if (data["resultType"] !== "vector" || !Array.isArray(result))
    return { kind: "error", detail: `expected a vector, got ${String(data["resultType"]).slice(0, 20)}` };
  if (result.length === 0) return { kind: "no-data", detail: "the query returned no series" };
  if (result.length > 1)
    return {
      kind: "error",
      detail: `the query returned ${result.length} series; aggregate it to one (sum, avg, max)`,
    };
  const sample: unknown = result[0];
  const pair = isRecord(sample) ? sample["value"] : undefined;
  const value = Array.isArray(pair) ? parseSampleValue(pair[1]) : undefined;
  return value === undefined ? { kind: "error", detail: "unreadable sample" } : { kind: "value", value };
}

export const createPrometheusQueries = (options: PrometheusOptions): CanaryMetrics => {
  const base = trimTrailingSlashes(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  // Nothing we say about a failure may carry the token, whatever the server or the network echoed.
  const scrub = (text: string): string =>
    (options.token ? text.split(options.token).join("[token]") : text).slice(0, 200);
  return {
    async instant(query, at) {
      const headers: Record<string, string> = {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
      };
      if (options.token) headers["authorization"] = `Bearer ${options.token}`;
      let res: Response;
      try {
        res = await doFetch(`${base}/api/v1/query`, {
          method: "POST",
          headers,
          body: new URLSearchParams({ query, time: String(at.getTime() / 1000) }).toString(),
          // The API does not redirect; following one could carry the token elsewhere.
          redirect: "error",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        return {
          kind: "error",
          detail: scrub(`Prometheus unreachable: ${cause?.code ?? cause?.message ?? (e as Error).message}`),
        };
      }
      let text: string | undefined;
      try {
        text = await readBounded(res, maxBytes);
      } catch (e) {
        return { kind: "error", detail: scrub(`Prometheus answer cut off: ${(e as Error).message}`) };
      }
      if (text === undefined)
        return { kind: "error", detail: `Prometheus answered more than ${maxBytes} bytes` };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (!res.ok || !isRecord(json) || json["status"] !== "success") {
        const what = isRecord(json)
          ? `${String(json["errorType"] ?? "")}: ${String(json["error"] ?? "")}`
          : res.status === 401 || res.status === 403
            ? "unauthorized (check the token's environment variable)"
            : "not a Prometheus API answer";
        return { kind: "error", detail: scrub(`Prometheus answered ${res.status} ${what}`) };
      }
      return readingOf(json);
    },
  };
};
