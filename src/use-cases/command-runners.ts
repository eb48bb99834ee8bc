import type { CommandRunners } from "../handlers/command-context.js";

/**
 * The use-case behind each slash command. `/help` is answered by the handler itself;
 * a command missing here answers that it is not enabled yet.
 */
export const commandRunners: CommandRunners = {};
