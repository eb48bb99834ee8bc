import { z } from "zod";
import { checklistSection } from "./sections/checklist.js";
import { commandsSection } from "./sections/commands.js";
import { environmentsSection } from "./sections/environments.js";
import { releaseSection } from "./sections/release.js";
import { shipSection } from "./sections/ship.js";

/**
 * The one schema of `.github/release-pilot.yml`: the source of the TypeScript types,
 * the defaults, the validation errors (with the path of the bad key) and the README reference.
 */
export const configSchema = z
  .object({
    release: releaseSection,
    commands: commandsSection,
    checklist: checklistSection,
    environments: environmentsSection,
    ship: shipSection,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Where the config file lives in a repository. */
export const CONFIG_PATH = ".github/release-pilot.yml";

/** The configuration of a repository with no config file. */
export const defaultConfig = (): Config => configSchema.parse({});
