import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { ReadableStream } from "node:stream/web";
import { promisify } from "node:util";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { ProbotOctokit } from "probot";
import { bytesOf } from "../../../src/adapters/github/checklist-source.js";
import { createHttpTransport, type TransportFetch } from "../../../src/adapters/github/http-transport.js";
import { undiciWithHttpAlone } from "../../support/module-log/undici-baseline.js";

/** What one test server saw of a request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

interface TestServer {
  url: string;
  seen: Seen[];
  connections: number;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

const startServer = async (): Promise<TestServer> => {
  const routes = new Map<string, Handler>();
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const handler = routes.get((req.url ?? "/").split("?")[0]!);
      if (handler) handler(req, res, body);
      else res.writeHead(404).end("no route");
    });
  });
  server.on("connection", (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get connections() {
      return state.connections;
    },
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};

let a: TestServer;
let b: TestServer;
let fetch: TransportFetch;

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res
    .writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
    .end(JSON.stringify(value));

const lastSeen = (server: TestServer, path: string): Seen | undefined =>
  [...server.seen].reverse().find((s) => s.url.split("?")[0] === path);

beforeAll(async () => {
  a = await startServer();
  b = await startServer();
  fetch = createHttpTransport();
  a.route("/json", (_req, res) => json(res, 200, { hello: "world" }));
  a.route("/echo", (req, res, body) =>
    json(res, 201, {
      method: req.method,
      body: body.toString("utf8"),
      type: req.headers["content-type"] ?? null,
    }),
  );
  const text = "release-pilot ".repeat(1_000);
  a.route("/gzip", (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(text)));
  a.route("/deflate", (_req, res) =>
    res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync(text)),
  );
  a.route("/br", (_req, res) =>
    res.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(text)),
  );
  a.route("/gzip-br", (_req, res) =>
    res.writeHead(200, { "content-encoding": "gzip, br" }).end(brotliCompressSync(gzipSync(text))),
  );
  a.route("/unknown-coding", (_req, res) => res.writeHead(200, { "content-encoding": "zz" }).end("as it is"));
  a.route("/many-codings", (_req, res) =>
    res.writeHead(200, { "content-encoding": "gzip, gzip, gzip, gzip, gzip, gzip" }).end("x"),
  );
  a.route("/headers", (_req, res) => {
    res.statusMessage = "Fine";
    res.setHeader("X-Zeta", "z");
    res.setHeader("X-Alpha", ["1", "2"]);
    res.setHeader("Set-Cookie", ["a=1", "b=2"]);
    res.writeHead(200).end("ok");
  });
  a.route("/binary", (_req, res) =>
    res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from([0, 1, 2, 255])),
  );
  a.route("/no-content", (_req, res) => res.writeHead(204).end());
  a.route("/not-modified", (_req, res) => res.writeHead(304).end());
  a.route("/missing", (_req, res) =>
    json(res, 404, { message: "Not Found", documentation_url: "https://docs" }),
  );
  a.route("/slow-headers", (_req, res) => void setTimeout(() => json(res, 200, {}), 2_000));
  a.route("/stalled-body", (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("first chunk ");
    // never ends
  });
  a.route("/bom", (_req, res) => res.writeHead(200).end(Buffer.from("\uFEFFtext", "utf8")));
  // Redirects.
  for (const status of [301, 302, 303, 307, 308])
    a.route(`/r${status}`, (_req, res) => res.writeHead(status, { location: "/echo" }).end("moved"));
  a.route("/hop", (req, res) => {
    const n = Number(new URL(req.url ?? "", a.url).searchParams.get("n"));
    res.writeHead(302, { location: n > 0 ? `/hop?n=${n - 1}` : "/json" }).end();
  });
  a.route("/to-b", (_req, res) => res.writeHead(302, { location: `${b.url}/signed?sig=abc` }).end());
  a.route("/to-a", (_req, res) => res.writeHead(302, { location: "/signed" }).end());
  a.route("/signed", (req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }));
  b.route("/signed", (req, res) =>
    json(res, 200, {
      authorization: req.headers.authorization ?? null,
      cookie: req.headers.cookie ?? null,
      proxyAuthorization: req.headers["proxy-authorization"] ?? null,
    }),
  );
  a.route("/bomb", (_req, res) => {
    const gzipped = gzipSync(Buffer.alloc(2 * 1024 * 1024));
    res
      .writeHead(200, {
        "content-type": "application/zip",
        "content-encoding": "gzip",
        "content-length": String(gzipped.length),
      })
      .end(gzipped);
  });
  a.route("/to-ftp", (_req, res) => res.writeHead(302, { location: "ftp://example.com/x" }).end());
});

afterAll(async () => {
  await a.close();
  await b.close();
});

describe("the GitHub transport over node:http", () => {
  it("answers status, statusText, ok, url, redirected and headers as fetch does", async () => {
    const res = await fetch(`${a.url}/headers#frag`);
    expect([res.status, res.statusText, res.ok, res.redirected]).toEqual([200, "Fine", true, false]);
    expect(res.url).toBe(`${a.url}/headers`);
    expect(res.headers.get("x-zeta")).toBe("z");
    expect(res.headers.get("X-ALPHA")).toBe("1, 2");
    expect(res.headers.has("Set-Cookie")).toBe(true);
    expect(res.headers.get("nothing")).toBeNull();
    const entries = [...res.headers].filter(([name]) => name.startsWith("x-") || name === "set-cookie");
    // Sorted by lower-case name; set-cookie values one by one (Fetch standard "sort and combine").
    expect(entries).toEqual([
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["x-alpha", "1, 2"],
      ["x-zeta", "z"],
    ]);
    const each: string[] = [];
    res.headers.forEach((value, name) => each.push(`${name}=${value}`));
    expect(each).toContain("x-zeta=z");
    expect(await res.text()).toBe("ok");
  });

  it("sends Accept and Accept-Encoding as undici does, unless the caller set them", async () => {
    await (await fetch(`${a.url}/json`)).text();
    expect(lastSeen(a, "/json")?.headers).toMatchObject({
      accept: "*/*",
      "accept-encoding": "gzip, deflate, br",
    });
    await (await fetch(`${a.url}/json`, { headers: { Accept: "application/vnd.github+json" } })).text();
    expect(lastSeen(a, "/json")?.headers.accept).toBe("application/vnd.github+json");
  });

  it("reads text, json and arrayBuffer, once: a second read is a TypeError", async () => {
    const res = await fetch(`${a.url}/json`);
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ hello: "world" });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    const bin = await fetch(`${a.url}/binary`);
    expect([...new Uint8Array(await bin.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(await (await fetch(`${a.url}/bom`)).text()).toBe("text");
  });

  it("decodes gzip, deflate, br and stacked codings; leaves an unknown coding alone; refuses a long chain", async () => {
    const text = "release-pilot ".repeat(1_000);
    for (const path of ["/gzip", "/deflate", "/br", "/gzip-br"]) {
      const res = await fetch(`${a.url}${path}`);
      expect([path, await res.text()]).toEqual([path, text]);
    }
    expect(await (await fetch(`${a.url}/unknown-coding`)).text()).toBe("as it is");
    await expect(fetch(`${a.url}/many-codings`)).rejects.toMatchObject({
      name: "TypeError",
      message: "fetch failed",
    });
  });

  it("hands the body over as a web ReadableStream, decoded", async () => {
    const res = await fetch(`${a.url}/gzip`);
    const body = res.body;
    expect(body).toBeInstanceOf(ReadableStream);
    const reader = body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(Buffer.concat(chunks).toString("utf8")).toBe("release-pilot ".repeat(1_000));
    expect(res.bodyUsed).toBe(true);
    await expect(res.arrayBuffer()).rejects.toThrow(TypeError);
  });

  it("has no body for HEAD, 204 and 304", async () => {
    const head = await fetch(`${a.url}/json`, { method: "HEAD" });
    expect([head.status, head.body, await head.text()]).toEqual([200, null, ""]);
    for (const path of ["/no-content", "/not-modified"]) {
      const res = await fetch(`${a.url}${path}`);
      expect([path, res.body]).toEqual([path, null]);
    }
  });

  it("sends string, Buffer, Uint8Array, ArrayBuffer, URLSearchParams, web stream and async iterable bodies", async () => {
    const sent = async (body: Parameters<TransportFetch>[1]) => {
      const res = await fetch(`${a.url}/echo`, { method: "POST", ...body });
      return (await res.json()) as { method: string; body: string; type: string | null };
    };
    expect(await sent({ body: "plain" })).toEqual({
      method: "POST",
      body: "plain",
      type: "text/plain;charset=UTF-8",
    });
    expect(lastSeen(a, "/echo")?.headers["content-length"]).toBe("5");
    expect((await sent({ body: Buffer.from("buf") })).body).toBe("buf");
    expect((await sent({ body: new TextEncoder().encode("u8") })).body).toBe("u8");
    expect((await sent({ body: new TextEncoder().encode("ab").buffer })).body).toBe("ab");
    expect(await sent({ body: new URLSearchParams({ q: "1" }) })).toMatchObject({
      body: "q=1",
      type: "application/x-www-form-urlencoded;charset=UTF-8",
    });
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("web "));
        controller.enqueue(new TextEncoder().encode("stream"));
        controller.close();
      },
    });
    expect((await sent({ body: web, duplex: "half" })).body).toBe("web stream");
    expect(lastSeen(a, "/echo")?.headers["transfer-encoding"]).toBe("chunked");
    async function* parts() {
      yield new TextEncoder().encode("async ");
      yield new TextEncoder().encode("iterable");
    }
    expect((await sent({ body: parts(), duplex: "half" })).body).toBe("async iterable");
    // JSON as Octokit sends it: a string with its own content type.
    expect(
      await sent({
        body: JSON.stringify({ a: 1 }),
        headers: { "content-type": "application/json; charset=utf-8" },
      }),
    ).toMatchObject({ body: '{"a":1}', type: "application/json; charset=utf-8" });
    // POST without a body says Content-Length: 0 (Fetch standard §4.5).
    expect(await sent({})).toMatchObject({ body: "" });
    expect(lastSeen(a, "/echo")?.headers["content-length"]).toBe("0");
  });

  it("refuses a stream body without duplex, a GET with a body and a URL with credentials, as fetch does", async () => {
    const web = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    await expect(fetch(`${a.url}/echo`, { method: "POST", body: web })).rejects.toThrow(/duplex/);
    await expect(fetch(`${a.url}/echo`, { body: "x" })).rejects.toThrow(/GET\/HEAD/);
    await expect(fetch(`http://user:pw@127.0.0.1:1/`)).rejects.toThrow(/credentials/);
    await expect(fetch("not a url")).rejects.toThrow(TypeError);
  });

  it("follows redirects: 301/302 after POST and 303 become a GET without a body; 307/308 resend it", async () => {
    for (const [status, method] of [
      [301, "GET"],
      [302, "GET"],
      [303, "GET"],
      [307, "POST"],
      [308, "POST"],
    ] as const) {
      const res = await fetch(`${a.url}/r${status}`, {
        method: "POST",
        body: '{"x":1}',
        headers: { "content-type": "application/json" },
      });
      const echoed = (await res.json()) as { method: string; body: string; type: string | null };
      expect([status, res.redirected, res.url, echoed.method]).toEqual([
        status,
        true,
        `${a.url}/echo`,
        method,
      ]);
      expect([status, echoed.body, echoed.type]).toEqual(
        method === "GET" ? [status, "", null] : [status, '{"x":1}', "application/json"],
      );
    }
    // 303 after a PUT too; a 302 after a PUT keeps the method (Fetch standard §4.4 step 12).
    const put303 = (await (await fetch(`${a.url}/r303`, { method: "PUT", body: "b" })).json()) as {
      method: string;
    };
    expect(put303.method).toBe("GET");
    const put302 = (await (await fetch(`${a.url}/r302`, { method: "PUT", body: "b" })).json()) as {
      method: string;
    };
    expect(put302.method).toBe("PUT");
  });

  it("follows at most 20 redirects", async () => {
    const twenty = await fetch(`${a.url}/hop?n=19`);
    expect([twenty.status, twenty.url]).toEqual([200, `${a.url}/json`]);
    await twenty.text();
    await expect(fetch(`${a.url}/hop?n=20`)).rejects.toMatchObject({
      message: "fetch failed",
      cause: { message: "redirect count exceeded" },
    });
  });

  it("honours redirect: manual and redirect: error, and refuses a redirect to another scheme", async () => {
    const manual = await fetch(`${a.url}/r302`, { redirect: "manual" });
    expect([manual.status, manual.headers.get("location"), manual.redirected]).toEqual([302, "/echo", false]);
    expect(await manual.text()).toBe("moved");
    await expect(fetch(`${a.url}/r302`, { redirect: "error" })).rejects.toMatchObject({
      message: "fetch failed",
    });
    await expect(fetch(`${a.url}/to-ftp`)).rejects.toMatchObject({ message: "fetch failed" });
  });

  it("does not carry the token, cookies or proxy credentials to another origin", async () => {
    const credentials = {
      authorization: "token ghs_secret",
      cookie: "session=1",
      "proxy-authorization": "Basic eA==",
    };
    const res = await fetch(`${a.url}/to-b`, { headers: credentials });
    expect(res.url).toBe(`${b.url}/signed?sig=abc`);
    expect(await res.json()).toEqual({ authorization: null, cookie: null, proxyAuthorization: null });
    expect(lastSeen(b, "/signed")?.headers.authorization).toBeUndefined();
    // A redirect within the origin keeps it.
    const same = await fetch(`${a.url}/to-a`, { headers: credentials });
    expect(await same.json()).toEqual({ authorization: "token ghs_secret" });
  });

  it("aborts with the signal: an AbortError DOMException before the answer, and while reading the body", async () => {
    const before = new AbortController();
    before.abort();
    await expect(fetch(`${a.url}/json`, { signal: before.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    const waiting = new AbortController();
    const pending = fetch(`${a.url}/slow-headers`, { signal: waiting.signal });
    setTimeout(() => waiting.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    const reading = new AbortController();
    const res = await fetch(`${a.url}/stalled-body`, { signal: reading.signal });
    const text = res.text();
    setTimeout(() => reading.abort(), 50);
    await expect(text).rejects.toMatchObject({ name: "AbortError" });
  });

  it("reports a network failure as TypeError('fetch failed') with the socket error as cause", async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const error = (await fetch(`${url}/json`).catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string };
    };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("fetch failed");
    expect(error.cause?.code).toBe("ECONNREFUSED");
  });

  it("times out waiting for headers and between body chunks, with undici's error codes", async () => {
    const impatient = createHttpTransport({ headersTimeoutMs: 100, bodyTimeoutMs: 100 });
    await expect(impatient(`${a.url}/slow-headers`)).rejects.toMatchObject({
      message: "fetch failed",
      cause: { code: "UND_ERR_HEADERS_TIMEOUT" },
    });
    const res = await impatient(`${a.url}/stalled-body`);
    await expect(res.text()).rejects.toMatchObject({
      name: "TypeError",
      cause: { code: "UND_ERR_BODY_TIMEOUT" },
    });
  });

  it("keeps connections alive between requests", async () => {
    const own = await startServer();
    own.route("/json", (_req, res) => json(res, 200, { n: 1 }));
    const transport = createHttpTransport();
    for (let i = 0; i < 5; i++) await (await transport(`${own.url}/json`)).json();
    expect([own.seen.length, own.connections]).toEqual([5, 1]);
    await own.close();
  });
});

describe("Octokit over the transport", () => {
  const octokit = () =>
    new ProbotOctokit({
      auth: { token: "t0ken" },
      baseUrl: a.url,
      retry: { enabled: false },
      throttle: { enabled: false },
      request: { fetch },
    });

  it("parses JSON, keeps a raw body as a stream, and turns a 404 into a RequestError", async () => {
    const { data, status, url } = await octokit().request("GET /json");
    expect([status, url, data]).toEqual([200, `${a.url}/json`, { hello: "world" }]);
    expect(lastSeen(a, "/json")?.headers.authorization).toBe("token t0ken");
    const raw = await octokit().request("GET /gzip", { request: { parseSuccessResponseBody: false } });
    expect(raw.data).toBeInstanceOf(ReadableStream);
    expect(Buffer.from(await bytesOf(raw.data)).toString("utf8")).toBe("release-pilot ".repeat(1_000));
    await expect(octokit().request("GET /missing")).rejects.toMatchObject({
      status: 404,
      message: "Not Found - https://docs",
    });
  });

  it("reports a network failure as Octokit does for fetch: a RequestError of status 500 caused by it", async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const client = new ProbotOctokit({
      baseUrl: url,
      retry: { enabled: false },
      throttle: { enabled: false },
      request: { fetch },
    });
    const error = (await client.request("GET /json").catch((e: unknown) => e)) as {
      status?: number;
      message?: string;
      cause?: TypeError & { cause?: { code?: string } };
    };
    expect(error.status).toBe(500);
    // Octokit takes the message from the cause when it is an Error of its own realm (under Jest's
    // VM contexts Node's socket error is not), so the cause chain is what is checked.
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.cause?.message).toBe("fetch failed");
    expect(error.cause?.cause?.code).toBe("ECONNREFUSED");
  });

  it("an artifact's size cap counts decoded bytes: a small gzip answer cannot expand past it", async () => {
    const download = () => octokit().request("GET /bomb", { request: { parseSuccessResponseBody: false } });
    const small = await download();
    expect(Number(small.headers["content-length"])).toBeLessThan(10_000);
    await expect(bytesOf(small.data, 1024 * 1024)).rejects.toThrow(/artifact larger than 1048576 bytes/);
    expect((await bytesOf((await download()).data, 4 * 1024 * 1024)).byteLength).toBe(2 * 1024 * 1024);
  });

  it("follows an archive-style redirect to another host without the installation token", async () => {
    const res = await octokit().request("GET /to-b");
    expect(res.url).toBe(`${b.url}/signed?sig=abc`);
    expect(res.data).toEqual({ authorization: null, cookie: null, proxyAuthorization: null });
  });
});

describe("memory: the transport does not load Node's fetch", () => {
  it("a process that makes requests through it never loads internal/deps/undici", async () => {
    const module = join(process.cwd(), "src/adapters/github/http-transport.ts");
    const script = `
      const { createHttpTransport } = await import(${JSON.stringify(module)});
      const fetch = createHttpTransport();
      const res = await fetch(${JSON.stringify(`${a.url}/gzip`)});
      const text = await res.text();
      const raw = await fetch(${JSON.stringify(`${a.url}/json`)});
      const reader = raw.body.getReader();
      while (!(await reader.read()).done);
      console.log(JSON.stringify({ length: text.length, loaded: process.moduleLoadList }));
    `;
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    const { length, loaded } = JSON.parse(stdout) as { length: number; loaded: string[] };
    expect(length).toBe("release-pilot ".repeat(1_000).length);
    expect(loaded).toContain("NativeModule _http_client");
    // No more of undici than `node:http` alone loads on this Node (none on Node 20).
    expect(loaded.filter((m) => m.includes("undici"))).toEqual(await undiciWithHttpAlone());
    // The same list does name undici once anything touches a fetch global.
    const control = await run(process.execPath, [
      "-e",
      "new Headers(); console.log(process.moduleLoadList.some((m) => m.includes('internal/deps/undici')))",
    ]);
    expect(control.stdout.trim()).toBe("true");
  }, 60_000);
});
