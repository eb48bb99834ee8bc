/**
 * HTTP front of the fake API server: discovery, the apps/v1 workload routes (get, list, watch,
 * create, update, patch, delete, scale, status), faults, and a request log for assertions.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as discovery from "./discovery.js";
import type { FaultMatch, Faults } from "./faults.js";
import { authenticate, authorize, requestVerb, type ClusterTokens } from "./rbac.js";
import type { Kind, Workload } from "./objects.js";
import type { Json } from "./patch.js";
import { parseFieldSelector, parseLabelSelector } from "./selectors.js";
import type { EventType, Store } from "./store.js";
import { ApiError, statusBody, type WorkloadApi } from "./workload-api.js";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
}

export interface ServerDeps {
  store: Store;
  api: WorkloadApi;
  faults: Faults;
  requests: RecordedRequest[];
  bookmarkMs: number;
  /** Bearer tokens and their grants; undefined: every request is allowed. */
  tokens: ClusterTokens | undefined;
  /** How long a read from a resourceVersion newer than the server's waits before its 504. */
  tooLargeWaitMs: number;
  /** Registers something to stop on close; returns the unregister function. */
  track(stop: () => void): () => void;
}

const ROUTE =
  /^\/apis\/apps\/v1\/(?:namespaces\/([^/]+)\/)?(deployments|replicasets)(?:\/([^/]+))?(?:\/(scale|status))?\/?$/;

const send = (res: ServerResponse, code: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
};

const readBody = async (req: IncomingMessage): Promise<Json> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new ApiError(400, "BadRequest", "the request body is not valid JSON");
  }
};

const sleep = (ms: number, track: ServerDeps["track"]): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => {
      untrack();
      resolve();
    }, ms);
    const untrack = track(() => {
      clearTimeout(timer);
      resolve();
    });
  });

const listKind = (kind: Kind): string => `${kind}List`;

/** The Status reason the API server gives with each code (an injected fault reads like a real one). */
const reasons: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  410: "Expired",
  429: "TooManyRequests",
  503: "ServiceUnavailable",
  504: "Timeout",
};
const faultError = (code: number): ApiError =>
  new ApiError(
    code,
    reasons[code] ?? "InternalError",
    code === 410 ? "too old resource version (injected fault)" : `injected fault ${code}`,
  );

/**
 * Wait for the store to reach `rv`, as the API server's watch cache does for a resourceVersion it
 * has not seen yet; when it does not within `tooLargeWaitMs` (the watch cache blocks 3 s), the
 * answer is 504 Timeout with a ResourceVersionTooLarge cause and a retry hint
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions, "Too large
 * resource version"; the Status body as the apiserver's NewTooLargeResourceVersionError writes it).
 */
async function awaitResourceVersion(deps: ServerDeps, rv: number, res: ServerResponse): Promise<void> {
  const until = Date.now() + deps.tooLargeWaitMs;
  let closed = false;
  const untrack = deps.track(() => (closed = true));
  res.on("close", () => (closed = true));
  try {
    await waitFor(deps, rv, until, () => closed);
  } finally {
    untrack();
  }
}

async function waitFor(deps: ServerDeps, rv: number, until: number, closed: () => boolean): Promise<void> {
  // The client hung up or the server is closing: nothing is waited for, nothing answered.
  while (Number(deps.store.resourceVersion) < rv && !closed()) {
    if (Date.now() >= until)
      throw new ApiError(
        504,
        "Timeout",
        `Timeout: Too large resource version: ${rv}, current: ${deps.store.resourceVersion}`,
        {
          causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
          retryAfterSeconds: 1,
        },
      );
    await sleep(Math.min(10, until - Date.now()), deps.track);
  }
}

/** A resourceVersion a client asked for that is newer than the server's, or undefined. */
const futureVersion = (deps: ServerDeps, q: URLSearchParams): number | undefined => {
  const rv = q.get("resourceVersion");
  if (rv === null || !/^\d+$/.test(rv)) return undefined;
  return Number(rv) > Number(deps.store.resourceVersion) ? Number(rv) : undefined;
};

async function watch(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  kind: Kind,
  ns: string | undefined,
  q: URLSearchParams,
  fault: FaultMatch | undefined,
): Promise<void> {
  const labels = parseLabelSelector(q.get("labelSelector"));
  const fields = parseFieldSelector(q.get("fieldSelector"));
  const matches = (w: Workload): boolean => labels(w) && fields(w);
  // A future resourceVersion: wait for the server to reach it, else a 504 before any stream.
  const future = fault?.watchError ? undefined : futureVersion(deps, q);
  if (future !== undefined && q.get("sendInitialEvents") !== "true")
    await awaitResourceVersion(deps, future, res);
  if (res.destroyed) return;
  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
  if (fault?.watchError) {
    // https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses: an ERROR
    // event whose object is a Status, then the server ends the stream.
    res.end(`${JSON.stringify({ type: "ERROR", object: statusBody(faultError(fault.watchError)) })}\n`);
    return;
  }
  const write = (type: EventType | "BOOKMARK", object: unknown): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>): void =>
    write("BOOKMARK", {
      kind,
      apiVersion: "apps/v1",
      metadata: { resourceVersion: deps.store.resourceVersion, ...(annotations ? { annotations } : {}) },
    });

  const rv = q.get("resourceVersion") ?? "";
  if (q.get("sendInitialEvents") === "true" || rv === "" || rv === "0") {
    for (const w of deps.store.list(kind, ns, matches)) write("ADDED", w);
    if (q.get("sendInitialEvents") === "true") bookmark({ "k8s.io/initial-events-end": "true" });
  } else {
    const since = deps.store.eventsSince(Number(rv));
    if (since === "gone") {
      // A resourceVersion older than the kept history: an ERROR event carrying a 410 Expired
      // Status, then the stream ends; the client must list again
      // (https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses).
      const gone = new ApiError(
        410,
        "Expired",
        `too old resource version: ${rv} (${deps.store.oldestResumable})`,
      );
      res.end(`${JSON.stringify({ type: "ERROR", object: statusBody(gone) })}\n`);
      return;
    }
    // Reached above: every event after the requested version.
    for (const e of since === "future" ? [] : since)
      if (
        e.object.kind === kind &&
        (ns === undefined || e.object.metadata.namespace === ns) &&
        matches(e.object)
      )
        write(e.type, e.object);
  }
  const unwatch = deps.store.addWatcher({ kind, namespace: ns, matches, send: write });
  const timers: NodeJS.Timeout[] = [];
  if (q.get("allowWatchBookmarks") === "true") timers.push(setInterval(() => bookmark(), deps.bookmarkMs));
  const timeout = Number(q.get("timeoutSeconds") ?? "0");
  let untrack = (): void => undefined;
  const stop = (): void => {
    unwatch();
    untrack();
    for (const t of timers) clearInterval(t);
    if (!res.writableEnded) res.end();
  };
  if (timeout > 0) timers.push(setTimeout(stop, timeout * 1000));
  if (fault?.drop)
    timers.push(
      setTimeout(() => {
        unwatch();
        res.destroy();
      }, fault.latencyMs),
    );
  untrack = deps.track(stop);
  req.on("close", stop);
  res.on("close", stop);
}

async function workload(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  m: RegExpExecArray,
  q: URLSearchParams,
  body: Json,
  fault: FaultMatch | undefined,
): Promise<void> {
  const [, ns, resource, name, sub] = m;
  const kind: Kind = resource === "deployments" ? "Deployment" : "ReplicaSet";
  const method = req.method ?? "GET";
  const ctype = req.headers["content-type"];
  const { api, store } = deps;
  if (!name) {
    if (method === "GET" && (q.get("watch") === "1" || q.get("watch") === "true"))
      return watch(deps, req, res, kind, ns, q, fault);
    if (method === "GET") {
      // A list from a resourceVersion the server has not reached (NotOlderThan, the default for a
      // non-zero resourceVersion) waits, then answers 504 like a watch does.
      const future = futureVersion(deps, q);
      if (future !== undefined) await awaitResourceVersion(deps, future, res);
      const labels = parseLabelSelector(q.get("labelSelector"));
      const fields = parseFieldSelector(q.get("fieldSelector"));
      const items = store
        .list(kind, ns, (w) => labels(w) && fields(w))
        .map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
      return send(res, 200, {
        kind: listKind(kind),
        apiVersion: "apps/v1",
        metadata: { resourceVersion: store.resourceVersion },
        items,
      });
    }
    if (method === "POST" && ns) return send(res, 201, api.create(kind, ns, body));
    throw new ApiError(
      405,
      "MethodNotAllowed",
      `the server does not allow this method on the requested resource`,
    );
  }
  if (!ns) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  if (sub === "scale") {
    if (method === "GET") return send(res, 200, api.getScale(kind, ns, name));
    if (method === "PUT") return send(res, 200, api.writeScale(kind, ns, name, undefined, body));
    if (method === "PATCH") return send(res, 200, api.writeScale(kind, ns, name, ctype ?? "", body));
  } else if (sub === "status") {
    if (method === "GET") return send(res, 200, api.get(kind, ns, name));
    if (method === "PUT") return send(res, 200, api.writeStatus(kind, ns, name, undefined, body));
    if (method === "PATCH") return send(res, 200, api.writeStatus(kind, ns, name, ctype ?? "", body));
  } else {
    if (method === "GET") return send(res, 200, api.get(kind, ns, name));
    if (method === "PUT") return send(res, 200, api.update(kind, ns, name, body));
    if (method === "PATCH") return send(res, 200, api.patch(kind, ns, name, ctype ?? "", body));
    if (method === "DELETE") return send(res, 200, api.delete(kind, ns, name));
  }
  throw new ApiError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
  );
}

function staticRoute(path: string, host: string): unknown {
  const docs: Record<string, unknown> = {
    "/version": discovery.version,
    "/api": discovery.apiVersions(host),
    "/api/v1": discovery.coreV1,
    "/apis": discovery.apiGroupList,
    "/apis/apps": discovery.appsGroupDoc,
    "/apis/apps/v1": discovery.appsV1,
  };
  return docs[path.replace(/\/$/, "") || "/"];
}

export function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      try {
        const body = req.method === "GET" || req.method === "HEAD" ? null : await readBody(req);
        deps.requests.push({
          method: req.method ?? "GET",
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          contentType: req.headers["content-type"],
          body,
        });
        if (deps.tokens) {
          // Authentication, then authorization, before anything is served (the API server's
          // filter chain: https://kubernetes.io/docs/concepts/security/controlling-access/).
          const grant = authenticate(deps.tokens, req.headers.authorization);
          const route = ROUTE.exec(url.pathname);
          // Discovery is open to every authenticated user (the system:discovery ClusterRole,
          // https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles).
          if (route) {
            const [, ns, resource, name, sub] = route;
            const isWatchReq = ["true", "1"].includes(url.searchParams.get("watch") ?? "");
            authorize(grant, {
              verb: requestVerb(req.method ?? "GET", name !== undefined, isWatchReq),
              resource: sub ? `${resource}/${sub}` : (resource ?? ""),
              namespace: ns,
              name,
            });
          }
        }
        const fault = deps.faults.take(req.method ?? "GET", url.pathname + url.search);
        const isWatch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
        // A drop on a plain request cuts the connection before any answer; a watch streams first.
        if (fault?.drop && !isWatch) return void req.socket.destroy();
        if (fault?.latencyMs && !fault.drop) await sleep(fault.latencyMs, deps.track);
        if (res.destroyed) return;
        if (fault?.status) throw faultError(fault.status);
        const doc = req.method === "GET" ? staticRoute(url.pathname, req.headers.host ?? "") : undefined;
        if (doc) return send(res, 200, doc);
        const m = ROUTE.exec(url.pathname);
        if (!m) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        await workload(deps, req, res, m, url.searchParams, body, fault);
      } catch (e) {
        if (res.headersSent) return void res.end();
        if (e instanceof ApiError) send(res, e.code, statusBody(e));
        else
          send(
            res,
            500,
            statusBody(new ApiError(500, "InternalError", e instanceof Error ? e.message : String(e))),
          );
      }
    })();
  };
}
