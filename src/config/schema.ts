import { z } from "zod";
import type { AutoDeploySettings } from "../domain/deploy/deploy-settings.js";
import type { Conforms } from "./conforms.js";
import { checklistSection } from "./sections/checklist-section.js";
import { commandsSection } from "./sections/commands-section.js";
import { environmentsSection } from "./sections/environments-section.js";
import { releaseSection } from "./sections/release-section.js";
import { shipSection } from "./sections/ship-section.js";

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

export type Config = Conforms<z.infer<typeof configSchema>, AutoDeploySettings>;
export type ConfigInput = z.input<typeof configSchema>;

export { CONFIG_PATH } from "./config-path.js";

/** The configuration of a repository with no config file. */
export const defaultConfig = (): Config => configSchema.parse({});
