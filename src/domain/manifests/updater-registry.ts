import { cargoTomlUpdater } from "./cargo-toml-updater.js";
import { chartYamlUpdater } from "./chart-yaml-updater.js";
import { dockerfileUpdater } from "./dockerfile-updater.js";
import { markerUpdater } from "./marker-updater.js";
import { packageJsonUpdater } from "./package-json-updater.js";
import { gradlePropertiesUpdater, plainVersionUpdater, setupCfgUpdater } from "./properties-updaters.js";
import { pyprojectUpdater } from "./pyproject-updater.js";
import { pythonInitUpdater } from "./python-init-updater.js";
import type { VersionFileUpdater } from "./version-file-updater.js";

/** File kind → updater; the first match wins, the marker updater catches everything else. */
export const versionFileUpdaters: readonly VersionFileUpdater[] = [
  pyprojectUpdater,
  pythonInitUpdater,
  dockerfileUpdater,
  packageJsonUpdater,
  chartYamlUpdater,
  cargoTomlUpdater,
  setupCfgUpdater,
  gradlePropertiesUpdater,
  plainVersionUpdater,
  markerUpdater,
];

export const findUpdater = (path: string): VersionFileUpdater =>
  versionFileUpdaters.find((u) => u.matches(path)) ?? markerUpdater;
