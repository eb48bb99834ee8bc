import { loadConfig } from "../config/load-config.js";
import type { Config } from "../config/schema.js";
import type { RepoRef } from "../domain/repo-ref.js";
import type { ReadRepoFile } from "../ports/config-files.js";

/** Where a warning about an invalid config goes. */
export interface ConfigWarnings {
  warn(fields: object, message: string): void;
}

/**
 * Loads the config of the default branch (tags, images, models and deploy targets are policy,
 * so never a PR's or a branch's copy), logging (not throwing) when it is invalid.
 */
export const loadPolicyConfig = async (
  readFile: ReadRepoFile,
  repo: RepoRef,
  log: ConfigWarnings,
  skipped = "shipping step skipped",
): Promise<Config | undefined> => {
  const loaded = await loadConfig(readFile, repo);
  if (loaded.ok) return loaded.config;
  log.warn({ errors: loaded.errors }, `release-pilot config invalid; ${skipped}`);
  return undefined;
};
