/**
 * A fake Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/):
 * `/api/v1/query` and `/api/v1/query_range`, by GET or form-encoded POST, answered from scripted
 * series in Prometheus's response format (`{"status":"success","data":{"resultType":"vector",…}}`,
 * errors as `{"status":"error","errorType":"bad_data","error":…}` with 400). A bearer token is
 * required when one is set. `down(true)` answers every call with 503, as a
 * Prometheus restarting does. Binds 127.0.0.1 on a random port.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { answers, formatSample, type ScriptedSeries, valueAt } from "./series.js";

export type { ScriptedSeries } from "./series.js";

export interface FakePrometheus {
  readonly url: string;
  /** Required as `Authorization: Bearer <token>` when set. */
  token: string | undefined;
  /** Every query received: `<path> <query> @<time>`. */
  readonly queries: string[];
  /** Answer the queries this series matches (see series.ts). */
  script(series: Omit<ScriptedSeries, "start"> & { start?: Date }): void;
  /** Forget every series and query (between tests). */
  reset(): void;
  /** While down, every API call answers 503 (as Prometheus does while starting or overloaded). */
  down(isDown: boolean): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  let s = "";
  for await (const chunk of req) s += String(chunk);
  return s;
};

/** Prometheus accepts RFC 3339 or unix seconds (float) for times. */
const parseTime = (text: string | null, fallback: number): number | undefined => {
  if (text === null || text === "") return fallback;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms / 1000;
};

export const startFakePrometheus = async (
  options: { token?: string; now?: () => Date } = {},
): Promise<FakePrometheus> => {
  const series: ScriptedSeries[] = [];
  const queries: string[] = [];
  const now = options.now ?? (() => new Date());
  let isDown = false;
  const state = { token: options.token };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const fail = (status: number, errorType: string, error: string) =>
        send(status, { status: "error", errorType, error });
      const url = new URL(req.url ?? "/", "http://fake");
      const params = req.method === "POST" ? new URLSearchParams(await readBody(req)) : url.searchParams;
      if (state.token !== undefined && req.headers.authorization !== `Bearer ${state.token}`) {
        res.writeHead(401, { "content-type": "text/plain" });
        res.end("Unauthorized\n");
        return;
      }
      if (isDown) return fail(503, "unavailable", "Service Unavailable");
      const query = params.get("query");
      if (query === null || query === "")
        return fail(400, "bad_data", 'invalid parameter "query": no query given');
      const at = now().getTime() / 1000;
      const matching = series.filter((s) => answers(s, query));
      if (url.pathname === "/api/v1/query") {
        const time = parseTime(params.get("time"), at);
        if (time === undefined) return fail(400, "bad_data", `invalid parameter "time"`);
        queries.push(`query ${query} @${time}`);
        const result = matching.flatMap((s) => {
          const v = valueAt(s, time);
          return v === undefined ? [] : [{ metric: s.labels, value: [time, formatSample(v)] }];
        });
        return send(200, { status: "success", data: { resultType: "vector", result } });
      }
      if (url.pathname === "/api/v1/query_range") {
        const start = parseTime(params.get("start"), NaN);
        const end = parseTime(params.get("end"), NaN);
        const step = Number(params.get("step"));
        if (start === undefined || end === undefined || Number.isNaN(start) || Number.isNaN(end))
          return fail(400, "bad_data", `invalid parameter "start" or "end"`);
        if (!(step > 0)) return fail(400, "bad_data", `invalid parameter "step": zero or negative`);
        if ((end - start) / step > 11000)
          return fail(400, "bad_data", "exceeded maximum resolution of 11,000 points per timeseries");
        queries.push(`query_range ${query} @${start}..${end}/${step}`);
        const result = matching.flatMap((s) => {
          const values: [number, string][] = [];
          for (let t = start; t <= end; t += step) {
            const v = valueAt(s, t);
            if (v !== undefined) values.push([t, formatSample(v)]);
          }
          return values.length ? [{ metric: s.labels, values }] : [];
        });
        return send(200, { status: "success", data: { resultType: "matrix", result } });
      }
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404 page not found\n");
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get token() {
      return state.token;
    },
    set token(value) {
      state.token = value;
    },
    queries,
    script: (s) => void series.push({ ...s, start: s.start ?? now() }),
    down: (value) => void (isDown = value),
    reset: () => {
      series.length = 0;
      queries.length = 0;
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
