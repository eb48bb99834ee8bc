import { z } from "zod";
import type { CommandName } from "../../domain/commands/command.js";
import { commandNames } from "../../domain/commands/command-specs.js";
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

/**
 * Per-command settings, keyed by command name without the slash: one key for every command the
 * grammar has (src/domain/commands/command-specs.ts), so a new command needs no edit here.
 */
export const commandsSection = z
  .object(
    Object.fromEntries(commandNames.map((name) => [name, commandSettings.prefault({})])) as Record<
      CommandName,
      ReturnType<typeof commandSettings.prefault>
    >,
  )
  .strict()
  .prefault({});
