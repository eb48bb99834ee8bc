import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { testPrivateKey } from "../../sandbox/harness/keys.js";
import { webhookExample } from "../support/webhook-examples.js";

/**
 * The app as `npm run dev` runs it (src/main.ts), in its own process, with a module hook that
 * logs every ES module it loads and when (test/support/module-log/). `process.moduleLoadList`
 * does not list ES modules, hence the hook. GitHub is an address nothing listens on: what the
 * handlers would call fails, and what they import is all this test looks at.
 */
const SECRET = "lazy-routes-secret";
const SRC = `file://${join(process.cwd(), "src")}/`;

let dir = "";
let child: ChildProcess | undefined;
let url = "";
let listenedAt = 0;

const loaded = async (): Promise<{ at: number; url: string }[]> =>
  (await readFile(join(dir, "modules.log"), "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [at = "0", moduleUrl = ""] = line.split("\t");
      return { at: Number(at), url: moduleUrl };
    });

/** Whether a module of the app (`src/…`) or a package (`node_modules/<name>/`) is loaded. */
const isLoaded = (modules: { url: string }[], what: string): boolean =>
  modules.some((m) =>
    what.startsWith("src/") ? m.url === `${SRC}${what.slice(4)}` : m.url.includes(`/node_modules/${what}/`),
  );

const waitFor = async (check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A comment delivery signed as GitHub signs it (X-Hub-Signature-256, HMAC-SHA256 of the body). */
const postComment = async (body: string): Promise<number> => {
  const payload = webhookExample<{
    comment: { body: string; user: { type: string } };
    sender: { type: string };
  }>("issue_comment", "created");
  payload.comment.body = body;
  payload.comment.user.type = "User";
  payload.sender.type = "User";
  // As an App's deliveries carry it (the example is a repository webhook's).
  (payload as { installation?: { id: number } }).installation = { id: 42 };
  const text = JSON.stringify(payload);
  const answer = await fetch(`${url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await sign(SECRET, text),
    },
    body: text,
    signal: AbortSignal.timeout(1_000),
  }).catch(() => undefined);
  return answer?.status ?? 0;
};

/** What the comment route's handler brings: its module, the Markdown parser, the command table. */
const COMMAND_MODULES = [
  "src/handlers/issue-comment.ts",
  "src/composition/handler-deps.ts",
  "src/use-cases/command-table.ts",
  "mdast-util-from-markdown",
  "micromark-extension-gfm",
];

/** Imported by no route until its delivery comes. */
const OTHER_HANDLERS = [
  "src/handlers/checklist-events.ts",
  "src/handlers/pull-request-closed.ts",
  "src/handlers/config-push.ts",
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "release-pilot-lazy-"));
  const portFile = join(dir, "port");
  child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./test/support/module-log/register.mjs", "src/main.ts"],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        MODULE_LOG: join(dir, "modules.log"),
        APP_ID: "777",
        PRIVATE_KEY: testPrivateKey(),
        WEBHOOK_SECRET: SECRET,
        LOG_LEVEL: "fatal",
        PORT: "0",
        HOST: "127.0.0.1",
        PORT_FILE: portFile,
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      },
      stdio: "ignore",
    },
  );
  await waitFor(
    async () => (await readFile(portFile, "utf8").catch(() => "")).trim() !== "",
    "the port file",
    60_000,
  );
  // src/composition/start-from-env.ts writes the port file right after the server listens.
  listenedAt = (await stat(portFile)).mtimeMs;
  url = `http://127.0.0.1:${(await readFile(portFile, "utf8")).trim()}`;
  await waitFor(
    async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200,
    "/healthz",
  );
  // The resume on start runs once the server listens; wait until its modules are in.
  await waitFor(
    async () => isLoaded(await loaded(), "src/use-cases/deploy/resume-on-start.ts"),
    "the resume on start",
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
}, 90_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

describe("route-level lazy loading, in the app's own process", () => {
  it("listens before zod, the config schemas, the Markdown parser, the use-cases, prom-client or any handler are loaded", async () => {
    const beforeListen = (await loaded()).filter((m) => m.at <= listenedAt);
    expect(isLoaded(beforeListen, "src/index.ts")).toBe(true);
    expect(isLoaded(beforeListen, "src/handlers/route-predicates.ts")).toBe(true);
    for (const heavy of [
      ...COMMAND_MODULES,
      ...OTHER_HANDLERS,
      "src/config/schema.ts",
      // No settings file: the operator settings' schema, and so zod, wait for a repository's config.
      "src/config/operator-settings-schema.ts",
      "zod",
      "src/composition/build-repo-ports.ts",
      "src/use-cases/deploy/resume-on-start.ts",
      "fast-xml-parser",
      "prom-client",
    ]) {
      expect([heavy, isLoaded(beforeListen, heavy)]).toEqual([heavy, false]);
    }
  });

  it("after the resume on start, a comment with no command still loads no handler", async () => {
    expect(await postComment("LGTM, thanks! See /api/v1 for details.")).toBe(200);
    const modules = await loaded();
    for (const heavy of [
      "src/handlers/issue-comment.ts",
      "src/composition/handler-deps.ts",
      "src/use-cases/command-table.ts",
      ...OTHER_HANDLERS,
    ]) {
      expect([heavy, isLoaded(modules, heavy)]).toEqual([heavy, false]);
    }
  });

  it("a /release comment loads the comment route's handler, the parser and the command table, and no other handler", async () => {
    expect(isLoaded(await loaded(), "src/handlers/issue-comment.ts")).toBe(false);
    // GitHub is unreachable here, so the handler fails after its imports: its answer is not awaited.
    void postComment("Ready.\n/release 1.2.0");
    await waitFor(async () => {
      const modules = await loaded();
      return COMMAND_MODULES.every((m) => isLoaded(modules, m));
    }, "the command's modules");
    const modules = await loaded();
    for (const heavy of COMMAND_MODULES) expect([heavy, isLoaded(modules, heavy)]).toEqual([heavy, true]);
    for (const other of OTHER_HANDLERS) expect([other, isLoaded(modules, other)]).toEqual([other, false]);
  }, 60_000);
});
