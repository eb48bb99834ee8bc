import type { IncomingMessage, ServerResponse } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Metrics } from "../../ports/metrics.js";
import { trimTrailingSlashes } from "../../domain/trailing-slashes.js";

export interface WebhookPrefilterOptions<R> {
  /** The webhook secret deliveries are signed with. */
  secret: string;
  /** The path Probot's middleware takes webhooks on. */
  path: string;
  /** The routing table (the only listeners Probot has), asked about verified deliveries only. */
  routes: {
    /**
     * Whether any route listens to deliveries of `event` (the X-GitHub-Event name), whatever
     * their action: a delivery of another event is answered without its body being parsed.
     */
    listensTo: (event: string) => boolean;
    /**
     * The routes' reading of a delivery of `event` (with the payload's `action`) when one would
     * act on it; undefined when none would. It is handed on with the delivery, so the payload is
     * read once.
     */
    read: (event: string, action: unknown, payload: Record<string, unknown>) => Promise<R | undefined>;
  };
  metrics: Pick<Metrics, "webhookIgnored">;
  /**
   * Takes the work of a delivery a route accepts, with its reading, to run after the answer
   * (true: answered 200 here); false, or absent, hands the delivery to Probot's middleware, which
   * answers once its listeners are done.
   */
  takeAccepted?: (delivery: {
    id: string;
    name: string;
    payload: Record<string, unknown>;
    reading: R;
  }) => Promise<boolean>;
  /** The largest body taken, in bytes (default 25 MiB, GitHub's payload cap). */
  maxBodyBytes?: number;
  /** How long a body may take to arrive once its headers did (default 10 s, GitHub's delivery timeout). */
  bodyTimeoutMs?: number;
}

/**
 * GitHub caps webhook payloads at 25 MB and never sends more: "Payloads are capped at 25 MB. If an
 * event generates a larger payload, GitHub will not deliver a payload for that webhook event."
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap). A bigger body
 * is not GitHub's, so it is refused before it is buffered.
 */
export const GITHUB_PAYLOAD_CAP_BYTES = 25 * 1024 * 1024;

/**
 * GitHub gives up on a delivery the receiver has not answered within 10 seconds
 * (https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks#respond-within-10-seconds):
 * a body still arriving after that is no delivery of GitHub's.
 */
export const WEBHOOK_BODY_TIMEOUT_MS = 10_000;

/** Answers the request, or hands it on to Probot's middleware. */
export type WebhookPrefilter = (req: IncomingMessage, res: ServerResponse, passOn: () => void) => void;

// What Probot's middleware asks of a delivery before reading it; anything else goes to it as is.
const JSON_CONTENT_TYPE = /^\s*(application\/json)\s*(?:;|$)/u;
const REQUIRED_HEADERS = ["x-github-event", "x-hub-signature-256", "x-github-delivery"] as const;
// Fatal: a body that is not UTF-8 is told apart (https://encoding.spec.whatwg.org/#dom-textdecoder).
const decoder = new TextDecoder("utf-8", { fatal: true });

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

const isWebhookPath = (req: IncomingMessage, path: string): boolean =>
  req.method === "POST" &&
  trimTrailingSlashes((req.url ?? "/").split("?")[0] ?? "") === trimTrailingSlashes(path);

const isWebhookPost = (req: IncomingMessage, path: string): boolean =>
  isWebhookPath(req, path) &&
  JSON_CONTENT_TYPE.test(header(req, "content-type") ?? "") &&
  REQUIRED_HEADERS.every((name) => header(req, name) !== undefined);

type BodyRead =
  | {
      kind: "body";
      bytes: Buffer;
      text: string;
      /** False when the bytes are not UTF-8 (`text` then has replacement characters). */
      utf8: boolean;
    }
  | { kind: "too-large" }
  | { kind: "timeout" }
  | { kind: "broken" };

/**
 * The body, counted while it streams: over `max` bytes (declared up front or counted) it is
 * dropped at once and never concatenated; not complete within `timeoutMs` it is given up.
 */
const readBody = (req: IncomingMessage, max: number, timeoutMs: number): Promise<BodyRead> =>
  new Promise((resolve) => {
    const declared = Number(header(req, "content-length") ?? Number.NaN);
    if (declared > max) return resolve({ kind: "too-large" });
    let chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onError).off("aborted", onError);
      chunks = [];
      resolve(result);
    };
    // A chunk is often a view of a larger socket read buffer, which it keeps alive: kept as a
    // copy, a body holds its own size in memory, not that many read buffers.
    const own = (chunk: Buffer) => (chunk.byteLength < chunk.buffer.byteLength ? Buffer.from(chunk) : chunk);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return finish({ kind: "too-large" });
      // The first chunk is kept as it came (most deliveries are one chunk, decoded from it with no
      // copy); once a second comes, it is copied too.
      const [first] = chunks;
      if (first && chunks.length === 1) chunks[0] = own(first);
      chunks.push(first ? own(chunk) : chunk);
    };
    const onEnd = () => {
      const [first] = chunks;
      const bytes = first && chunks.length === 1 ? first : Buffer.concat(chunks, size);
      let text: string;
      let utf8 = true;
      try {
        text = decoder.decode(bytes);
      } catch {
        text = bytes.toString("utf8");
        utf8 = false;
      }
      finish({ kind: "body", bytes, text, utf8 });
    };
    const onError = () => finish({ kind: "broken" });
    const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
    timer.unref();
    req.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onError);
  });

/**
 * Answers a request whose body is not taken, then stops reading it: the socket is paused (the
 * sender is held by TCP flow control, nothing more is buffered) and closed shortly after, so the
 * sender can read the answer first (a reset would make its kernel drop an answer still unread).
 */
const refuse = (req: IncomingMessage, res: ServerResponse, status: number, error: string): void => {
  // Taken as read, so that Node does not drain (read and discard) the rest once answered.
  req.on("data", () => undefined).pause();
  if (!res.headersSent) {
    const body = JSON.stringify({ error });
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      connection: "close",
    });
    res.end(body);
  }
  setTimeout(() => req.destroy(), 2_000).unref();
};

/**
 * Whether `signature` (the X-Hub-Signature-256 header) is GitHub's signature of the body: GitHub
 * sends `sha256=` and the hex HMAC-SHA256 digest of the payload keyed with the webhook secret, to
 * be compared in constant time (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries;
 * Node's `crypto.timingSafeEqual`, https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b).
 * The digest is taken over the bytes as received, not over a string re-encoded from them. What
 * it accepts is what @octokit/webhooks-methods' `verify` (Probot's check) accepts: the whole
 * header, lower-case hex; an empty body or secret is never verified.
 */
const isSignedBy = (secret: string, bytes: Buffer, signature: string): boolean => {
  if (!secret || bytes.length === 0) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** The answer Probot's middleware gives a delivery it took (same status, headers and body). */
const answerOk = (res: ServerResponse): void => {
  res.writeHead(200, { "content-type": "text/plain", accept: "application/json", "content-length": "3" });
  res.end("ok\n");
};

/**
 * The fields every route reads from a delivery before anything else (the repository it acts on
 * and the installation whose token it acts with). GitHub sends both on every event the app
 * subscribes to (https://docs.github.com/en/webhooks/webhook-events-and-payloads: `repository`
 * and `installation` are common properties of repository events delivered to a GitHub App).
 */
const hasRouteBasics = (payload: Record<string, unknown>): boolean => {
  const repository = payload.repository as { name?: unknown; owner?: { login?: unknown } } | null | undefined;
  const installation = payload.installation as { id?: unknown } | null | undefined;
  return (
    typeof repository === "object" &&
    repository !== null &&
    typeof repository.name === "string" &&
    typeof repository.owner === "object" &&
    repository.owner !== null &&
    typeof repository.owner.login === "string" &&
    typeof installation === "object" &&
    installation !== null &&
    typeof installation.id === "number"
  );
};

/** The JSON object of a body, or undefined when it is not one. */
const parseObject = (body: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * In front of Probot's middleware, for every POST to the webhook path:
 *
 * - the body is capped while it streams (a declared Content-Length over the cap is refused before
 *   a byte is read; a body that grows past it is dropped the moment it does): 413;
 * - a body that does not arrive within the deadline: 408 (a slow sender holds no socket for long);
 * - a correctly signed delivery of an event no route listens to is answered 200 at once, counted,
 *   and its body never parsed (an App is sent the events it subscribes to,
 *   https://docs.github.com/en/apps/creating-github-apps/registering-a-github-app/using-webhooks-with-github-apps,
 *   but a repository or organization hook with the same secret may send any);
 * - a correctly signed body of an event a route listens to that is not a JSON object, or that a
 *   route would act on but lacks the repository and installation every route reads: 400 with a
 *   fixed message (no parser or handler internals);
 * - a correctly signed delivery that no route accepts (a comment with no command, a push that
 *   does not touch the config, a PR that is no release…) is answered 200 at once, counted, and
 *   never becomes a Probot context with its installation Octokit;
 * - a correctly signed delivery a route accepts is handed to `takeAccepted` with the routes'
 *   reading of it and answered 200 before its work runs (verified, parsed and read once, here).
 *
 * Everything else reaches Probot as it came: a delivery a route accepts that `takeAccepted`
 * leaves, one with a bad or missing signature or headers (Probot refuses it with the same 4xx as
 * ever). The body read here is handed on as `req.body`, which Probot's middleware reads instead
 * of the (already consumed) stream.
 */
export const createWebhookPrefilter = <R>(options: WebhookPrefilterOptions<R>): WebhookPrefilter => {
  const { secret, path, routes, metrics, takeAccepted } = options;
  const maxBodyBytes = options.maxBodyBytes ?? GITHUB_PAYLOAD_CAP_BYTES;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? WEBHOOK_BODY_TIMEOUT_MS;
  return (req, res, passOn) => {
    if (!isWebhookPath(req, path)) {
      passOn();
      return;
    }
    const decide = async (): Promise<void> => {
      const read = await readBody(req, maxBodyBytes, bodyTimeoutMs);
      if (read.kind === "too-large")
        return refuse(req, res, 413, `payload larger than ${maxBodyBytes} bytes (GitHub's cap)`);
      if (read.kind === "timeout") return refuse(req, res, 408, "payload not received in time");
      if (read.kind === "broken") return refuse(req, res, 400, "payload could not be read");
      const body = read.text;
      (req as IncomingMessage & { body?: string }).body = body;
      if (!isWebhookPost(req, path)) {
        passOn();
        return;
      }
      // Probot verifies the signature over the body as text: a body that is not UTF-8 goes to it
      // and is refused there as ever, rather than accepted here on its raw bytes.
      if (!read.utf8 || !isSignedBy(secret, read.bytes, header(req, "x-hub-signature-256") ?? "")) {
        passOn();
        return;
      }
      const event = header(req, "x-github-event") ?? "";
      if (!routes.listensTo(event)) {
        // Nothing would read it: answered as Probot answers a delivery no listener takes.
        metrics.webhookIgnored(event);
        return answerOk(res);
      }
      const payload = parseObject(body);
      if (!payload) return refuse(req, res, 400, "payload is not a JSON object");
      const action = payload.action;
      const reading = await routes.read(event, action, payload);
      if (reading !== undefined) {
        if (!hasRouteBasics(payload))
          return refuse(req, res, 400, "payload lacks the repository or installation of the event");
        const id = header(req, "x-github-delivery") ?? "";
        if (await takeAccepted?.({ id, name: event, payload, reading })) return answerOk(res);
        passOn();
        return;
      }
      metrics.webhookIgnored(typeof action === "string" ? `${event}.${action}` : event);
      answerOk(res);
    };
    // `read` and `takeAccepted` are not meant to reject; one that does leaves the delivery to
    // Probot's middleware (which fails it with its own status), never an unhandled rejection.
    decide().catch(() => {
      if (!res.headersSent) passOn();
    });
  };
};
