import type { Context } from "probot";
import type { AppDeps } from "./app-deps.js";

import type { EmitterWebhookEventName } from "@octokit/webhooks";

type EventName = EmitterWebhookEventName;

export interface Route<E extends EventName = EventName> {
  event: E;
  handle: (deps: AppDeps, context: Context<E>) => Promise<void>;
  /**
   * Whether the handler might act on this payload, from the payload alone (no config, no API
   * call). False only when the handler would make no API call and no reply; a payload the
   * handler cannot read (a field missing, a wrong type) makes it throw, which counts as true.
   */
  accepts: (payload: Context<E>["payload"]) => boolean;
}

/** Keeps each route's event, handler and predicate types tied together. */
export const route = <E extends EventName>(
  event: E,
  handle: Route<E>["handle"],
  accepts: Route<E>["accepts"],
): Route => ({ event, handle, accepts }) as unknown as Route;

/**
 * Whether a route might act on a payload: its predicate, with a payload it cannot read given to
 * the handler (which then fails the way it always did).
 */
export const routeAccepts = (r: Route, payload: unknown): boolean => {
  try {
    return r.accepts(payload as never);
  } catch {
    return true;
  }
};

/** The routes a delivery of `event` (with the payload's `action`, when it has one) reaches. */
export const routesFor = (routes: readonly Route[], event: string, action: unknown): Route[] =>
  routes.filter((r) => r.event === event || (typeof action === "string" && r.event === `${event}.${action}`));

/** The webhook event names (without actions) a list of routes subscribes to, for app.yml. */
export const subscribedEvents = (routes: readonly Route[]): string[] =>
  [...new Set(routes.map((r) => r.event.split(".")[0] ?? r.event))].sort();
