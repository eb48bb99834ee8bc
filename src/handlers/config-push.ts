import type { Context } from "probot";
import { loadConfig } from "../config/load-config.js";
import { CONFIG_PATH } from "../config/schema.js";
import type { AppDeps } from "./app-deps.js";
import { renderConfigCheckRun } from "../domain/config-check/render-config-check-run.js";

const touchesConfig = (commits: readonly { added?: string[]; modified?: string[] }[]): boolean =>
  commits.some((c) => [...(c.added ?? []), ...(c.modified ?? [])].includes(CONFIG_PATH));

/** Only a push to a branch that adds or changes the config file is checked. */
export const acceptsConfigPush = ({ deleted, ref, commits }: Context<"push">["payload"]): boolean =>
  !deleted && ref.startsWith("refs/heads/") && touchesConfig(commits);

/**
 * `push`: when a push changes `.github/release-pilot.yml`, a check run on its head commit says
 * whether the new file is valid (so a PR changing it shows the verdict). Other pushes cost nothing.
 */
export const handleConfigPush = async (deps: AppDeps, context: Context<"push">): Promise<void> => {
  const { after, deleted, commits, ref } = context.payload;
  if (deleted || !ref.startsWith("refs/heads/") || !touchesConfig(commits)) return;
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
