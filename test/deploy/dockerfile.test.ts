import { afterEach, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import semver from "semver";
import { envPairs, execForm, parseDockerfile, type Instruction, type Stage } from "./support/dockerfile.js";

const root = process.cwd();
const stages = parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"));
const build = stages.find((s) => s.name === "build");
const runtime = stages.at(-1);

const all = (stage: Stage | undefined, keyword: string): Instruction[] =>
  stage?.instructions.filter((i) => i.keyword === keyword) ?? [];
const last = (stage: Stage | undefined, keyword: string): Instruction | undefined =>
  all(stage, keyword).at(-1);

/** Runs the image's HEALTHCHECK command on this machine, with PORT pointing where we say. */
const runHealthcheck = (port: number): Promise<number | null> => {
  const [command = "", ...args] = execForm(last(runtime, "HEALTHCHECK")?.args ?? "");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", resolve);
  });
};

describe("Dockerfile", () => {
  it("runs a Node line package.json's engines admits, and the same line in both stages", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };
    const major = /^node:(\d+)-/.exec(runtime?.image ?? "")?.[1] ?? "";
    expect(build?.image).toBe(runtime?.image);
    expect(semver.satisfies(`${major}.0.0`, pkg.engines.node)).toBe(true);
    // The Node release schedule (https://github.com/nodejs/Release#release-schedule): 24 is LTS
    // until 2028-04-30; 20 reached its end of life on 2026-04-30.
    expect(Number(major)).toBeGreaterThanOrEqual(24);
    expect(Number(major) % 2).toBe(0);
  });

  it("builds in a separate stage that installs everything and compiles to lib/", () => {
    expect(stages).toHaveLength(2);
    expect(build?.image).toBe("node:24-slim");
    const runs = all(build, "RUN").map((i) => i.args);
    expect(runs).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), "npm run build"]));
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const buildConfig = /-p (\S+)/.exec(pkg.scripts.build ?? "")?.[1] ?? "";
    const tsconfig = JSON.parse(readFileSync(join(root, buildConfig), "utf8")) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: "lib", rootDir: "src" });
  });

  it("runs on node:24-slim (an LTS line supported until 2028-04-30) with production dependencies only", () => {
    expect(runtime?.image).toBe("node:24-slim");
    expect(runtime).not.toBe(build);
    const env = Object.assign({}, ...all(runtime, "ENV").map((i) => envPairs(i.args))) as Record<
      string,
      string
    >;
    expect(env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0", PORT: "3000" });
    expect(all(runtime, "RUN").map((i) => i.args)).toContainEqual(expect.stringMatching(/npm ci --omit=dev/));
    const copies = all(runtime, "COPY").map((i) => i.args);
    expect(copies).toContain("--from=build /app/lib ./lib");
    expect(copies).toContain("app.yml ./");
  });

  it("drops root before the app starts and exposes the probe port", () => {
    const order = runtime?.instructions.map((i) => i.keyword) ?? [];
    const user = last(runtime, "USER")?.args;
    expect(user).toBe("node");
    expect(order.lastIndexOf("USER")).toBeGreaterThan(order.lastIndexOf("RUN"));
    expect(order.lastIndexOf("USER")).toBeLessThan(order.indexOf("CMD"));
    expect(last(runtime, "EXPOSE")?.args).toBe("3000");
  });

  it("starts what `npm start` starts, through a signal-forwarding init", () => {
    const cmd = execForm(last(runtime, "CMD")?.args ?? "");
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(cmd).toEqual(pkg.scripts.start?.split(" "));
    const [, entry = ""] = cmd;
    expect(entry).toMatch(/^lib\/.+\.js$/);
    // The compiled entry comes from src/ (tsconfig.build.json: rootDir src, outDir lib).
    expect(existsSync(join(root, entry.replace(/^lib\//, "src/").replace(/\.js$/, ".ts")))).toBe(true);
    expect(execForm(last(runtime, "ENTRYPOINT")?.args ?? "")).toEqual(["/usr/bin/tini", "--"]);
    expect(all(runtime, "RUN").some((i) => i.args.includes("install -y --no-install-recommends tini"))).toBe(
      true,
    );
  });

  describe("HEALTHCHECK", () => {
    let server: Server | undefined;
    afterEach(async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    });

    const serve = async (status: number): Promise<{ port: number; paths: string[] }> => {
      const paths: string[] = [];
      server = createServer((req, res) => {
        paths.push(`${req.method ?? ""} ${req.url ?? ""}`);
        res.writeHead(status).end();
      });
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
      return { port: (server.address() as AddressInfo).port, paths };
    };

    it("passes when GET /healthz answers 200", async () => {
      const { port, paths } = await serve(200);
      expect(await runHealthcheck(port)).toBe(0);
      expect(paths).toEqual(["GET /healthz"]);
    });

    it("fails when /healthz answers 503", async () => {
      const { port } = await serve(503);
      expect(await runHealthcheck(port)).toBe(1);
    });

    it("fails when nothing listens", async () => {
      const { port } = await serve(200);
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
      expect(await runHealthcheck(port)).toBe(1);
    });
  });
});

describe(".dockerignore", () => {
  const patterns = readFileSync(join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

  it("keeps dependencies, build output and credentials out of the context", () => {
    expect(patterns).toEqual(expect.arrayContaining(["**/node_modules", "lib", ".env", "*.pem"]));
  });

  it("keeps every file the build copies from the context", () => {
    const sources = stages
      .flatMap((s) => all(s, "COPY"))
      .filter((i) => !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(" ").slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "src", "app.yml"]));
    const ignored = (path: string): boolean =>
      patterns.some(
        (p) => p === path || p === `**/${path}` || (p.startsWith("*.") && path.endsWith(p.slice(1))),
      );
    expect(sources.filter(ignored)).toEqual([]);
  });
});
