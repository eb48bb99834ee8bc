/**
 * The one function that composes the app: app-wide services from the settings (or a test's fakes
 * at their seams), the command table, the repository ports per event, and the Probot app function
 * over the routing table. `npm start`, `probot run`, the CLI's dry runs, the demo, the bench and
 * every test harness build the app here, so tests run production's wiring.
 */
import type { Probot } from "probot";
import { instrumentOctokit } from "../adapters/metrics/instrument-octokit.js";
import type { AppDeps } from "../handlers/app-deps.js";
import {
  type DeliveryReading,
  dispatchRoute,
  once,
  readRoute,
  type Route,
  type RouteReading,
} from "../handlers/routes.js";
import type { CommandTable } from "../use-cases/command-context.js";
import { type AppServices, createAppServices } from "./services.js";
import type { AppSettings } from "./settings.js";

/** Fakes at the app's seams: any app-wide service, and runners standing in for commands. */
export interface AppOverrides extends Partial<AppServices> {
  commands?: Partial<CommandTable>;
}

/**
 * Hands the reading of a delivery, made where it was verified (the webhook pre-filter), to the
 * listeners Probot then calls with the same payload object: Probot's `Context` keeps the event's
 * payload as it was received (`context.payload`, https://probot.github.io/api/latest/classes/context.Context.html),
 * so the payload is the key. A listener takes its own route's reading once; one handed nothing
 * (a delivery that came through Probot's middleware, which parses its own copy) reads the payload
 * itself.
 */
export interface ReadingHandOff {
  /** Hands over what each route made of this payload, until `drop`. */
  give(payload: object, reading: DeliveryReading): void;
  /** The reading handed over for this payload and route, once; undefined when there is none. */
  take(payload: object, route: Route): RouteReading | undefined;
  /** Forgets what was handed over for this payload (its work is done). */
  drop(payload: object): void;
}

export const createReadingHandOff = (): ReadingHandOff => {
  // Weak: a payload whose work is gone takes its readings with it, dropped or not.
  const handed = new WeakMap<object, Map<Route, RouteReading>>();
  return {
    give: (payload, reading) => void handed.set(payload, new Map(reading)),
    take: (payload, route) => {
      const readings = handed.get(payload);
      const reading = readings?.get(route);
      readings?.delete(route);
      return reading;
    },
    drop: (payload) => void handed.delete(payload),
  };
};

export interface ComposedApp {
  routes: readonly Route[];
  /** Where a delivery's reading is handed to the listeners of `app` (see background-deliveries.ts). */
  readings: ReadingHandOff;
  services: AppServices;
  /**
   * What every handler is handed: built, with the modules of the command table and the
   * repository ports, on the first delivery a route acts on (the same object after that).
   */
  deps: () => Promise<AppDeps>;
  /** The Probot app function: each route's listener, with the payload read once on its way in. */
  app: (probot: Probot) => void;
}

export const composeApp = (
  routes: readonly Route[],
  settings: AppSettings,
  overrides: AppOverrides = {},
): ComposedApp => {
  const { commands, ...serviceOverrides } = overrides;
  const services = createAppServices(settings, serviceOverrides);
  const deps = once(async () => (await import("./handler-deps.js")).handlerDeps(services, commands));
  const readings = createReadingHandOff();
  const app = (probot: Probot): void => {
    for (const r of routes) {
      const { event } = r;
      probot.on(event, async (context) => {
        // Read where the delivery was verified, or here: the cheap predicate first, the handler's
        // module only when it lets the delivery through. Another route of the same event may be
        // why this delivery came through.
        const reading = readings.take(context.payload, r) ?? (await readRoute(r, context.payload));
        if (reading.kind === "skip") return;
        const started = performance.now();
        const installation = (context.payload as { installation?: { id?: number } }).installation?.id ?? 0;
        instrumentOctokit(context.octokit, installation, services.metrics);
        try {
          await dispatchRoute(r, await deps(), context, reading);
        } finally {
          services.metrics.webhookHandled(event, (performance.now() - started) / 1000);
        }
      });
    }
  };
  return { routes, readings, services, deps, app };
};
