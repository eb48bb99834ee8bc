// Handlers are registered by GitHub operationId (the OpenAPI spec does the path matching).
import type { Emitter } from "./webhooks.js";
import type { App, Repo, User, World } from "./state.js";
import { repoKey } from "./state.js";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: Buffer; // bytes sent as-is (artifact zips)
}

export interface Ctx {
  world: World;
  hooks: Emitter;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** Who the request's token acts as: the App's bot, or the person owning a personal token. */
  actor: User;
  /** The App the request acts through (its installation token); undefined for a person's token. */
  viaApp: App | undefined;
  fromApp: boolean;
}

export type Handler = (ctx: Ctx) => Promise<Reply> | Reply;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function notFound(): HttpError {
  return new HttpError(404, "Not Found");
}

export function unprocessable(message: string, errors?: unknown[]): HttpError {
  return new HttpError(422, message, errors ? { errors } : {});
}

export const routes = new Map<string, Handler>();

/** Register handlers for operationIds; each routes/*.ts file calls this once. */
export function register(table: Record<string, Handler>): void {
  for (const [operationId, handler] of Object.entries(table)) routes.set(operationId, handler);
}

export function repoOf(ctx: Ctx): Repo {
  const repo = ctx.world.repos.get(repoKey(ctx.params.owner ?? "", ctx.params.repo ?? ""));
  if (!repo) throw notFound();
  return repo;
}

export function ok(body: unknown, status = 200, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

/** per_page/page slicing with GitHub's Link header. */
export function paginate<T>(ctx: Ctx, items: T[], path: string, wrap?: (page: T[]) => unknown): Reply {
  const perPage = Math.min(Math.max(Number(ctx.query.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const links: string[] = [];
  const link = (p: number, rel: string): string => {
    const q = new URLSearchParams(ctx.query);
    q.set("per_page", String(perPage));
    q.set("page", String(p));
    return `<${ctx.world.baseUrl}${path}?${q.toString()}>; rel="${rel}"`;
  };
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  return ok(wrap ? wrap(slice) : slice, 200, links.length ? { link: links.join(", ") } : undefined);
}

export function str(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "")
    throw unprocessable(`Invalid request.\n\n"${name}" wasn't supplied.`);
  return value;
}
