/**
 * What every handler is handed: the command table and the repository's ports per event. Its
 * imports are every use-case and every GitHub adapter, so compose-app.ts imports this module on
 * the first delivery a route acts on, not at start.
 */
import type { AppDeps } from "../handlers/app-deps.js";
import type { CommandTable } from "../use-cases/command-context.js";
import { createCommandTable } from "../use-cases/command-table.js";
import { repoPorts } from "./build-repo-ports.js";
import type { AppServices } from "./services.js";

export const handlerDeps = (services: AppServices, commands: Partial<CommandTable> = {}): AppDeps => ({
  clock: services.clock,
  metrics: services.metrics,
  commands: { ...createCommandTable(services), ...commands },
  portsFor: (context) =>
    repoPorts(services, {
      octokit: context.octokit,
      repo: context.repo(),
      repoUrl: context.payload.repository?.html_url ?? "",
    }),
  ...(services.appId !== undefined ? { appId: services.appId } : {}),
});
