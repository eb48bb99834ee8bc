/** GitHub repository permission levels, weakest first. */
export const permissionLevels = ["none", "read", "triage", "write", "maintain", "admin"] as const;

export type PermissionLevel = (typeof permissionLevels)[number];

export const isPermissionLevel = (value: unknown): value is PermissionLevel =>
  typeof value === "string" && (permissionLevels as readonly string[]).includes(value);

/** Whether `actual` grants at least `required`. */
export const hasPermission = (actual: PermissionLevel, required: PermissionLevel): boolean =>
  permissionLevels.indexOf(actual) >= permissionLevels.indexOf(required);
