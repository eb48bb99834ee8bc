import { readVersionFromFile } from "../version-file.js";
import type { GateRow, Verdict, VersionsInput } from "../types.js";
import { statusOf } from "./rows.js";

/** Every version file of every project carries the release version. */
export const evaluateVersions = (input: VersionsInput): Verdict => {
  const want = input.version.replace(/^v/, "");
  if (input.files.length === 0) {
    return {
      status: "missing",
      title: "No version files declared",
      rows: [],
      advice: ["Declare each project's version files in the config."],
    };
  }
  const rows: GateRow[] = input.files.map((f) => {
    const item = `${f.project}: ${f.path}`;
    if (f.error !== undefined)
      return { item, measured: f.error, threshold: want, state: "error", link: f.link };
    if (f.text === null)
      return { item, measured: "file not found", threshold: want, state: "missing", link: f.link };
    const v = readVersionFromFile(f.path, f.text, f.readVersion);
    if (!v.ok) return { item, measured: v.error, threshold: want, state: "fail", link: f.link };
    return {
      item,
      measured: v.value,
      threshold: want,
      state: v.value === want ? "pass" : "fail",
      link: f.link,
    };
  });
  const status = statusOf(rows);
  const off = rows.filter((r) => r.state !== "pass");
  const title =
    status === "pass"
      ? `All ${String(rows.length)} version files say ${want}`
      : `${String(off.length)} version files do not say ${want}`;
  const advice =
    off.length > 0 ? [`Set the version to ${want} in: ${off.map((r) => r.item).join(", ")}.`] : [];
  return { status, title, rows, advice };
};
