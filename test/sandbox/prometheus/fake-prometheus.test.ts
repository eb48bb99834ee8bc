import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type FakePrometheus, startFakePrometheus } from "../../../sandbox/prometheus/index.js";
import { labelMatchers } from "../../../sandbox/prometheus/series.js";

let prom: FakePrometheus;
const start = new Date("2026-01-01T00:00:00Z");
const t0 = start.getTime() / 1000;
beforeAll(async () => {
  prom = await startFakePrometheus();
  prom.script({
    contains: "errors_total",
    labels: { version: "1.2.3" },
    points: [
      [0, 0.001],
      [60, 0.2],
    ],
    start,
  });
});
afterAll(async () => {
  await prom.close();
});

const get = async (path: string, params: Record<string, string>) => {
  const res = await fetch(`${prom.url}${path}?${new URLSearchParams(params).toString()}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("the fake Prometheus (https://prometheus.io/docs/prometheus/latest/querying/api/)", () => {
  it("answers an instant query with a vector of the scripted value at that time", async () => {
    const q = 'sum(errors_total{version="1.2.3"})';
    expect(await get("/api/v1/query", { query: q, time: String(t0 + 30) })).toEqual({
      status: 200,
      body: {
        status: "success",
        data: { resultType: "vector", result: [{ metric: { version: "1.2.3" }, value: [t0 + 30, "0.001"] }] },
      },
    });
    const later = await get("/api/v1/query", { query: q, time: new Date((t0 + 90) * 1000).toISOString() });
    expect(later.body).toMatchObject({ data: { result: [{ value: [t0 + 90, "0.2"] }] } });
    const other = await get("/api/v1/query", {
      query: 'sum(errors_total{version="1.2.4"})',
      time: String(t0),
    });
    expect(other.body).toEqual({ status: "success", data: { resultType: "vector", result: [] } });
  });

  it("answers a range query with a matrix, and refuses bad parameters as Prometheus does", async () => {
    const r = await get("/api/v1/query_range", {
      query: 'errors_total{version="1.2.3"}',
      start: String(t0),
      end: String(t0 + 120),
      step: "60",
    });
    expect(r.body).toEqual({
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          {
            metric: { version: "1.2.3" },
            values: [
              [t0, "0.001"],
              [t0 + 60, "0.2"],
              [t0 + 120, "0.2"],
            ],
          },
        ],
      },
    });
    const bad = await get("/api/v1/query_range", {
      query: "up",
      start: String(t0),
      end: String(t0),
      step: "0",
    });
    expect(bad).toMatchObject({ status: 400, body: { status: "error", errorType: "bad_data" } });
  });

  it("undoes string escapes when matching labels", () => {
    expect(labelMatchers('x{a="1\\"2",b=~"x\\\\.y"}')).toEqual([
      { name: "a", op: "=", value: '1"2' },
      { name: "b", op: "=~", value: "x\\.y" },
    ]);
  });
});
