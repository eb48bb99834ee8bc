import type { Context } from "probot";
import type { AppDeps } from "./app-deps.js";

import type { EmitterWebhookEventName } from "@octokit/webhooks";

type EventName = EmitterWebhookEventName;

export interface Route<E extends EventName = EventName> {
  event: E;
  handle: (deps: AppDeps, context: Context<E>) => Promise<void>;
}

/** Keeps each route's event and handler types tied together. */
export const route = <E extends EventName>(event: E, handle: Route<E>["handle"]): Route =>
  ({ event, handle }) as unknown as Route;

/** The webhook event names (without actions) a list of routes subscribes to, for app.yml. */
export const subscribedEvents = (routes: readonly Route[]): string[] =>
  [...new Set(routes.map((r) => r.event.split(".")[0] ?? r.event))].sort();
