import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import { type Route, routeAccepts, routesFor } from "./handlers/routes.js";
import type { Metrics } from "./ports/metrics.js";

export interface WebhookPrefilterOptions {
  /** The webhook secret deliveries are signed with. */
  secret: string;
  /** The path Probot's middleware takes webhooks on. */
  path: string;
  /** The routing table: its routes are the only listeners Probot has. */
  routes: readonly Route[];
  metrics: Pick<Metrics, "webhookIgnored">;
}

/** Answers the request, or hands it on to Probot's middleware. */
export type WebhookPrefilter = (req: IncomingMessage, res: ServerResponse, passOn: () => void) => void;

// What Probot's middleware asks of a delivery before reading it; anything else goes to it as is.
const JSON_CONTENT_TYPE = /^\s*(application\/json)\s*(?:;|$)/u;
const REQUIRED_HEADERS = ["x-github-event", "x-hub-signature-256", "x-github-delivery"] as const;
const decoder = new TextDecoder("utf-8", { fatal: false });

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

const isWebhookPost = (req: IncomingMessage, path: string): boolean =>
  req.method === "POST" &&
  (req.url ?? "/").split("?")[0]?.replace(/(?<!\/)\/+$/, "") === path.replace(/(?<!\/)\/+$/, "") &&
  JSON_CONTENT_TYPE.test(header(req, "content-type") ?? "") &&
  REQUIRED_HEADERS.every((name) => header(req, name) !== undefined);

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(decoder.decode(Buffer.concat(chunks))));
    req.on("error", reject);
  });

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
 * In front of Probot's middleware: a correctly signed delivery that no route accepts (a comment
 * with no command, a push that does not touch the config, a PR that is no release…) is answered
 * 200 at once, counted, and never becomes a Probot context with its installation Octokit.
 * Everything else reaches Probot as it came: a delivery a route accepts, one with a bad or
 * missing signature (Probot refuses it with the same 4xx as ever), a body that is not a JSON
 * object. The body read here is handed on as `req.body`, which Probot's middleware reads
 * instead of the (already consumed) stream.
 */
export const createWebhookPrefilter = (options: WebhookPrefilterOptions): WebhookPrefilter => {
  const { secret, path, routes, metrics } = options;
  return (req, res, passOn) => {
    if (!isWebhookPost(req, path)) {
      passOn();
      return;
    }
    const decide = async (): Promise<void> => {
      let body: string;
      try {
        body = await readBody(req);
      } catch {
        if (!res.headersSent) res.writeHead(400).end();
        return;
      }
      (req as IncomingMessage & { body?: string }).body = body;
      const signature = header(req, "x-hub-signature-256") ?? "";
      const signed = await verify(secret, body, signature).catch(() => false);
      const payload = signed ? parseObject(body) : undefined;
      if (!payload) {
        passOn();
        return;
      }
      const event = header(req, "x-github-event") ?? "";
      const action = payload.action;
      if (routesFor(routes, event, action).some((r) => routeAccepts(r, payload))) {
        passOn();
        return;
      }
      metrics.webhookIgnored(typeof action === "string" ? `${event}.${action}` : event);
      res.writeHead(200, { "content-type": "text/plain", accept: "application/json", "content-length": "3" });
      res.end("ok\n");
    };
    void decide();
  };
};
