import type { Config } from "../config/schema.js";
import type { PermissionLevel } from "../domain/commands/permission.js";

/** The permission an environment asks for, from config; production defaults to maintain. */
export const environmentPermission = (
  config: Config,
  env: string | undefined,
): PermissionLevel | undefined => {
  if (env === undefined) return undefined;
  const environment = Object.hasOwn(config.environments, env) ? config.environments[env] : undefined;
  return environment?.permission ?? (env === "production" ? "maintain" : undefined);
};
