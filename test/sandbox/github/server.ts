// The sandbox's HTTP front: node:http, spec-driven routing, validation of every exchange.
//
// Why our own server instead of @simulacrum/github-api-simulator: the release process under
// test lives in git (branches, merges, tags, compares), so state must be real git objects with
// real SHAs; a simulator with canned or JSON-only state cannot merge, diff or compare.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { findOperation, validateRequest, validateResponse } from "../../support/openapi.js";
import { faultReply, type Faults } from "./faults.js";
import { isGraphqlPath } from "../../support/graphql-schema.js";
import { answerGraphql } from "./graphql.js";
import { HttpError, routes, type Ctx, type Reply } from "./router.js";
import type { World } from "./state.js";
import type { Webhooks } from "./webhooks.js";

export interface RequestRecord {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  fromApp: boolean;
  /** performance.now() when the answer was sent. */
  at?: number;
}

const DOCS = "https://docs.github.com/rest";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export class SandboxServer {
  readonly requests: RequestRecord[] = [];
  inflight = 0;
  lastActivity = Date.now();
  private server: Server | undefined;
  private readonly sockets = new Set<import("node:net").Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Extra non-API routes (artifact downloads) keyed by path prefix. */
  readonly raw = new Map<string, (path: string) => Reply>();

  constructor(
    private readonly world: World,
    private readonly hooks: Webhooks,
    private readonly faults: Faults,
    /** Every departure from GitHub's descriptions: REST and GraphQL exchanges, webhook payloads. */
    readonly violations: string[] = [],
  ) {}

  touch(): void {
    this.lastActivity = Date.now();
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inflight += 1;
    this.touch();
    const method = (req.method ?? "GET").toUpperCase();
    const url = (req.url ?? "/").replace(/^\/api\/v3(?=\/|$)/, "") || "/";
    const path = url.split("?")[0]!;
    // Identities: a personal access token acts as its owner, as on GitHub ("a personal access
    // token ... acts as you": https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api);
    // any other token (the App's JWT, its installation tokens, the harnesses' seeding tokens)
    // acts as the App's installation, whose bot `<slug>[bot]` is the actor.
    const person = this.world.personalTokens.get(
      (req.headers.authorization ?? "").replace(/^(?:token|bearer)\s+/i, ""),
    );
    const fromApp = typeof req.headers.authorization === "string" && !person;
    const record: RequestRecord = { method, path, operationId: undefined, status: 0, fromApp };
    try {
      const rawBody = await readBody(req);
      for (const [prefix, serve] of this.raw) {
        if (path.startsWith(prefix)) return this.send(res, serve(path), record);
      }
      const found = findOperation(method, url);
      record.operationId = found?.operationId;
      const fault = this.faults.take(method, url);
      if (fault?.latencyMs) await this.sleep(fault.latencyMs);
      if (fault?.drop) {
        record.status = 0;
        this.requests.push(record);
        req.socket.destroy();
        return;
      }
      if (fault && fault.status !== undefined) return this.send(res, faultReply(fault), record);
      if (method === "POST" && isGraphqlPath(path)) {
        record.operationId = "graphql";
        let parsed: unknown;
        try {
          parsed = JSON.parse(rawBody.toString("utf8"));
        } catch {
          return this.send(res, { status: 400, body: { message: "Problems parsing JSON" } }, record);
        }
        const answer = await answerGraphql(this.world, parsed);
        this.violations.push(...answer.violations);
        return this.send(res, { status: answer.status, body: answer.body }, record);
      }
      if (!found) {
        const message = `GitHub sandbox: no such GitHub operation ${method} ${path}`;
        this.violations.push(message);
        return this.send(res, { status: 501, body: { message, documentation_url: DOCS } }, record);
      }
      let body: unknown;
      if (rawBody.length > 0) {
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          return this.send(
            res,
            { status: 400, body: { message: "Problems parsing JSON", documentation_url: DOCS } },
            record,
          );
        }
      }
      this.violations.push(...validateRequest({ method, url, body }));
      const handler = routes.get(found.operationId);
      if (!handler) {
        const message = `GitHub sandbox does not implement ${method} ${found.pathTemplate} (${found.operationId})`;
        this.violations.push(message);
        return this.send(res, { status: 501, body: { message, documentation_url: DOCS } }, record);
      }
      const ctx: Ctx = {
        world: this.world,
        hooks: this.hooks,
        params: found.params,
        query: new URL(url, "http://x").searchParams,
        body: (body ?? {}) as Record<string, unknown>,
        headers: req.headers,
        actor: person ?? this.world.app.bot,
        viaApp: person ? undefined : this.world.app,
        fromApp,
      };
      let reply: Reply;
      try {
        reply = await handler(ctx);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        reply = {
          status: error.status,
          body: { message: error.message, documentation_url: DOCS, ...error.extra },
        };
      }
      if (reply.status < 400) {
        this.violations.push(...validateResponse({ method, url, status: reply.status, body: reply.body }));
      }
      return this.send(res, reply, record);
    } catch (error) {
      const message = `GitHub sandbox crashed on ${method} ${path}: ${(error as Error).stack ?? String(error)}`;
      this.violations.push(message);
      this.send(res, { status: 500, body: { message, documentation_url: DOCS } }, record);
    } finally {
      this.inflight -= 1;
      this.touch();
    }
  }

  private send(res: ServerResponse, reply: Reply, record: RequestRecord): void {
    record.status = reply.status;
    record.at = performance.now();
    this.requests.push(record);
    const headers: Record<string, string> = {
      "x-github-request-id": randomUUID(),
      "x-github-media-type": "github.v3; format=json",
      ...reply.headers,
    };
    if (reply.raw) {
      res.writeHead(reply.status, {
        "content-type": "application/zip",
        "content-length": String(reply.raw.length),
        ...headers,
      });
      res.end(reply.raw);
      return;
    }
    if (reply.body === undefined || reply.status === 204 || reply.status === 304) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }
}
