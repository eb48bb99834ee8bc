// The sandbox's HTTP front: node:http, spec-driven routing, validation of every exchange.
//
// Why our own server instead of @simulacrum/github-api-simulator: the release process under
// test lives in git (branches, merges, tags, compares), so state must be real git objects with
// real SHAs; a simulator with canned or JSON-only state cannot merge, diff or compare.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { findOperation, validateRequest, validateResponse } from "./openapi.js";
import { faultReply, type Faults } from "./faults.js";
import { isGraphqlPath } from "./graphql-schema.js";
import { acceptedHeader, allowed, requiredPermissions } from "./route-permissions.js";
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
  /**
   * The permissions of the installation access token it was made with (each route checks them);
   * undefined for a person's token, the App's JWT or a harness's seeding token.
   */
  installationToken?: Readonly<Record<string, string>>;
  /** performance.now() when the answer was sent. */
  at?: number;
  /**
   * Bytes of the answer's body on the wire (what a client downloads; headers not counted):
   * gzip-compressed when the client asked for it, as GitHub serves it.
   */
  bytes?: number;
}

const DOCS = "https://docs.github.com/rest";

/** The answers whose client accepts gzip. */
const gzipAccepted = new WeakSet<ServerResponse>();

/** Whether an Accept-Encoding header accepts gzip (`gzip` or `x-gzip`, not with `q=0`: RFC 9110 §12.5.3). */
export const acceptsGzip = (header: string | undefined): boolean =>
  (header ?? "").split(",").some((part) => {
    const [coding = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (
      (coding.trim() === "gzip" || coding.trim() === "x-gzip") && (q === undefined || Number(q.slice(2)) > 0)
    );
  });

/**
 * The x-ratelimit-* headers GitHub puts on every API answer
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit):
 * an installation's 5,000 requests an hour for `core`, 5,000 points for `graphql`, each request
 * spending one, the window resetting an hour after its first request. The sandbox never refuses
 * for it (fault injection plays the 403/429 refusals); it counts so a client can watch the budget.
 */
class RateLimit {
  private readonly windows = new Map<string, { used: number; reset: number }>();

  spend(resource: "core" | "graphql"): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    let w = this.windows.get(resource);
    if (!w || now >= w.reset) {
      w = { used: 0, reset: now + 3600 };
      this.windows.set(resource, w);
    }
    w.used += 1;
    const limit = 5000;
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(limit - w.used, 0)),
      "x-ratelimit-used": String(w.used),
      "x-ratelimit-reset": String(w.reset),
      "x-ratelimit-resource": resource,
    };
  }
}

/** Operations whose `body` GitHub caps, and the resource its 422 names. */
const CAPPED_BODIES: Record<string, string> = {
  "issues/create": "Issue",
  "issues/update": "Issue",
  "issues/create-comment": "IssueComment",
  "issues/update-comment": "IssueComment",
  "pulls/create": "PullRequest",
  "pulls/update": "PullRequest",
  "pulls/create-review": "PullRequestReview",
};
const MAX_BODY = 65_536;

/**
 * Issue, pull request, comment and review bodies hold at most 65,536 characters; a longer one is
 * refused with 422 "Validation Failed" and a `custom` error naming the field (GitHub's answer, as
 * clients such as release-please and the GitHub CLI see it: "body is too long (maximum is 65536
 * characters)"). GitHub counts characters (code points, Ruby's `String#length`), so an emoji is
 * one character, not JavaScript's two UTF-16 units.
 */
function bodyTooLong(operationId: string, body: unknown): Reply | undefined {
  const resource = CAPPED_BODIES[operationId];
  const text = (body as { body?: unknown } | undefined)?.body;
  if (!resource || typeof text !== "string" || text.length <= MAX_BODY) return undefined;
  let characters = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) characters -= 1; // a surrogate pair is one character
  }
  if (characters <= MAX_BODY) return undefined;
  return {
    status: 422,
    body: {
      message: "Validation Failed",
      errors: [
        {
          resource,
          code: "custom",
          field: "body",
          message: `body is too long (maximum is ${MAX_BODY} characters)`,
        },
      ],
      documentation_url: DOCS,
    },
  };
}

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
  private readonly rateLimit = new RateLimit();

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
    // Idle keep-alive connections stay open a minute (Node's default is 5 s): a client that
    // computes for a few seconds between requests (planning a long history on a loaded machine)
    // would otherwise reuse a socket the server is closing, and read ECONNRESET.
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => void this.handle(req, res));
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
    if (acceptsGzip(req.headers["accept-encoding"])) gzipAccepted.add(res);
    this.inflight += 1;
    this.touch();
    const method = (req.method ?? "GET").toUpperCase();
    const url = (req.url ?? "/").replace(/^\/api\/v3(?=\/|$)/, "") || "/";
    const path = url.split("?")[0]!;
    // Identities: a personal access token acts as its owner, as on GitHub ("a personal access
    // token ... acts as you": https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api);
    // any other token (the App's JWT, its installation tokens, the harnesses' seeding tokens)
    // acts as the App's installation, whose bot `<slug>[bot]` is the actor. An installation
    // token the sandbox issued carries the installation's permissions, and each route checks
    // them (route-permissions.ts); the App's JWT and the harnesses' seeding tokens are not
    // installation tokens and are not held to them.
    const token = (req.headers.authorization ?? "").replace(/^(?:token|bearer)\s+/i, "");
    const person = this.world.personalTokens.get(token);
    const installationToken = this.world.tokens.get(token);
    const fromApp = typeof req.headers.authorization === "string" && !person;
    const record: RequestRecord = {
      method,
      path,
      operationId: undefined,
      status: 0,
      fromApp,
      ...(installationToken ? { installationToken } : {}),
    };
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
      if (installationToken) {
        const refusal = this.permissionRefusal(found.operationId, method, installationToken);
        if (refusal) return this.send(res, refusal, record);
      }
      const tooLong = bodyTooLong(found.operationId, body);
      if (tooLong) return this.send(res, tooLong, record);
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
      if (reply.status < 400 && !reply.raw) {
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

  /**
   * GitHub's refusal of an installation token lacking the permission a route requires: 403
   * "Resource not accessible by integration", with the permissions that would grant it in
   * X-Accepted-GitHub-Permissions ("Troubleshooting: insufficient permission errors",
   * https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps). An
   * operation the table does not cover is a sandbox gap, reported as a violation, not a pass.
   */
  private permissionRefusal(
    operationId: string,
    method: string,
    permissions: Readonly<Record<string, string>>,
  ): Reply | undefined {
    const rule = requiredPermissions(operationId, method);
    if (rule === undefined) {
      this.violations.push(`GitHub sandbox has no permission rule for ${operationId}`);
      return undefined;
    }
    if (rule === "jwt" || allowed(permissions, rule)) return undefined;
    return {
      status: 403,
      body: {
        message: "Resource not accessible by integration",
        documentation_url: `${DOCS}/${operationId.split("/")[0] ?? ""}`,
        status: "403",
      },
      headers: { "x-accepted-github-permissions": acceptedHeader(rule) },
    };
  }

  private send(res: ServerResponse, reply: Reply, record: RequestRecord): void {
    record.status = reply.status;
    record.at = performance.now();
    this.requests.push(record);
    const headers: Record<string, string> = {
      "x-github-request-id": randomUUID(),
      "x-github-media-type": "github.v3; format=json",
      ...this.rateLimit.spend(record.operationId === "graphql" ? "graphql" : "core"),
      ...reply.headers,
    };
    if (reply.raw) {
      record.bytes = reply.raw.length;
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
    const text = Buffer.from(JSON.stringify(reply.body));
    // GitHub negotiates the encoding of its answers: they carry `Vary: Accept-Encoding` (the
    // recorded traffic of @octokit/fixtures, e.g. scenarios/api.github.com/get-repository/
    // raw-fixture.json), and a client asking `Accept-Encoding: gzip` (Node's fetch, hence
    // Octokit, always does) gets gzip (RFC 9110 §8.4.1.3, §12.5.3). So does the sandbox's client,
    // and what it counts is what crossed the wire.
    const gzip = gzipAccepted.has(res);
    const body = gzip ? gzipSync(text) : text;
    record.bytes = body.length;
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(body.length),
      vary: "Accept-Encoding, Accept, X-Requested-With",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
      ...headers,
    });
    res.end(body);
  }
}
