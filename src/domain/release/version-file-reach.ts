import { quote } from "../commands/arguments.js";
import { normalizeDir } from "../manifests/project.js";
import type { ReleaseSettings } from "./release-settings.js";

/**
 * Which directories of a tree can hold a release's files, so a reader lists only those and
 * never the directories a repository keeps its data in (an ML repository commits thousands of
 * CSVs: listing them would cost as much as the data grows).
 *
 * The rule, in order:
 * 1. A directory the config names is always listed: each configured project's directory and
 *    {@link PROJECT_LEVELS} levels of it, the fixed part of every configured glob (project
 *    `versionFiles`, image `manifests`, repository `versionFiles`) as deep as the glob reaches
 *    (`**`: up to {@link MAX_LEVELS}), and the CHANGELOG's directory.
 * 2. With no projects configured they are discovered: every directory up to four levels down
 *    (projects two levels down, their `src/<package>/` or `helm/<chart>/` two below that).
 * 3. Never descended, unless the config's fixed path names them: dependency and build output
 *    (`node_modules`, `vendor`, `.venv`, `dist`, `target` …), data (`data`, `datasets`,
 *    `.dvc`), fixtures (`fixtures`, `testdata`) and caches ({@link SKIPPED_NAMES}).
 * 4. A directory whose parent holds more than {@link WIDE_DIR} entries, none of them a manifest
 *    name, is not descended (a shard of a dataset, not a project), unless the config names it.
 */
export interface TreeReach {
  /** Directories listed first ("" the root), each with how many levels to list (1: its entries). */
  readonly starts: readonly { dir: string; levels: number }[];
  /**
   * How many levels of `dir` to list (0: leave it), given the names of its parent's entries:
   * asked of each directory a listing finds.
   */
  levelsOf(dir: string, parentNames: readonly string[]): number;
}

/** Levels listed of a configured project: its files, `<pkg>/`, `src/<pkg>/` and `helm/<chart>/`. */
export const PROJECT_LEVELS = 3;
/** Levels listed from the root when projects are discovered: directories down to depth four. */
export const DISCOVERY_LEVELS = 5;
/** The deepest a `**` glob is followed below its fixed part. */
export const MAX_LEVELS = 8;
/** Directories deeper than this are never listed, whatever a config or a crafted tree says. */
export const MAX_DEPTH = 32;
/** A parent with more entries than this and no manifest among them is data: its sub-directories are left. */
export const WIDE_DIR = 1000;

/** Directory names never descended unless the config names them (rule 3). */
export const SKIPPED_NAMES = new Set([
  "node_modules",
  "bower_components",
  "vendor",
  ".venv",
  "venv",
  "site-packages",
  "dist",
  "build",
  "target",
  ".git",
  "data",
  "datasets",
  "dataset",
  ".dvc",
  "fixtures",
  "testdata",
  "__pycache__",
  ".cache",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
  ".ipynb_checkpoints",
  ".terraform",
]);

/** Names a version file or a project marker has (rule 4: a directory holding one is source). */
const MANIFEST_NAME =
  /^(?:pyproject\.toml|package\.json|Cargo\.toml|Chart\.yaml|Dockerfile|setup\.cfg|setup\.py|gradle\.properties|VERSION|version\.txt|__init__\.py|CHANGELOG\.md)$/;

const segments = (dir: string): string[] => (dir === "" ? [] : dir.split("/"));
const MAGIC = /[*?[\\]/;

/** A configured place: a fixed directory and how many levels below it count (`Infinity`: `**`). */
interface Region {
  base: string[];
  levels: number;
}

/** The fixed leading directories of a glob and how many levels of listing reach its files. */
const globRegion = (glob: string): Region => {
  const parts = segments(normalizeDir(glob));
  const fixed = parts.findIndex((p) => MAGIC.test(p));
  const dirs = parts.slice(0, -1);
  const base = fixed < 0 ? dirs : dirs.slice(0, Math.min(fixed, dirs.length));
  const rest = parts.slice(base.length);
  return { base, levels: rest.includes("**") ? Infinity : Math.max(1, rest.length) };
};

/** The directories a release of a tree reads from (rules above), from its config alone. */
export const versionFileReach = (
  config: Pick<ReleaseSettings, "projects" | "versionFiles" | "changelogPath">,
): TreeReach => {
  const regions: Region[] = [globRegion(config.changelogPath)];
  for (const project of config.projects ?? []) {
    const dir = segments(normalizeDir(project.path));
    regions.push({ base: dir, levels: PROJECT_LEVELS });
    for (const glob of project.versionFiles ?? []) {
      const region = globRegion(glob);
      regions.push({ base: [...dir, ...region.base], levels: region.levels });
    }
    if (project.image !== undefined) regions.push(...(project.manifests ?? []).map(globRegion));
  }
  regions.push(...config.versionFiles.map(globRegion));
  const discovering = config.projects === undefined;
  if (discovering) regions.push({ base: [], levels: DISCOVERY_LEVELS });

  // Asked once per sub-directory with the same parent's names: decided once per parent.
  const wideness = new WeakMap<readonly string[], boolean>();
  const isWide = (names: readonly string[]): boolean => {
    let wide = wideness.get(names);
    if (wide === undefined) {
      wide = names.length > WIDE_DIR && !names.some((n) => MANIFEST_NAME.test(n));
      wideness.set(names, wide);
    }
    return wide;
  };

  // The deepest reach of each fixed directory, so a directory is checked against its own
  // ancestors (at most MAX_DEPTH look-ups), whatever the number of globs a config lists.
  const byBase = new Map<string, number>();
  for (const r of regions) {
    if (r.base.length > MAX_DEPTH) continue;
    const key = r.base.join("/");
    byBase.set(key, Math.max(byBase.get(key) ?? 0, Math.min(r.levels, MAX_LEVELS)));
  }

  const levelsOf = (dir: string, parentNames: readonly string[]): number => {
    const at = segments(dir);
    if (at.length > MAX_DEPTH) return 0;
    let levels = 0;
    for (let k = 0; k <= at.length; k++) {
      const reach = byBase.get(at.slice(0, k).join("/"));
      if (reach === undefined) continue;
      // Below a fixed part, skipped names (rule 3) and wide data directories (rule 4) are left.
      const below = at.slice(k);
      if (below.length > 0 && (isWide(parentNames) || below.some((s) => SKIPPED_NAMES.has(s)))) continue;
      levels = Math.max(levels, reach - below.length);
    }
    return levels;
  };

  return {
    starts: [...byBase].map(([dir, levels]) => ({ dir, levels: dir === "" ? Math.max(levels, 1) : levels })),
    levelsOf,
  };
};

const NAMED_UNWALKED = 5;

/**
 * The warning a release gives when a bound of the tree's listing left directories unlisted: how
 * many, the first few by name (each an inert code span), and that version files there are not
 * bumped. None when the listing was whole.
 */
export const unwalkedWarnings = (dirs: readonly string[] | undefined): string[] => {
  if (dirs === undefined || dirs.length === 0) return [];
  const named = dirs.slice(0, NAMED_UNWALKED).map((d) => quote(d === "" ? "/" : d));
  const more = dirs.length > NAMED_UNWALKED ? ` and ${dirs.length - NAMED_UNWALKED} more` : "";
  return [
    `The tree is too large to list whole: ${dirs.length} ${dirs.length === 1 ? "directory was" : "directories were"} not looked into (${named.join(", ")}${more}); version files there, if any, are not bumped.`,
  ];
};
