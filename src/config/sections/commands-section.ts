import { z } from "zod";
import { permissionLevels } from "../../domain/commands/permission.js";

const commandSettings = z
  .object({
    permission: z
      .enum(permissionLevels)
      .optional()
      .describe("Repository permission needed to run the command (default: the command's own)."),
    enabled: z.boolean().default(true).describe("Set false to turn the command off in this repository."),
  })
  .strict();

/** Per-command settings, keyed by command name without the slash. */
export const commandsSection = z
  .object({
    release: commandSettings.prefault({}),
    deploy: commandSettings.prefault({}),
    rollback: commandSettings.prefault({}),
    canary: commandSettings.prefault({}),
    promote: commandSettings.prefault({}),
    abort: commandSettings.prefault({}),
    scale: commandSettings.prefault({}),
    lock: commandSettings.prefault({}),
    unlock: commandSettings.prefault({}),
    status: commandSettings.prefault({}),
    checklist: commandSettings.prefault({}),
    ship: commandSettings.prefault({}),
    revert: commandSettings.prefault({}),
    help: commandSettings.prefault({}),
  })
  .strict()
  .prefault({});
