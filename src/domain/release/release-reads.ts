import { releaseVersionFiles } from "./plan-version-files.js";
import type { ReleaseSettings } from "./release-settings.js";
import { type TreeReach, versionFileReach } from "./version-file-reach.js";

/**
 * Which files of a tree a reader needs, so a caller can read only those (not the whole tree).
 * `pick` is asked with the tree's paths and the texts read so far, and again with what it asked
 * for until it names nothing new: a file may point at another (pyproject's dynamic version at
 * an `__init__.py`).
 */
export interface FilesWanted {
  /** The directories whose files can matter to the reader: a caller lists only those. */
  readonly reach: TreeReach;
  /** The paths to read, given every path of the tree and the texts read so far. */
  pick(paths: readonly string[], read: (path: string) => string | undefined): string[];
}

/**
 * The files a release plan of a tree reads: the CHANGELOG, every version file it edits or checks
 * and the files it opens to find them (each project's pyproject.toml, its `__init__.py`
 * candidates). Exactly the reads `buildReleasePlan` makes, found by running its file discovery
 * with a reader that notes what it is asked. Only the directories {@link versionFileReach} keeps
 * are listed: never dependencies, build output or data.
 */
export const releaseFilesWanted = (
  config: Pick<ReleaseSettings, "projects" | "versionFiles" | "changelogPath">,
): FilesWanted => ({
  reach: versionFileReach(config),
  pick: (paths, read) => {
    const listed = new Set(paths);
    const asked = new Set<string>([config.changelogPath]);
    const noting = (path: string): string | undefined => {
      asked.add(path);
      return read(path);
    };
    for (const file of releaseVersionFiles(config, paths, noting).files) asked.add(file.path);
    return [...asked].filter((p) => listed.has(p));
  },
});
