import type { Config } from "../config/schema.js";
import type { PermissionLevel } from "../domain/commands/permission.js";

/** The permission an environment asks for, from config; production defaults to maintain. */
export const environmentPermission = (
  config: Config,
  env: string | undefined,
): PermissionLevel | undefined => {
  if (env === undefined) return undefined;
  const environments = (config as { environments?: Record<string, { permission?: PermissionLevel }> })
    .environments;
  return environments?.[env]?.permission ?? (env === "production" ? "maintain" : undefined);
};
