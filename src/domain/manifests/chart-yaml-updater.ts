import { parseVersion } from "../version/version.js";
import { formatLike, versionOfValue } from "./value-format.js";
import { baseName, type ChartVersionRule, type VersionFileUpdater } from "./version-file-updater.js";

// Top-level keys only (column 0); the value keeps its quotes and any trailing comment.
const key = (name: string): RegExp => new RegExp(`^(${name}:[ \\t]*)(["']?)([^"'\\s#]+)\\2`, "m");
const VERSION = key("version");
const APP_VERSION = key("appVersion");

/**
 * The chart's own next `version`. Helm's docs (helm.sh/docs/topics/charts, "The Chart.yaml
 * File"): `version` is the chart's SemVer 2 version and "the appVersion field is not related to
 * the version field"; a chart repository identifies a package by name plus version, so a chart
 * whose `appVersion` changed is a new chart and needs a new `version` (chart-testing's
 * `ct lint` checks that increment). A chart versioned in lockstep (its `version` is the
 * same as its `appVersion`) follows the release; any other moves by its own rule (default patch).
 */
const nextChartVersion = (
  raw: string,
  version: string,
  appBefore: string | undefined,
  rule: ChartVersionRule,
): string => {
  const own = versionOfValue(raw);
  const parsed = own === undefined ? undefined : parseVersion(own);
  if (parsed === undefined || !parsed.ok) return raw;
  if (appBefore !== undefined && own === appBefore) return formatLike(raw, version) ?? raw;
  if (rule === "keep") return raw;
  if (rule === "release") return formatLike(raw, version) ?? raw;
  return formatLike(raw, parsed.value.bump(rule).toString()) ?? raw;
};

/**
 * Helm `Chart.yaml`: `appVersion` follows the release (in its own format: `"v0.10.6"` stays
 * `v`-prefixed); the chart's own `version` follows {@link nextChartVersion}. A chart with no
 * `appVersion` states only its own version, which then is the one that follows the release.
 * Edited in place so comments survive.
 */
export const chartYamlUpdater: VersionFileUpdater = {
  kind: "helm-chart",
  matches: (path) => baseName(path) === "Chart.yaml",
  readVersion(text) {
    const app = APP_VERSION.exec(text)?.[3];
    return versionOfValue(app ?? VERSION.exec(text)?.[3] ?? "");
  },
  updateContent(text, version, context = {}) {
    const set = (to: (raw: string) => string) => (_m: string, lead: string, q: string, raw: string) =>
      `${lead}${q}${to(raw)}${q}`;
    const app = APP_VERSION.exec(text)?.[3];
    if (app === undefined)
      return text.replace(
        VERSION,
        set((raw) => formatLike(raw, version) ?? raw),
      );
    const after = text.replace(
      APP_VERSION,
      set((raw) => formatLike(raw, version) ?? raw),
    );
    // The chart changes only when its appVersion does (an idempotent re-run bumps nothing).
    if (after === text) return text;
    const rule = context.chartVersion ?? "patch";
    return after.replace(
      VERSION,
      set((raw) => nextChartVersion(raw, version, versionOfValue(app), rule)),
    );
  },
};
