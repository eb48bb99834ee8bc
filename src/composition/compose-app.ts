/**
 * The one function that composes the app: app-wide services from the settings (or a test's fakes
 * at their seams), the command table, the repository ports per event, and the Probot app function
 * over the routing table. `npm start`, `probot run`, the CLI's dry runs, the demo, the bench and
 * every test harness build the app here, so tests run production's wiring.
 */
import type { Probot } from "probot";
import { instrumentOctokit } from "../adapters/metrics/instrument-octokit.js";
import type { AppDeps } from "../handlers/app-deps.js";
import { dispatchRoute, once, readRoute, type Route } from "../handlers/routes.js";
import type { CommandTable } from "../use-cases/command-context.js";
import { type AppServices, createAppServices } from "./services.js";
import type { AppSettings } from "./settings.js";

/** Fakes at the app's seams: any app-wide service, and runners standing in for commands. */
export interface AppOverrides extends Partial<AppServices> {
  commands?: Partial<CommandTable>;
}

export interface ComposedApp {
  routes: readonly Route[];
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
  const app = (probot: Probot): void => {
    for (const r of routes) {
      const { event } = r;
      probot.on(event, async (context) => {
        // Another route of the same event may be why this delivery came through.
        // The cheap predicate first; the handler's module only when it lets the delivery through.
        const reading = await readRoute(r, context.payload);
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
  return { routes, services, deps, app };
};
