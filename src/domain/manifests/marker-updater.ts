import { splitLines, type VersionFileUpdater } from "./version-file-updater.js";

/** Marker comments that flag a line whose version should follow releases (release-please's too). */
const VERSION_MARKERS = ["x-release-pilot-version", "x-release-please-version"] as const;

const MARKER = new RegExp(`(?:#|//|<!--|/\\*|--|;)\\s*(?:${VERSION_MARKERS.join("|")})\\b`);
const VERSION_TOKEN =
  /(?<![\w.-])v?((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?![\w.])/;

/** Any file: the first version on each line carrying a marker comment is replaced. */
export const markerUpdater: VersionFileUpdater = {
  kind: "marker",
  matches: () => true,
  readVersion(text) {
    for (const line of splitLines(text)) {
      const marker = MARKER.exec(line);
      if (!marker) continue;
      const found = VERSION_TOKEN.exec(line.slice(0, marker.index));
      if (found) return found[1];
    }
    return undefined;
  },
  updateContent(text, version) {
    return splitLines(text)
      .map((line) => {
        const marker = MARKER.exec(line);
        if (!marker) return line;
        const head = line.slice(0, marker.index);
        const found = VERSION_TOKEN.exec(head);
        const current = found?.[1];
        if (!found || current === undefined) return line;
        const start = found.index + found[0].length - current.length;
        return line.slice(0, start) + version + line.slice(start + current.length);
      })
      .join("");
  },
};
