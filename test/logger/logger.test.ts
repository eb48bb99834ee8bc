import { describe, expect, it } from "@jest/globals";
import { Writable } from "node:stream";
import { pino } from "pino";
import { redactedPaths } from "../../src/logger.js";

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ redact: { paths: redactedPaths, censor: "[redacted]" } }, stream), lines };
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
    const text = lines.join("\n");
    for (const secret of ["BEGIN RSA", "ghs_secret", "token x", "sha256=abc", "sha256=def"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[redacted]");
  });
});
