import { readHiddenJson } from "../json-object.js";
import { parseVersion } from "../version/version.js";

/** What a PR that ships carries in its hidden marker, read back when it is merged. */
export interface ShipMarker {
  kind: "release" | "hotfix" | "revert";
  version: string;
  previousVersion?: string;
  /** The issue that started it (closed once shipped). */
  issue?: number;
  /** For a revert: the release it undoes (`1.2.0`). */
  reverts?: string;
}

// Same shape as the release PR body's marker, so either reader accepts both.
const MARKER = /<!--\s*release-pilot:\s*(\{[^\n]*?\})\s*-->/;

export const renderShipMarker = (marker: ShipMarker): string =>
  `<!-- release-pilot: ${JSON.stringify(marker)} -->`;

const isVersion = (value: unknown): value is string => typeof value === "string" && parseVersion(value).ok;

/** Reads the marker of any PR body; a marker without `kind` is a release PR's. Never throws. */
export const parseShipMarker = (body: string | null | undefined): ShipMarker | undefined => {
  const data = readHiddenJson(body, MARKER);
  if (!data) return undefined;
  if (!isVersion(data.version)) return undefined;
  const kind = data.kind === "hotfix" || data.kind === "revert" ? data.kind : "release";
  const marker: ShipMarker = { kind, version: data.version };
  if (isVersion(data.previousVersion)) marker.previousVersion = data.previousVersion;
  if (typeof data.issue === "number" && Number.isSafeInteger(data.issue) && data.issue > 0)
    marker.issue = data.issue;
  if (isVersion(data.reverts)) marker.reverts = data.reverts;
  return marker;
};

/** The body with its marker replaced (or appended when it had none). */
export const withShipMarker = (body: string | null | undefined, marker: ShipMarker): string => {
  const text = body ?? "";
  const line = renderShipMarker(marker);
  return MARKER.test(text)
    ? text.replace(MARKER, line)
    : `${text.trimEnd()}${text.trim() ? "\n\n" : ""}${line}\n`;
};
