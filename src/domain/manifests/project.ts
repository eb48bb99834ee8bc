import { baseName } from "./version-file-updater.js";
import { trimTrailingSlashes } from "../trailing-slashes.js";

/** A releasable unit of the repository: a service directory (or the root). */
export interface Project {
  name: string;
  /** Directory relative to the repo root, without leading/trailing slash; "" is the root. */
  path: string;
  /** Extra version files, relative to the project directory. */
  versionFiles?: string[];
  /** Container image repository, e.g. `ghcr.io/duqueom/bankchurn-api`. */
  image?: string;
  /** k8s manifests / docker-compose files (relative to the repo root) holding the image tag. */
  manifests?: string[];
}

const MARKERS = ["pyproject.toml", "package.json", "Cargo.toml"];
/** Directories of dependencies and build output, never part of a release. */
export const IGNORED_DIRS = /(?:^|\/)(?:node_modules|\.git|\.venv|venv|dist|build|vendor|target)\//;
const TEST_SEGMENT = /(?:^|\/)(?:tests?|__tests__|spec|fixtures?|testdata|e2e|examples?)\//;

/** Whether a path lies in a test, fixture or example directory (its packages are not released). */
export const isTestPath = (path: string): boolean => TEST_SEGMENT.test(path);

export const normalizeDir = (path: string): string => trimTrailingSlashes(path.replace(/^\.\/?/, ""));

const dirOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const depth = (dir: string): number => (dir === "" ? 0 : dir.split("/").length);
const isWithin = (path: string, dir: string): boolean => dir === "" || path.startsWith(`${dir}/`);

/**
 * Projects found in a file list: the root and each directory up to two levels down holding a
 * `pyproject.toml`, `package.json`, `Cargo.toml` or `Chart.yaml`. Test, fixture and
 * example directories are not projects. A chart inside another project (its `helm/`
 * folder) belongs to that project rather than being a project of its own.
 */
export const discoverProjects = (paths: readonly string[]): Project[] => {
  const code = new Set<string>();
  const charts = new Set<string>();
  for (const path of paths) {
    if (IGNORED_DIRS.test(path) || isTestPath(path)) continue;
    const dir = dirOf(path);
    if (depth(dir) > 2) continue;
    const name = baseName(path);
    if (MARKERS.includes(name)) code.add(dir);
    else if (name === "Chart.yaml") charts.add(dir);
  }
  const dirs = [...code];
  for (const chart of charts) {
    if (!dirs.some((d) => d !== "" && isWithin(chart, d))) dirs.push(chart);
  }
  return dirs
    .sort((a, b) => a.localeCompare(b))
    .map((dir) => ({ name: dir === "" ? "root" : baseName(dir), path: dir }));
};

/** The project a path belongs to: the deepest project directory holding it. */
export const projectOf = <P extends Project>(projects: readonly P[], path: string): P | undefined => {
  let best: P | undefined;
  for (const project of projects) {
    const dir = normalizeDir(project.path);
    if (isWithin(path, dir) && (best === undefined || dir.length > normalizeDir(best.path).length))
      best = project;
  }
  return best;
};
