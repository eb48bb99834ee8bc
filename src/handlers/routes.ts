import type { Context } from "probot";
import type { AppDeps } from "./app-deps.js";

import type { EmitterWebhookEventName } from "@octokit/webhooks";

type EventName = EmitterWebhookEventName;

/** A route's handler as its module exports it: its reader and handler typed together. */
export interface TypedHandler<E extends EventName, T> {
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

/** A loaded handler, whatever its event: called only through {@link readRoute} and {@link dispatchRoute}. */
export interface RouteHandler {
  read: (payload: never) => unknown;
  handle: (deps: AppDeps, context: never, read: never) => Promise<void>;
}

/**
 * A route of the routing table, whatever its event. The table holds only what is cheap at start:
 * the event, a payload-only predicate that imports nothing heavy, and the loader of the handler's
 * module. The module (its use-cases, the config schema, the Markdown parser …) is imported the
 * first time a delivery passes the predicate, once.
 */
export interface Route {
  event: EventName;
  /**
   * False only when the handler surely would not act: a cheap look at the payload (names, a
   * label, whether a line starts with `/`). Throwing counts as true, as for `read`.
   */
  mightAct: (payload: never) => boolean;
  /** The handler's module, imported on first need; the same promise after that. */
  load: () => Promise<RouteHandler>;
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
 * Imports once: every caller gets the same promise. A failed import is not kept (the next
 * delivery tries again) and fails the delivery that asked, as a handler's error would.
 */
export const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
};

/**
 * A route whose predicate is its whole reading (the handler reads the payload itself): `accepts`
 * is light and exact, and the module only gives the handler.
 */
export const route = <E extends EventName>(
  event: E,
  accepts: (payload: Context<E>["payload"]) => boolean,
  load: () => Promise<(deps: AppDeps, context: Context<E>) => Promise<void>>,
): Route => {
  const read = readerOf(accepts);
  return { event, mightAct: accepts, load: once(async () => ({ read, handle: await load() })) };
};

/**
 * A handler module's reading for a handler that reads the payload itself: its exact predicate,
 * where the table's `mightAct` is a cheaper one that lets more through.
 */
export const accepting = <E extends EventName>(
  accepts: (payload: Context<E>["payload"]) => boolean,
  handle: (deps: AppDeps, context: Context<E>) => Promise<void>,
): TypedHandler<E, true> => ({ read: readerOf(accepts), handle });

/** One reader per predicate, so routes sharing a predicate share a reader. */
const readers = new WeakMap<object, (payload: never) => true | undefined>();
const readerOf = <P>(accepts: (payload: P) => boolean): ((payload: P) => true | undefined) => {
  let read = readers.get(accepts) as ((payload: P) => true | undefined) | undefined;
  if (!read) {
    read = (payload) => (accepts(payload) ? true : undefined);
    readers.set(accepts, read);
  }
  return read;
};

/**
 * A route whose module reads the payload (a comment's command, parsed once): `mightAct` is the
 * cheap look that saves the import for deliveries that cannot need it, the module's `read` the
 * exact one. Keeps each route's event, reader and handler types tied together.
 */
export const readingRoute = <E extends EventName, T>(
  event: E,
  mightAct: (payload: Context<E>["payload"]) => boolean,
  load: () => Promise<TypedHandler<E, T>>,
): Route => ({ event, mightAct, load: once(load) });

/** What a route made of a payload: nothing to do, a reading to hand on, or a payload it could not read. */
export type RouteReading =
  | { kind: "skip" }
  | { kind: "act"; handler: RouteHandler; value: unknown }
  | { kind: "unreadable"; error: unknown };

const attempt = <T>(read: () => T): { ok: true; value: T } | { ok: false; error: unknown } => {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    return { ok: false, error };
  }
};

/**
 * Reads a payload for a route, once: the cheap predicate, then (only when it lets the delivery
 * through) the handler's module and its exact reader. An import that fails rejects, as a
 * handler's error would.
 */
export const readRoute = async (r: Route, payload: unknown): Promise<RouteReading> => {
  const might = attempt(() => r.mightAct(ofRouteEvent(payload)));
  if (might.ok && !might.value) return { kind: "skip" };
  const handler = await r.load();
  const read = attempt(() => handler.read(ofRouteEvent(payload)));
  if (!read.ok) return { kind: "unreadable", error: read.error };
  return read.value === undefined ? { kind: "skip" } : { kind: "act", handler, value: read.value };
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
  reading?: RouteReading,
): Promise<void> => {
  const read = reading ?? (await readRoute(r, context.payload));
  if (read.kind === "skip") return;
  if (read.kind === "unreadable") throw read.error;
  // The reading is what this route's own reader returned for this delivery.
  await read.handler.handle(deps, ofRouteEvent(context), ofRouteEvent(read.value));
};

/**
 * Whether a route might act on a payload: its reader, with a payload it cannot read, or a module
 * that cannot be imported, given to the app (which then fails the way it always did).
 */
export const routeAccepts = async (r: Route, payload: unknown): Promise<boolean> => {
  try {
    return (await readRoute(r, payload)).kind !== "skip";
  } catch {
    return true;
  }
};

/** The routes a delivery of `event` (with the payload's `action`, when it has one) reaches. */
export const routesFor = (routes: readonly Route[], event: string, action: unknown): Route[] =>
  routes.filter((r) => r.event === event || (typeof action === "string" && r.event === `${event}.${action}`));

/**
 * What every route a delivery reaches made of its payload: read once, where the delivery is
 * verified (the webhook pre-filter), and handed on with it to the listeners (see
 * compose-app.ts's `ReadingHandOff`), so no reader (a comment's Markdown parse) runs twice.
 */
export type DeliveryReading = ReadonlyMap<Route, RouteReading>;

/**
 * Reads a delivery for each route it reaches (`reached`, see `routesFor`), each once. A route
 * whose module cannot be imported reads as unreadable: the delivery then goes to Probot's
 * middleware, whose listener tries the import again and fails the delivery the way a handler's
 * error does.
 */
export const readDelivery = async (reached: readonly Route[], payload: unknown): Promise<DeliveryReading> => {
  const readings = new Map<Route, RouteReading>();
  for (const r of reached) {
    readings.set(
      r,
      await readRoute(r, payload).catch((error: unknown): RouteReading => ({ kind: "unreadable", error })),
    );
  }
  return readings;
};

/** Whether any route acts on a delivery (a payload one cannot read counts: it fails as it always did). */
export const actsOn = (reading: DeliveryReading): boolean => {
  for (const r of reading.values()) if (r.kind !== "skip") return true;
  return false;
};

/** What the webhook pre-filter asks of a routing table. */
export interface RoutesReading {
  /** Whether any route listens to deliveries of `event` (the X-GitHub-Event name), whatever their action. */
  listensTo(event: string): boolean;
  /** The reading of a delivery when a route would act on it; undefined when none would. */
  read(event: string, action: unknown, payload: unknown): Promise<DeliveryReading | undefined>;
}

/**
 * The webhook pre-filter's questions for a routing table, with the table indexed once by event
 * name (the same routes, in the same order, as `routesFor`).
 */
export const routesReading = (routes: readonly Route[]): RoutesReading => {
  const byEvent = new Map<string, Route[]>();
  for (const r of routes) {
    const name = r.event.split(".")[0] ?? r.event;
    byEvent.set(name, [...(byEvent.get(name) ?? []), r]);
  }
  return {
    listensTo: (event) => byEvent.has(event),
    read: async (event, action, payload) => {
      const listening = byEvent.get(event);
      if (!listening) return undefined;
      const withAction = typeof action === "string" ? `${event}.${action}` : undefined;
      const reached = listening.filter((r) => r.event === event || r.event === withAction);
      if (reached.length === 0) return undefined;
      const reading = await readDelivery(reached, payload);
      return actsOn(reading) ? reading : undefined;
    },
  };
};

/** The webhook event names (without actions) a list of routes subscribes to, for app.yml. */
export const subscribedEvents = (routes: readonly Route[]): string[] =>
  [...new Set(routes.map((r) => r.event.split(".")[0] ?? r.event))].sort();
