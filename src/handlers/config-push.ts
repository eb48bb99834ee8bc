import type { Context } from "probot";
import { CONFIG_PATH } from "../config/config-path.js";
import { loadConfig } from "../config/load-config.js";
import type { AppDeps } from "./app-deps.js";
import { acceptsConfigPush } from "./route-predicates.js";
import { renderConfigCheckRun } from "../domain/config-check/render-config-check-run.js";

/**
 * `push`: when a push changes `.github/release-pilot.yml`, a check run on its head commit says
 * whether the new file is valid (so a PR changing it shows the verdict). Other pushes cost nothing.
 */
export const handleConfigPush = async (deps: AppDeps, context: Context<"push">): Promise<void> => {
  const { after } = context.payload;
  if (!acceptsConfigPush(context.payload)) return;
  const ports = deps.portsFor(context);
  // Read at the pushed commit on purpose: this only reports on the file (data), it governs
  // nothing. Errors about an `_extends` target name that file, never its keys or text.
  const loaded = await loadConfig(ports.readFile, ports.repo, after);
  await ports.github.checkRuns.create(
    after,
    renderConfigCheckRun({
      path: CONFIG_PATH,
      valid: loaded.ok,
      errors: loaded.ok ? [] : loaded.errors,
      files: loaded.ok ? loaded.files : [],
    }),
  );
};
