import type { Context } from "probot";
import type { AppDeps } from "./app-deps.js";

import type { EmitterWebhookEventName } from "@octokit/webhooks";

type EventName = EmitterWebhookEventName;

export interface Route<E extends EventName = EventName, T = unknown> {
  event: E;
  /**
   * What the handler acts on, read from the payload alone (no config, no API call): undefined
   * only when the handler would make no API call and no reply. A payload the reader cannot read
   * (a field missing, a wrong type) makes it throw, which counts as accepted: the delivery then
   * fails the way a handler reading it would.
   */
  read: (payload: Context<E>["payload"]) => T | undefined;
  /** Acts on what `read` returned. */
  handle: (deps: AppDeps, context: Context<E>, read: T) => Promise<void>;
}

/**
 * A route whose predicate only says yes or no (the handler reads the payload itself): `accepts`
 * is the whole reading.
 */
export const route = <E extends EventName>(
  event: E,
  handle: (deps: AppDeps, context: Context<E>) => Promise<void>,
  accepts: (payload: Context<E>["payload"]) => boolean,
): Route => readingRoute(event, readerOf(accepts) as Route<E, true>["read"], handle);

/** One reader per predicate, so routes sharing a predicate share a reader. */
const readers = new WeakMap<object, (payload: never) => true | undefined>();
const readerOf = (accepts: (payload: never) => boolean) => {
  let read = readers.get(accepts);
  if (!read) {
    read = (payload) => (accepts(payload) ? true : undefined);
    readers.set(accepts, read);
  }
  return read;
};

/** Keeps each route's event, reader and handler types tied together. */
export const readingRoute = <E extends EventName, T>(
  event: E,
  read: Route<E, T>["read"],
  handle: Route<E, T>["handle"],
): Route => ({ event, read, handle }) as unknown as Route;

/** What a route made of a payload: nothing to do, a reading to hand on, or a payload it could not read. */
export type RouteReading =
  { kind: "skip" } | { kind: "act"; value: unknown } | { kind: "unreadable"; error: unknown };

/** Reads a payload for a route, once. */
export const readRoute = (r: Route, payload: unknown): RouteReading => {
  try {
    const value = r.read(payload as never);
    return value === undefined ? { kind: "skip" } : { kind: "act", value };
  } catch (error) {
    return { kind: "unreadable", error };
  }
};

/**
 * Hands a delivery to a route's handler with the payload read once: nothing happens when the
 * route would not act; a payload the route could not read fails the delivery, as its handler
 * would have.
 */
export const dispatchRoute = async (
  r: Route,
  deps: AppDeps,
  context: { payload: unknown },
  reading: RouteReading = readRoute(r, context.payload),
): Promise<void> => {
  if (reading.kind === "skip") return;
  if (reading.kind === "unreadable") throw reading.error;
  await r.handle(deps, context as never, reading.value);
};

/**
 * Whether a route might act on a payload (the webhook pre-filter's question): its reader, with a
 * payload it cannot read given to the app (which then fails the way it always did).
 */
export const routeAccepts = (r: Route, payload: unknown): boolean => readRoute(r, payload).kind !== "skip";

/** The routes a delivery of `event` (with the payload's `action`, when it has one) reaches. */
export const routesFor = (routes: readonly Route[], event: string, action: unknown): Route[] =>
  routes.filter((r) => r.event === event || (typeof action === "string" && r.event === `${event}.${action}`));

/** Whether any route of a table would act on a delivery (the webhook pre-filter's question). */
export const routesWouldAct =
  (routes: readonly Route[]) =>
  (event: string, action: unknown, payload: unknown): boolean =>
    routesFor(routes, event, action).some((r) => routeAccepts(r, payload));

/** The webhook event names (without actions) a list of routes subscribes to, for app.yml. */
export const subscribedEvents = (routes: readonly Route[]): string[] =>
  [...new Set(routes.map((r) => r.event.split(".")[0] ?? r.event))].sort();
