import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createPrometheusQueries, readingOf } from "../../../src/adapters/prometheus/prometheus-queries.js";
import { type FakePrometheus, startFakePrometheus } from "../../../sandbox/prometheus/index.js";

const start = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const query = (version: string) =>
  `sum(rate(http_requests_total{service="bankchurn",version="${version}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="bankchurn",version="${version}"}[1m]))`;

let prom: FakePrometheus;
beforeAll(async () => {
  prom = await startFakePrometheus({ token: "prom-s3cret" });
  prom.script({
    contains: "http_requests_total",
    labels: { service: "bankchurn", version: "1.2.0" },
    points: [
      [0, 0.999],
      [120, 0.92],
      [240, NaN],
      [300, Infinity],
    ],
    start,
  });
});
afterAll(async () => {
  await prom.close();
});

describe("Prometheus instant queries", () => {
  const client = () => createPrometheusQueries({ baseUrl: `${prom.url}/`, token: "prom-s3cret" });

  it("reads the one number of a vector at the analysis' own time, with the bearer token", async () => {
    expect(await client().instant(query("1.2.0"), at(60))).toEqual({ kind: "value", value: 0.999 });
    expect(await client().instant(query("1.2.0"), at(130))).toEqual({ kind: "value", value: 0.92 });
    expect(prom.queries.at(-1)).toBe(`query ${query("1.2.0")} @${at(130).getTime() / 1000}`);
    const nan = await client().instant(query("1.2.0"), at(250));
    expect(nan.kind === "value" && Number.isNaN(nan.value)).toBe(true);
    expect(await client().instant(query("1.2.0"), at(301))).toEqual({ kind: "value", value: Infinity });
  });

  it("says no-data for an empty result (another version has no series)", async () => {
    expect(await client().instant(query("9.9.9"), at(60))).toEqual({
      kind: "no-data",
      detail: "the query returned no series",
    });
  });

  it("never echoes the token: a wrong one, a server that repeats it, an unreachable one", async () => {
    const wrong = await createPrometheusQueries({ baseUrl: prom.url, token: "nope-token" }).instant(
      "up",
      at(0),
    );
    expect(wrong.kind).toBe("error");
    expect(JSON.stringify(wrong)).toContain("401");
    expect(JSON.stringify(wrong)).not.toContain("nope-token");
    const echo = createServer((req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: "error",
          errorType: "bad_data",
          error: `bad header ${req.headers.authorization}`,
        }),
      );
    });
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const echoed = await createPrometheusQueries({ baseUrl: url, token: "prom-s3cret" }).instant("up", at(0));
    echo.close();
    expect(echoed.kind).toBe("error");
    expect(JSON.stringify(echoed)).toContain("bad_data");
    expect(JSON.stringify(echoed)).not.toContain("prom-s3cret");
    const down = await createPrometheusQueries({
      baseUrl: "http://127.0.0.1:9",
      token: "prom-s3cret",
    }).instant("up", at(0));
    expect(down).toMatchObject({ kind: "error", detail: expect.stringContaining("unreachable") });
  });

  it("reports a Prometheus that is down (503) or answers an error as errors, never as a value", async () => {
    prom.down(true);
    const r = await client().instant(query("1.2.0"), at(60));
    prom.down(false);
    expect(r).toEqual({ kind: "error", detail: "Prometheus answered 503 unavailable: Service Unavailable" });
    expect(await client().instant("", at(0))).toMatchObject({
      kind: "error",
      detail: expect.stringContaining("bad_data"),
    });
  });

  it("refuses an answer past its size bound", async () => {
    const big = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: "success",
          data: { resultType: "vector", result: Array(50_000).fill({ metric: {}, value: [0, "1"] }) },
        }),
      );
    });
    await new Promise<void>((r) => big.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
    const r = await createPrometheusQueries({ baseUrl: url, maxBytes: 64 * 1024 }).instant("up", at(0));
    big.close();
    expect(r).toEqual({ kind: "error", detail: "Prometheus answered more than 65536 bytes" });
  });
});

describe("reading a result (Prometheus's documented JSON shapes)", () => {
  it.each([
    [
      { status: "success", data: { resultType: "scalar", result: [1, "0.5"] } },
      { kind: "value", value: 0.5 },
    ],
    [{ status: "success", data: { resultType: "vector", result: [] } }, { kind: "no-data" }],
    [
      {
        status: "success",
        data: {
          resultType: "vector",
          result: [
            { metric: {}, value: [1, "1"] },
            { metric: { a: "b" }, value: [1, "2"] },
          ],
        },
      },
      { kind: "error", detail: "the query returned 2 series; aggregate it to one (sum, avg, max)" },
    ],
    [{ status: "success", data: { resultType: "matrix", result: [] } }, { kind: "error" }],
    [
      { status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "1; DROP"] }] } },
      { kind: "error" },
    ],
  ])("%j", (json, expected) => {
    expect(readingOf(json)).toMatchObject(expected);
  });
});
