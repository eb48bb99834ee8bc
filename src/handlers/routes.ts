import type { Context } from "probot";
import type { AppDeps } from "./app-deps.js";

import type { EmitterWebhookEventName } from "@octokit/webhooks";

type EventName = EmitterWebhookEventName;

/** A route as written: its event, reader and handler typed together (see {@link readingRoute}). */
export interface TypedRoute<E extends EventName, T> {
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
 * A route of the routing table, whatever its event: its reader and handler take what the route's
 * own event delivers, so from outside they are called only through {@link readRoute} and
 * {@link dispatchRoute}. Any `TypedRoute` is one, with no cast (parameters are contravariant).
 */
export interface Route {
  event: EventName;
  read: (payload: never) => unknown;
  handle: (deps: AppDeps, context: never, read: never) => Promise<void>;
}

/**
 * The one place a delivery is taken to be of its route's event. Safe because a route is asked
 * only about deliveries of its own event: Probot calls the listener `probot.on(r.event, …)` only
 * for deliveries of that event whose signature it verified (@octokit/webhooks), and
 * `routesFor` picks routes by the same name; what the reader goes on to use, it checks (a
 * payload it cannot read fails the delivery, see `readRoute`).
 */
const ofRouteEvent = (delivery: unknown): never => delivery as never;

/**
 * A route whose predicate only says yes or no (the handler reads the payload itself): `accepts`
 * is the whole reading.
 */
export const route = <E extends EventName>(
  event: E,
  handle: (deps: AppDeps, context: Context<E>) => Promise<void>,
  accepts: (payload: Context<E>["payload"]) => boolean,
): Route => ({ event, read: readerOf(accepts), handle });

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
  read: TypedRoute<E, T>["read"],
  handle: TypedRoute<E, T>["handle"],
): Route => ({ event, read, handle });

/** What a route made of a payload: nothing to do, a reading to hand on, or a payload it could not read. */
export type RouteReading =
  { kind: "skip" } | { kind: "act"; value: unknown } | { kind: "unreadable"; error: unknown };

/** Reads a payload for a route, once. */
export const readRoute = (r: Route, payload: unknown): RouteReading => {
  try {
    const value = r.read(ofRouteEvent(payload));
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
  // The reading is what this route's own reader returned for this delivery.
  await r.handle(deps, ofRouteEvent(context), ofRouteEvent(reading.value));
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
