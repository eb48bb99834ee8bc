import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import { testPrivateKey } from "../../sandbox/harness/keys.js";

/**
 * The README's "Running it on your GitHub", step by step, as a new user runs it: in a fresh
 * directory holding `.env.example` filled in with a generated key file, the app as `npm start`
 * runs it (src/main.ts) and as `npx probot run` runs it (Probot's own CLI loading src/index.ts),
 * both against the sandbox GitHub reached as GitHub Enterprise Server (`GHE_HOST`) through a
 * proxy that answers only under `/api/v3`, as GHES serves its REST API
 * (https://docs.github.com/en/enterprise-server@latest/rest/quickstart: "https://HOSTNAME/api/v3").
 * TypeScript runs through tsx's loader, so no build is needed.
 */
jest.setTimeout(120_000);

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const PROBOT_CLI = join(ROOT, "node_modules/probot/bin/probot.js");

interface Run {
  child: ChildProcess;
  output(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Only the variables a shell has, none of the app's. */
const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? "/tmp",
  NO_SMEE_SETUP: "true", // Probot's manifest flow would otherwise open a smee.io channel
});

const run = (args: string[], cwd: string, env: Record<string, string>): Run => {
  const child = spawn(process.execPath, ["--import", TSX, ...args], {
    cwd,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out + err, stderr: () => err, exited };
};

const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

const until = async <T>(what: string, check: () => Promise<T | undefined>, app: Run): Promise<T> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (app.child.exitCode !== null) throw new Error(`the app exited before ${what}:\n${app.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const get = async (url: string): Promise<{ status: number; type: string; text: string }> => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
};

/** `.env.example` as the README says to fill it: APP_ID, WEBHOOK_SECRET, PRIVATE_KEY_PATH. */
const filledEnvExample = (port: number): string =>
  readFileSync(join(ROOT, ".env.example"), "utf8")
    .replace(/^APP_ID=$/m, "APP_ID=777")
    .replace(/^WEBHOOK_SECRET=$/m, "WEBHOOK_SECRET=readme-secret")
    .replace(/^# PRIVATE_KEY_PATH=(.*)$/m, "PRIVATE_KEY_PATH=$1")
    .replace(/^PORT=3000$/m, `PORT=${port}`)
    .replace(/^LOG_LEVEL=info$/m, "LOG_LEVEL=info");

let sandbox: GitHubSandbox;
let ghes: Server;
let gheHost: string;
const ghesPaths: string[] = [];

beforeAll(async () => {
  sandbox = await startGitHubSandbox({});
  const upstream = new URL(sandbox.url);
  // GitHub Enterprise Server: the REST API lives under /api/v3 and nowhere else.
  ghes = createServer((req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith("/api/v3/")) return void res.writeHead(404).end("not under /api/v3");
    ghesPaths.push(`${req.method} ${url.split("?")[0]}`);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: url, method: req.method, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => ghes.listen(0, "127.0.0.1", resolve));
  gheHost = `127.0.0.1:${(ghes.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => ghes.close(resolve));
  await sandbox.close();
});

const freshClone = (port: number, dotEnv = filledEnvExample(port)): string => {
  const dir = mkdtempSync(join(tmpdir(), "release-pilot-readme-"));
  writeFileSync(join(dir, ".env"), dotEnv);
  writeFileSync(join(dir, "private-key.pem"), testPrivateKey());
  copyFileSync(join(ROOT, "app.yml"), join(dir, "app.yml"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  return dir;
};

/** Step 3 checked on a running app: health, metrics, and the resume's look at the installations. */
const expectOperable = async (app: Run, port: number) => {
  const base = `http://127.0.0.1:${port}`;
  const health = await until(
    "/healthz",
    async () => (await get(`${base}/healthz`)).status === 200 || undefined,
    app,
  );
  expect(health).toBe(true);
  const metrics = await get(`${base}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.type).toMatch(/^text\/plain/);
  expect(metrics.text).toContain("# TYPE");
  // Resuming the deploys a previous run left starts by listing the App's installations.
  await until(
    "the resume of deploys",
    async () => ghesPaths.includes("GET /api/v3/app/installations") || undefined,
    app,
  );
};

describe("the README's path to a running App", () => {
  it("npm start: reads .env from the working directory (PRIVATE_KEY empty, PRIVATE_KEY_PATH set), serves /healthz and /metrics, resumes deploys", async () => {
    const port = await freePort();
    const dir = freshClone(port);
    ghesPaths.length = 0;
    const app = run([join(ROOT, "src/main.ts")], dir, { GHE_HOST: gheHost, GHE_PROTOCOL: "http" });
    try {
      await expectOperable(app, port);
    } finally {
      app.child.kill("SIGTERM");
      expect(await app.exited).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(app.output()).toContain('"msg":"release-pilot listening"');
  });

  it("npx probot run: the same routes, /healthz, /metrics and resume", async () => {
    const port = await freePort();
    const dir = freshClone(port);
    ghesPaths.length = 0;
    const app = run([PROBOT_CLI, "run", join(ROOT, "src/index.ts")], dir, {
      GHE_HOST: gheHost,
      GHE_PROTOCOL: "http",
      LOG_FORMAT: "json",
    });
    try {
      await expectOperable(app, port);
    } finally {
      app.child.kill("SIGKILL");
      await app.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every start-up error is one line on stderr and a non-zero exit", async () => {
    const port = await freePort();
    const cases: { dotEnv: string; line: RegExp; code: number; hold?: boolean }[] = [
      // .env.example copied and not filled in: the empty values count as unset.
      {
        dotEnv: readFileSync(join(ROOT, ".env.example"), "utf8"),
        line: /^release-pilot: APP_ID is not set/,
        code: 2,
      },
      {
        dotEnv: filledEnvExample(port).replace(
          "PRIVATE_KEY_PATH=./private-key.pem",
          "PRIVATE_KEY_PATH=./nope.pem",
        ),
        line: /^release-pilot: the App's private key: Private key does not exists at path: "\.\/nope\.pem"/,
        code: 2,
      },
      {
        dotEnv: filledEnvExample(port),
        line: new RegExp(`^release-pilot: port ${port} is already in use`),
        code: 2,
        hold: true,
      },
    ];
    for (const { dotEnv, line, code, hold } of cases) {
      const dir = freshClone(port, dotEnv);
      const blocker = hold ? createServer() : undefined;
      if (blocker) await new Promise<void>((resolve) => blocker.listen(port, "0.0.0.0", resolve));
      const app = run([join(ROOT, "src/main.ts")], dir, { GHE_HOST: gheHost, GHE_PROTOCOL: "http" });
      try {
        expect(await app.exited).toBe(code);
        const lines = app.stderr().trimEnd().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(line);
      } finally {
        if (blocker) await new Promise((resolve) => blocker.close(resolve));
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("the manifest flow registers the webhook URL Probot generates and keeps app.yml's other fields", async () => {
    const port = await freePort();
    const dir = freshClone(port, `PORT=${port}\n`);
    const app = run([PROBOT_CLI, "run", join(ROOT, "src/index.ts")], dir, {
      LOG_FORMAT: "json",
      // The channel Probot would have created on smee.io (NO_SMEE_SETUP keeps it offline).
      WEBHOOK_PROXY_URL: "https://smee.io/readme-test-channel",
    });
    try {
      const page = await until(
        "the setup page",
        async () => {
          const res = await get(`http://127.0.0.1:${port}/probot`);
          return res.status === 200 ? res.text : undefined;
        },
        app,
      );
      const value = /name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1];
      expect(value).toBeDefined();
      const manifest = JSON.parse(value ?? "{}") as Record<string, unknown>;
      const appYml = parse(readFileSync(join(ROOT, "app.yml"), "utf8")) as Record<string, unknown>;
      expect(manifest.hook_attributes).toEqual({ url: "https://smee.io/readme-test-channel" });
      expect(manifest.redirect_url).toBe(`http://127.0.0.1:${port}/probot/setup`);
      for (const key of ["name", "description", "url", "public", "default_events", "default_permissions"])
        expect(manifest[key]).toEqual(appYml[key]);
    } finally {
      app.child.kill("SIGKILL");
      await app.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
