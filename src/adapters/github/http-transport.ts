/**
 * A `fetch` for GitHub's API over `node:http`/`node:https` with keep-alive agents: what
 * `@octokit/request`'s `fetchWrapper` and `getResponseData` use of `fetch`, and nothing more.
 *
 * Why not Node's own fetch: touching any of its globals (`fetch`, `Headers`, `Response`,
 * `Request`, `FormData`) loads Node's bundled undici, about 10 MB of RSS that the app would then
 * hold for good from its first GitHub request (docs/dependencies.md). Nothing here touches them.
 *
 * Where Octokit or the app depends on it, this behaves as the Fetch standard
 * (https://fetch.spec.whatwg.org/) and Node's undici do; each such place names its section.
 * Not implemented, because no GitHub request needs them: `Blob`/`FormData` bodies, `clone()`,
 * `blob()`/`formData()`, CORS, caches, cookies.
 */
import {
  Agent as HttpAgent,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request as httpRequest,
} from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { pipeline, Readable, type Transform } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { constants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** What a request's body may be (the Fetch standard's BodyInit, less Blob and FormData). */
export type TransportBody =
  | string
  | ArrayBuffer
  | ArrayBufferView
  | URLSearchParams
  | WebReadableStream<Uint8Array>
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

export type TransportHeadersInit =
  Record<string, string | number | readonly string[] | undefined> | Iterable<readonly [string, string]>;

export interface TransportInit {
  method?: string;
  headers?: TransportHeadersInit;
  body?: TransportBody | null;
  redirect?: "follow" | "manual" | "error";
  signal?: AbortSignal | null;
  /** Required with a stream or async iterable body, as in fetch (https://fetch.spec.whatwg.org/#dom-requestinit-duplex). */
  duplex?: "half";
}

export interface TransportOptions {
  /** From sending the request to the response's headers; undici's `headersTimeout` default, 300 s. */
  headersTimeoutMs?: number;
  /** The longest gap between two chunks of a body; undici's `bodyTimeout` default, 300 s. */
  bodyTimeoutMs?: number;
  /** An idle keep-alive socket is closed after this (undici's `keepAliveTimeout` default, 4 s). */
  keepAliveMs?: number;
}

const DEFAULTS: Required<TransportOptions> = {
  headersTimeoutMs: 300_000,
  bodyTimeoutMs: 300_000,
  keepAliveMs: 4_000,
};

/** Fetch standard §4.4 HTTP-redirect fetch, step 5: more than 20 redirects is a network error. */
const MAX_REDIRECTS = 20;
/** More content codings than this is an error (undici's limit, against chained decompression). */
const MAX_CONTENT_CODINGS = 5;
/** Fetch standard: a redirect status (https://fetch.spec.whatwg.org/#redirect-status). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Fetch standard: a null body status (https://fetch.spec.whatwg.org/#null-body-status). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Fetch standard: request-body-header names, dropped when a redirect turns a request into a GET. */
const REQUEST_BODY_HEADERS = ["content-encoding", "content-language", "content-location", "content-type"];
/**
 * Dropped on a redirect to another origin: `authorization` (Fetch standard §4.4 step 13), and
 * `cookie` and `proxy-authorization` as undici drops them. GitHub's archive and artifact
 * downloads redirect to storage hosts with a signed URL, which must not receive the token.
 */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
/** RFC 9110 §9.2.2: safe to send again when a reused keep-alive socket was already closed. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
/** Fetch standard: the methods that are normalized to upper case (https://fetch.spec.whatwg.org/#concept-method-normalize). */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/** A network error as undici reports it: `TypeError("fetch failed")` with the reason as `cause`. */
const networkError = (cause: unknown): TypeError => new TypeError("fetch failed", { cause });

/** An error with a `code`, as undici's own errors carry one (`UND_ERR_HEADERS_TIMEOUT` …). */
const codedError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

/** What an aborted fetch rejects with: the signal's reason, as undici does (an `AbortError` `DOMException` by default). */
const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException("This operation was aborted", "AbortError");

/**
 * Response headers as the Fetch standard's `Headers` presents them: names lower-cased, iteration
 * sorted by name with values of one name combined by ", " ("sort and combine";
 * `set-cookie` yields each value on its own).
 */
export class TransportHeaders implements Iterable<[string, string]> {
  readonly #values = new Map<string, string[]>();

  constructor(rawHeaders: readonly string[] = []) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = String(rawHeaders[i]).toLowerCase();
      const value = String(rawHeaders[i + 1]);
      const list = this.#values.get(name);
      if (list) list.push(value);
      else this.#values.set(name, [value]);
    }
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase())?.join(", ") ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, values] of [...this.#values].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      if (name === "set-cookie") for (const value of values) yield [name, value];
      else yield [name, values.join(", ")];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string, headers: TransportHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A response, with the members of the Fetch standard's `Response` that Octokit reads. */
export class TransportResponse {
  readonly type = "basic";
  readonly #stream: Readable | null;
  #web: WebReadableStream<Uint8Array> | undefined;
  #used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: TransportHeaders,
    /** The final URL, after redirects, without its fragment (Fetch standard: `Response.url`). */
    readonly url: string,
    readonly redirected: boolean,
    stream: Readable | null,
  ) {
    this.#stream = stream;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** The body as a web stream (`node:stream/web`), null for HEAD and the null body statuses. */
  get body(): WebReadableStream<Uint8Array> | null {
    if (!this.#stream) return null;
    this.#web ??= Readable.toWeb(this.#stream) as WebReadableStream<Uint8Array>;
    return this.#web;
  }

  /** Fetch standard: whether the body was read ("disturbed"), by a reader or a consuming method. */
  get bodyUsed(): boolean {
    return this.#used || (this.#web !== undefined && Readable.isDisturbed(this.#web as unknown as Readable));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  /** UTF-8 decode, a leading BOM dropped (Fetch standard: `text()` → "UTF-8 decode"). */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.#bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async #bytes(): Promise<Buffer> {
    // Fetch standard: "consume body" rejects with a TypeError when the body is unusable.
    if (this.bodyUsed || this.#web?.locked)
      throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    if (!this.#stream) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.#web ?? this.#stream) chunks.push(Buffer.from(chunk as Uint8Array));
    } catch (error) {
      // undici rejects a body cut short with `TypeError("terminated")`; an abort keeps its reason.
      if (error instanceof DOMException || (error as Error | undefined)?.name === "AbortError") throw error;
      throw new TypeError("terminated", { cause: error });
    }
    return Buffer.concat(chunks);
  }
}

/** A request body ready to send: bytes can be sent again after a redirect, a stream cannot. */
type PreparedBody = { kind: "bytes"; bytes: Buffer } | { kind: "stream"; stream: Readable };

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array | string> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

const isWebStream = (value: unknown): value is WebReadableStream<Uint8Array> =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { getReader?: unknown }).getReader === "function" &&
  typeof (value as { pipeThrough?: unknown }).pipeThrough === "function";

/** Fetch standard "extract a body": the bytes or stream, and the content type it implies. */
const prepareBody = (
  body: TransportBody,
  duplex: string | undefined,
  headers: Map<string, string>,
): PreparedBody => {
  const defaultType = (type: string) => {
    if (!headers.has("content-type")) headers.set("content-type", type);
  };
  if (typeof body === "string") {
    defaultType("text/plain;charset=UTF-8");
    return { kind: "bytes", bytes: Buffer.from(body, "utf8") };
  }
  if (body instanceof URLSearchParams) {
    defaultType("application/x-www-form-urlencoded;charset=UTF-8");
    return { kind: "bytes", bytes: Buffer.from(body.toString(), "utf8") };
  }
  if (body instanceof ArrayBuffer) return { kind: "bytes", bytes: Buffer.from(body.slice(0)) };
  if (ArrayBuffer.isView(body)) {
    // A copy, as the standard takes one: the caller may reuse its buffer.
    return {
      kind: "bytes",
      bytes: Buffer.from(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)),
    };
  }
  if (isWebStream(body) || isAsyncIterable(body)) {
    // undici: "RequestInit: duplex option is required when sending a body." (a stream's source is null).
    if (duplex !== "half") throw new TypeError("RequestInit: duplex option is required when sending a body.");
    return {
      kind: "stream",
      stream: isWebStream(body)
        ? Readable.fromWeb(body as never)
        : Readable.from(body, { objectMode: false }),
    };
  }
  throw new TypeError(`unsupported request body (${Object.prototype.toString.call(body)})`);
};

const headerMap = (init: TransportHeadersInit | undefined): Map<string, string> => {
  const headers = new Map<string, string>();
  const append = (name: string, value: string) => {
    const key = name.toLowerCase();
    const before = headers.get(key);
    headers.set(key, before === undefined ? value : `${before}, ${value}`);
  };
  if (!init) return headers;
  if (Symbol.iterator in init) {
    for (const [name, value] of init as Iterable<readonly [string, string]>) append(name, String(value));
    return headers;
  }
  for (const [name, value] of Object.entries(init)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) append(name, String(v));
    else append(name, String(value));
  }
  return headers;
};

/**
 * The decoders for a response's `Content-Encoding`, applied last-first (RFC 9110 §8.4: codings
 * are listed in the order they were applied). As undici does: gzip/x-gzip, deflate (zlib
 * format, RFC 9110 §8.4.1.2) and br, decoded leniently (a truncated end flushes what came); an
 * unknown coding leaves the body as it is.
 */
const decodersFor = (contentEncoding: string | undefined): Transform[] => {
  const codings = (contentEncoding ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length > MAX_CONTENT_CODINGS) throw networkError(new Error("too many content-encodings"));
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    const zlibFlush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
    if (coding === "gzip" || coding === "x-gzip") decoders.push(createGunzip(zlibFlush));
    else if (coding === "deflate") decoders.push(createInflate(zlibFlush));
    else if (coding === "br")
      decoders.push(
        createBrotliDecompress({
          flush: constants.BROTLI_OPERATION_FLUSH,
          finishFlush: constants.BROTLI_OPERATION_FLUSH,
        }),
      );
    else return [];
  }
  return decoders;
};

interface Sent {
  response: IncomingMessage;
  /** Stops watching the signal and the timers; call once the body is done with. */
  release: () => void;
}

export type TransportFetch = (input: string | URL, init?: TransportInit) => Promise<TransportResponse>;

/**
 * A `fetch` over node:http/node:https with its own keep-alive agents (one per transport). Hand
 * it to Octokit as `request.fetch`.
 */
export const createHttpTransport = (options: TransportOptions = {}): TransportFetch => {
  const settings = { ...DEFAULTS, ...options };
  // Idle keep-alive sockets are unref'd by the agent, so they never keep the process running.
  const httpAgent = new HttpAgent({ keepAlive: true, timeout: settings.keepAliveMs });
  // node:https (and TLS) only once a request goes to an https URL.
  let https: Promise<{ agent: HttpsAgent; request: typeof httpRequest }> | undefined;
  const httpsClient = () =>
    (https ??= import("node:https").then((m) => ({
      agent: new m.Agent({ keepAlive: true, timeout: settings.keepAliveMs }),
      request: m.request,
    })));

  const sendOnce = async (
    url: URL,
    method: string,
    headers: Map<string, string>,
    body: PreparedBody | null,
    signal: AbortSignal | undefined,
  ): Promise<Sent & { retry?: true }> => {
    const client =
      url.protocol === "https:" ? await httpsClient() : { agent: httpAgent, request: httpRequest };
    if (signal?.aborted) throw abortReason(signal);
    const outgoing: OutgoingHttpHeaders = Object.fromEntries(headers);
    if (body?.kind === "bytes") outgoing["content-length"] = String(body.bytes.length);
    // Fetch standard §4.5 step 8: a POST or PUT with no body says `Content-Length: 0`.
    else if (!body && (method === "POST" || method === "PUT")) outgoing["content-length"] = "0";
    return new Promise((resolve, reject) => {
      let settled = false;
      let bodyTimer: NodeJS.Timeout | undefined;
      const request: ClientRequest = client.request(url, { method, headers: outgoing, agent: client.agent });
      const headersTimer = setTimeout(
        () => request.destroy(codedError("Headers Timeout Error", "UND_ERR_HEADERS_TIMEOUT")),
        settings.headersTimeoutMs,
      ).unref();
      const onAbort = () => {
        const reason = signal ? abortReason(signal) : undefined;
        request.destroy(reason as Error);
        if (!settled) {
          settled = true;
          release();
          reject(reason);
        }
      };
      const release = () => {
        clearTimeout(headersTimer);
        clearTimeout(bodyTimer);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        release();
        // https://nodejs.org/api/http.html#requestreusedsocket: a server may close an idle
        // keep-alive socket just as it is reused; an idempotent request is sent once more.
        const replayable = body === null || body.kind === "bytes";
        if (request.reusedSocket && error.code === "ECONNRESET" && IDEMPOTENT.has(method) && replayable)
          resolve({ response: undefined as never, release, retry: true });
        else reject(signal?.aborted ? abortReason(signal) : networkError(error));
      });
      request.on("response", (response) => {
        clearTimeout(headersTimer);
        if (settled) return response.destroy();
        settled = true;
        // Body timeout (undici's `bodyTimeout`): armed now, reset by every chunk read.
        const bodyTimeout = () => response.destroy(codedError("Body Timeout Error", "UND_ERR_BODY_TIMEOUT"));
        bodyTimer = setTimeout(bodyTimeout, settings.bodyTimeoutMs).unref();
        response.on("data", () => bodyTimer?.refresh());
        response.pause();
        response.once("close", release);
        resolve({ response, release });
      });
      if (body?.kind === "stream") {
        body.stream.once("error", (error) => request.destroy(error));
        body.stream.pipe(request);
      } else request.end(body?.bytes);
    });
  };

  const send = async (...args: Parameters<typeof sendOnce>): Promise<Sent> => {
    const sent = await sendOnce(...args);
    return sent.retry ? sendOnce(...args) : sent;
  };

  return async (input, init = {}) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal);
    let url: URL;
    try {
      url = new URL(String(input));
    } catch (cause) {
      throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
    }
    if (url.username || url.password)
      throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.href}`);
    const given = init.method ?? "GET";
    let method = NORMALIZED_METHODS.has(given.toUpperCase()) ? given.toUpperCase() : given;
    const headers = headerMap(init.headers);
    let body = init.body == null ? null : prepareBody(init.body, init.duplex, headers);
    if (body && (method === "GET" || method === "HEAD"))
      throw new TypeError("Request with GET/HEAD method cannot have body.");
    // Fetch standard §4.1 main fetch step 12 (`Accept: */*`) and §4.5 HTTP-network-or-cache
    // fetch (`Accept-Encoding`), as undici sends them.
    if (!headers.has("accept")) headers.set("accept", "*/*");
    if (!headers.has("accept-encoding")) headers.set("accept-encoding", "gzip, deflate, br");
    const mode = init.redirect ?? "follow";

    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw networkError(new Error(`URL scheme must be a HTTP(S) scheme: ${url.protocol}`));
      const { response, release } = await send(url, method, headers, body, signal);
      const status = response.statusCode ?? 0;
      const location = REDIRECT_STATUSES.has(status) ? response.headers.location : undefined;
      // §4.4 HTTP-redirect fetch, for "follow"; "manual" hands the redirect back as it came.
      if (location !== undefined && mode !== "manual") {
        response.resume(); // its body is not wanted; the socket goes back to the agent
        if (mode === "error") throw networkError(new Error("unexpected redirect"));
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (cause) {
          throw networkError(cause);
        }
        if (next.protocol !== "http:" && next.protocol !== "https:")
          throw networkError(new Error(`URL scheme must be a HTTP(S) scheme: ${next.protocol}`));
        if (redirects + 1 > MAX_REDIRECTS) throw networkError(new Error("redirect count exceeded"));
        // Step 11: a body that cannot be sent again ends the fetch, except for a 303.
        if (status !== 303 && body?.kind === "stream")
          throw networkError(new Error("cannot follow a redirect with a streamed request body"));
        // Step 12: 301/302 after a POST, and 303 after anything but GET/HEAD, become a GET without a body.
        if (
          ((status === 301 || status === 302) && method === "POST") ||
          (status === 303 && method !== "GET" && method !== "HEAD")
        ) {
          method = "GET";
          body = null;
          for (const name of [...REQUEST_BODY_HEADERS, "content-length"]) headers.delete(name);
        }
        if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
        url = next;
        continue;
      }
      const finalUrl = new URL(url);
      finalUrl.hash = "";
      const responseHeaders = new TransportHeaders(response.rawHeaders);
      const statusText = response.statusMessage ?? "";
      // HEAD and the null body statuses have no body (Fetch standard §4.6 step 16 / §4.1 step 15).
      if (method === "HEAD" || method === "CONNECT" || NULL_BODY_STATUSES.has(status)) {
        response.resume();
        release();
        return new TransportResponse(status, statusText, responseHeaders, finalUrl.href, redirects > 0, null);
      }
      let decoders: Transform[];
      try {
        decoders = decodersFor(response.headers["content-encoding"]);
      } catch (error) {
        response.destroy();
        throw error;
      }
      const stream: Readable =
        decoders.length === 0
          ? response
          : (pipeline([response, ...decoders], () => undefined) as unknown as Readable);
      // An abort after the headers ends the body with the signal's reason (Fetch standard "abort fetch").
      if (signal) {
        const onAbort = () => stream.destroy(abortReason(signal) as Error);
        signal.addEventListener("abort", onAbort, { once: true });
        stream.once("close", () => signal.removeEventListener("abort", onAbort));
      }
      return new TransportResponse(status, statusText, responseHeaders, finalUrl.href, redirects > 0, stream);
    }
  };
};
