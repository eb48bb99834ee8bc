import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testPrivateKey } from "../../sandbox/harness/keys.js";

/**
 * `npm pack` as a user receives it: the tarball installed into an empty directory with
 * production dependencies only (from npm's cache: `npm ci` has put every package there), then
 * its `release-pilot` binary and its server run from there, on this machine's Node. The
 * production dependencies travel inside the tarball (bundleDependencies), so the versions the
 * lockfile and its overrides choose are the ones that run: overrides do not apply to a package
 * installed as a dependency (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#overrides).
 */
jest.setTimeout(600_000);

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  bundleDependencies: string[];
};

let work: string;
let installed: string;
let installOutput = "";
const hadLib = existsSync(join(ROOT, "lib"));

const npm = (args: string[], cwd: string) => {
  const run = spawnSync("npm", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "warn" },
  });
  if (run.status !== 0) throw new Error(`npm ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  return `${run.stdout}\n${run.stderr}`;
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "release-pilot-pack-"));
  npm(["pack", "--pack-destination", work], ROOT); // prepack builds lib/
  installed = join(work, "user");
  spawnSync("mkdir", [installed]);
  writeFileSync(join(installed, "package.json"), JSON.stringify({ name: "user", private: true }));
  installOutput = npm(
    [
      "install",
      "--omit=dev",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      join(work, `${pkg.name}-${pkg.version}.tgz`),
    ],
    installed,
  );
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  // bin/release-pilot.js prefers lib/ when it exists: leave the checkout as it was.
  if (!hadLib) rmSync(join(ROOT, "lib"), { recursive: true, force: true });
});

describe("the packed package", () => {
  it("bundles every production dependency and installs with no engine warning", () => {
    expect([...pkg.bundleDependencies].sort()).toEqual(Object.keys(pkg.dependencies).sort());
    expect(installOutput).not.toContain("EBADENGINE");
    const app = join(installed, "node_modules", pkg.name);
    for (const path of [
      "lib/main.js",
      "lib/index.js",
      "lib/cli.js",
      "bin/release-pilot.js",
      "app.yml",
      ".env.example",
    ])
      expect(existsSync(join(app, path))).toBe(true);
    // No sources, tests, sandbox, demo, bench or dev tools in it.
    for (const path of [
      "src",
      "test",
      "sandbox",
      "demo",
      "bench",
      "node_modules/typescript",
      "node_modules/jest",
      "node_modules/tsx",
    ])
      expect(existsSync(join(app, path))).toBe(false);
  });

  it("runs the release-pilot binary", () => {
    const bin = join(installed, "node_modules", ".bin", "release-pilot");
    const help = spawnSync(bin, ["--help"], { cwd: installed, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: release-pilot <command>/);
    const unknown = spawnSync(bin, ["deploy"], { cwd: installed, encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^release-pilot: unknown command "deploy"/);
  });

  it("runs the server: /healthz and /metrics answer", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    writeFileSync(join(installed, "private-key.pem"), testPrivateKey());
    const child: ChildProcess = spawn(
      process.execPath,
      [join(installed, "node_modules", pkg.name, "lib/main.js")],
      {
        cwd: installed,
        env: {
          PATH: process.env.PATH ?? "",
          APP_ID: "1",
          PRIVATE_KEY_PATH: "private-key.pem",
          WEBHOOK_SECRET: "packed",
          PORT: String(port),
          HOST: "127.0.0.1",
          GHE_HOST: "127.0.0.1:9", // nothing listens there: the resume of deploys fails quietly
          GHE_PROTOCOL: "http",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      let health: Response | undefined;
      while (!health) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
        if (!health && Date.now() > deadline) throw new Error(`no answer on /healthz:\n${output}`);
        if (!health) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("# TYPE release_pilot_");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
