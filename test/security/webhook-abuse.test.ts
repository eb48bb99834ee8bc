import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { type GitHubSandbox, startGitHubSandbox } from "../../sandbox/github/index.js";
import { type AppProcess, startAppProcess, until } from "../../sandbox/harness/app-process.js";
import { WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { postWebhook } from "../reliability/support/signed-post.js";

/**
 * Attack 4 of the threat model, replayed against the app as `npm start` runs it (a child
 * process): unauthenticated requests that used to end the process (a 600 MB body buffered whole
 * before the signature was checked) or hold its sockets for ever (slow senders). The process
 * must stay up and `/healthz` keep answering. GitHub never sends a payload over 25 MB
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap).
 */
jest.setTimeout(120_000);

const MB = 1024 * 1024;

/** Resident memory of a process, from Linux's /proc (VmRSS, in kB). */
const rssOf = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
};

/**
 * One generous bound, as a correctness check ("answers, not stuck behind the abuse"): the 1 s
 * target is a speed figure for bench/, and this suite shares two cores with others.
 */
const HEALTHZ_BOUND_MS = 5_000;

const healthz = async (app: AppProcess): Promise<number> => {
  const response = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(HEALTHZ_BOUND_MS) });
  return response.status;
};

interface Upload {
  status: Promise<number>;
  /** Bytes the server let us write before it answered or closed. */
  sent(): number;
}

/**
 * Streams `total` bytes of junk to the webhook path in 64 KiB chunks (honouring back-pressure),
 * declaring the length or sending it chunked; resolves with the status, or 0 when the socket
 * closed before any answer.
 */
const upload = (app: AppProcess, total: number, declare: boolean): Upload => {
  let written = 0;
  const status = new Promise<number>((resolve) => {
    const req = request(app.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issue_comment",
        "x-github-delivery": "abuse-1",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
        ...(declare ? { "content-length": String(total) } : { "transfer-encoding": "chunked" }),
      },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => (answered ? undefined : resolve(0)));
    req.on("close", () => (answered ? undefined : resolve(0)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (written < total && !answered && !req.destroyed) {
        const part = total - written >= chunk.length ? chunk : chunk.subarray(0, total - written);
        written += part.length;
        if (!req.write(part)) return void req.once("drain", pump);
      }
      if (written >= total) req.end();
    };
    // A client with a declared length waits up to a second for an early answer before sending the
    // body, as curl does for large uploads (RFC 9110 §10.1.1, Expect: 100-continue): a refusal sent
    // while a body is still streaming in can be lost to the TCP reset of the closing connection.
    if (declare) {
      req.flushHeaders();
      setTimeout(pump, 1000);
    } else pump();
  });
  return { status, sent: () => written };
};

describe("the webhook endpoint under abuse (a real app process)", () => {
  let sandbox: GitHubSandbox;
  let app: AppProcess;
  beforeAll(async () => {
    sandbox = await startGitHubSandbox({
      webhook: { url: "http://127.0.0.1:9/unset", secret: WEBHOOK_SECRET },
    });
    app = await startAppProcess({ sandboxUrl: sandbox.url, instance: "abuse" });
    // Warm: the first answers of a just-started process (loading, resuming) are not what is tested.
    await until("the app to answer /healthz", () => healthz(app).catch(() => 0), 30_000);
  });
  afterAll(async () => {
    await app?.stop("SIGKILL");
    await sandbox?.close();
  });

  it("refuses a declared 600 MB POST with 413 before reading it, and /healthz answers meanwhile", async () => {
    const big = upload(app, 600 * MB, true);
    expect(await healthz(app)).toBe(200);
    expect(await big.status).toBe(413);
    // Refused from its Content-Length: far less than the body was ever sent.
    expect(big.sent()).toBeLessThan(100 * MB);
    expect(await healthz(app)).toBe(200);
  });

  it("stops a chunked 100 MB POST at the cap with 413, growing the process by less than 50 MB", async () => {
    const before = await rssOf(app.pid);
    const big = upload(app, 100 * MB, false);
    expect(await healthz(app)).toBe(200);
    expect([413, 0]).toContain(await big.status);
    const after = await rssOf(app.pid);
    expect(after - before).toBeLessThan(50 * MB);
    expect(await healthz(app)).toBe(200);
    // The process is the same one, still listening.
    expect(await Promise.race([app.exited, new Promise((r) => setTimeout(() => r("running"), 100))])).toBe(
      "running",
    );
  });

  it("closes 200 slow sockets (headers never finished, body never finished) and keeps answering", async () => {
    const port = Number(new URL(app.url).port);
    const sockets: Socket[] = [];
    const closed = new Set<Socket>();
    for (let i = 0; i < 200; i++) {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      socket.on("close", () => closed.add(socket));
      socket.on("connect", () => {
        if (i % 2 === 0) socket.write("POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        else
          socket.write(
            "POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
              "X-GitHub-Event: push\r\nX-GitHub-Delivery: slow\r\nX-Hub-Signature-256: sha256=00\r\n" +
              "Content-Length: 1000\r\n\r\n{",
          );
      });
      sockets.push(socket);
    }
    expect(await healthz(app)).toBe(200);
    // A byte now and then does not keep a socket: the header and body deadlines are absolute.
    const drip = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write("a");
    }, 500);
    try {
      await until("the server to close every slow socket", () => closed.size === sockets.length, 40_000, 200);
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    }
    expect(await healthz(app)).toBe(200);
  });

  it("answers a signed delivery that is not a JSON object 400 without internals", async () => {
    for (const body of ["{not json", "[]", "42"]) {
      const answer = await postWebhook(app.webhookUrl, "issue_comment", body);
      expect(answer).toEqual({
        status: 400,
        text: JSON.stringify({ error: "payload is not a JSON object" }),
      });
    }
    expect(await healthz(app)).toBe(200);
  });
});
