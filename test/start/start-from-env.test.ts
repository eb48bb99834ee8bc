import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  loadEnv,
  privateKeyFromEnv,
  StartupError,
  startFromEnv,
} from "../../src/composition/start-from-env.js";
import { testPrivateKey } from "../../sandbox/harness/keys.js";

/**
 * Settings from the environment and `.env`, in process: the file format is dotenv's as
 * node:util `parseEnv` reads it (what `probot run` uses), the environment wins, empty is unset,
 * and each bad setting is a StartupError of one line, thrown before anything listens.
 */
let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "release-pilot-env-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadEnv", () => {
  it("fills in what the environment does not set, in the dotenv format, and skips empty values", () => {
    const path = file(
      "fill.env",
      [
        "# a comment",
        "APP_ID=123",
        "PRIVATE_KEY=",
        "PRIVATE_KEY_PATH=./private-key.pem",
        'WEBHOOK_SECRET="s3cret # not a comment"',
        'MULTI="line1\\nline2"',
        "LOG_LEVEL=debug",
        "PORT=4000",
      ].join("\n"),
    );
    const env: Record<string, string | undefined> = { LOG_LEVEL: "warn", PORT: "" };
    loadEnv(env, path);
    expect(env).toEqual({
      APP_ID: "123",
      PRIVATE_KEY_PATH: "./private-key.pem",
      WEBHOOK_SECRET: "s3cret # not a comment",
      MULTI: "line1\nline2",
      LOG_LEVEL: "warn", // the environment wins
      PORT: "4000", // an empty environment value counts as unset
    });
    expect("PRIVATE_KEY" in env).toBe(false);
  });

  it("treats a missing file as none and an unreadable one as a start-up error", () => {
    const env: Record<string, string | undefined> = {};
    loadEnv(env, join(dir, "absent.env"));
    expect(env).toEqual({});
    expect(() => loadEnv(env, dir)).toThrow(StartupError);
  });
});

describe("privateKeyFromEnv", () => {
  const pem = () => testPrivateKey();

  it("reads PRIVATE_KEY_PATH when PRIVATE_KEY is empty (.env.example's two lines)", () => {
    file("key.pem", pem());
    expect(privateKeyFromEnv({ PRIVATE_KEY: "", PRIVATE_KEY_PATH: "key.pem" }, dir)).toBe(pem());
  });

  it("takes PEM text with \\n escapes (as Probot's manifest flow writes it) and base64", () => {
    const escaped = pem().trim().replace(/\n/g, "\\n");
    expect(privateKeyFromEnv({ PRIVATE_KEY: escaped }, dir).trim()).toBe(pem().trim());
    const base64 = Buffer.from(pem()).toString("base64");
    expect(privateKeyFromEnv({ PRIVATE_KEY: base64 }, dir)).toBe(pem());
  });

  it("says in one line what is wrong with the key", () => {
    const empty = mkdtempSync(join(dir, "nokey-"));
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^PRIVATE_KEY or PRIVATE_KEY_PATH is not set/],
      [{ PRIVATE_KEY_PATH: "missing.pem" }, /^the App's private key: Private key does not exists at path/],
      [{ PRIVATE_KEY: "not a key" }, /^the App's private key: The contents of "env.PRIVATE_KEY"/],
      [
        { PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----" },
        /^PRIVATE_KEY does not hold a PEM private key/,
      ],
    ];
    for (const [env, message] of cases) {
      let error: unknown;
      try {
        privateKeyFromEnv(env, empty);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("startFromEnv", () => {
  const valid = () => ({ APP_ID: "1234", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s" });
  const refused = async (env: Record<string, string>): Promise<string> => {
    const error = await startFromEnv(env, { envFile: join(dir, "absent.env") }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StartupError);
    return (error as Error).message;
  };

  it("refuses each bad setting with one line naming it, before listening", async () => {
    expect(await refused({ ...valid(), APP_ID: "" })).toBe("APP_ID is not set (see .env.example)");
    expect(await refused({ ...valid(), APP_ID: "my-app" })).toBe("APP_ID must be the App's numeric id");
    expect(await refused({ ...valid(), WEBHOOK_SECRET: " " })).toBe(
      "WEBHOOK_SECRET is not set (see .env.example)",
    );
    expect(await refused({ ...valid(), PORT: "80000" })).toBe("PORT must be a port number (0-65535)");
    expect(await refused({ ...valid(), PORT: "3000abc" })).toBe("PORT must be a port number (0-65535)");
    expect(await refused({ ...valid(), LOG_LEVEL: "verbose" })).toMatch(/^LOG_LEVEL must be one of trace/);
    expect(await refused({ ...valid(), GHE_HOST: "https://ghe.example.com" })).toMatch(
      /^GHE_HOST must be a host name/,
    );
    expect(await refused({ ...valid(), GHE_HOST: "ghe.example.com", GHE_PROTOCOL: "ftp" })).toBe(
      "GHE_PROTOCOL must be https or http",
    );
  });
});
