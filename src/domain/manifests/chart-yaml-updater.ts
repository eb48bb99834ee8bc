import { baseName, type VersionFileUpdater } from "./version-file-updater.js";

// Top-level keys only (column 0); the value keeps its quotes and any trailing comment.
const key = (name: string): RegExp => new RegExp(`^(${name}:[ \\t]*)(["']?)([^"'\\s#]+)\\2`, "m");
const VERSION = key("version");
const APP_VERSION = key("appVersion");

/** Helm `Chart.yaml`: `version` and `appVersion`, edited in place so comments survive. */
export const chartYamlUpdater: VersionFileUpdater = {
  kind: "helm-chart",
  matches: (path) => baseName(path) === "Chart.yaml",
  readVersion: (text) => VERSION.exec(text)?.[3] ?? APP_VERSION.exec(text)?.[3],
  updateContent(text, version) {
    const swap = (_m: string, lead: string, q: string) => `${lead}${q}${version}${q}`;
    return text.replace(VERSION, swap).replace(APP_VERSION, swap);
  },
};
