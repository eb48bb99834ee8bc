import { describe, expect, it } from "@jest/globals";
import { Writable } from "node:stream";
import { pino } from "pino";
import { loggerOptions } from "../../src/adapters/log/logger.js";

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino(loggerOptions("info"), stream), lines };
};

describe("logs", () => {
  it("redact keys, tokens and webhook signatures wherever Probot puts them", () => {
    const { log, lines } = capture();
    log.info({
      privateKey: "-----BEGIN RSA",
      token: "ghs_secret",
      req: { headers: { authorization: "token x" } },
    });
    log.error({
      err: {
        event: { id: "1", signature: "sha256=abc" },
        aggregateErrors: [{ event: { signature: "sha256=def" } }],
      },
    });
    // An MLflow client's token, a failed outbound request's header, the environment.
    log.error({
      options: { baseUrl: "https://mlflow.example", token: "mlflow_tok_1" },
      mlflow: { client: { token: "mlflow_tok_2" } },
      err: { request: { headers: { authorization: "Bearer mlflow_tok_3" } } },
      headers: { authorization: "Bearer mlflow_tok_4" },
      deps: { env: { MLFLOW_TRACKING_TOKEN: "mlflow_tok_5" } },
    });
    const text = lines.join("\n");
    expect(text).toContain("https://mlflow.example");
    for (const secret of [
      "BEGIN RSA",
      "ghs_secret",
      "token x",
      "sha256=abc",
      "sha256=def",
      "mlflow_tok_1",
      "mlflow_tok_2",
      "mlflow_tok_3",
      "mlflow_tok_4",
      "mlflow_tok_5",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[redacted]");
  });

  it("carry each key once, the innermost child's name, as Probot nests them", () => {
    const { log, lines } = capture();
    // What Probot 14 does: child({ name: "probot" }), then per event child({ name: "event", id }).
    const event = log.child({ name: "probot" }).child({ name: "event", id: "delivery-1" });
    event.info({ action: "created" }, "handled");
    log.child({ name: "server" }).info("listening");
    const [nested, plain] = lines;
    expect(nested?.match(/"name":/g)).toHaveLength(1);
    expect(JSON.parse(nested ?? "")).toMatchObject({
      name: "event",
      id: "delivery-1",
      app: "release-pilot",
      msg: "handled",
    });
    expect(nested?.endsWith("}\n")).toBe(true);
    expect(JSON.parse(plain ?? "")).toMatchObject({ name: "server", msg: "listening" });
  });
});
