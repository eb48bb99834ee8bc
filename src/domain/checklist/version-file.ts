import type { Result } from "../result.js";
import { findUpdater } from "../manifests/updater-registry.js";

const generic = /version\s*[:=]\s*["']?(v?\d+\.\d+\.\d+[^"'\s,]*)/i;

/**
 * The version a version file declares, read by the same updater that bumps it (pyproject,
 * `__init__.py`, Dockerfile LABEL, package.json, Chart.yaml, markers), else a generic
 * `version = X.Y.Z`.
 */
export const readVersionFromFile = (
  path: string,
  text: string,
  /** The reader the release bumps this file with, when it is not found by the file's name. */
  reader?: (text: string) => string | undefined,
): Result<string> => {
  if (reader) {
    const own = reader(text);
    return own
      ? { ok: true, value: own.replace(/^v/, "") }
      : { ok: false, error: `no version found in ${path}` };
  }
  const plain = /(^|\/)(VERSION|version\.txt)$/i.test(path) ? text.trim().split(/\s/)[0] : undefined;
  const v = plain || findUpdater(path).readVersion(text) || generic.exec(text)?.[1];
  return v ? { ok: true, value: v.replace(/^v/, "") } : { ok: false, error: `no version found in ${path}` };
};
