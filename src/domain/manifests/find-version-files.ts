import { compileGlob } from "../glob.js";
import { imageTagUpdater } from "./image-tag-updater.js";
import { normalizeDir, projectOf, type Project } from "./project.js";
import { findUpdater } from "./updater-registry.js";
import type { VersionFileUpdater } from "./version-file-updater.js";

export interface VersionFile {
  path: string;
  updater: VersionFileUpdater;
}

const TEST_DIRS = new Set(["test", "tests", "testing", "docs", "scripts", "notebooks", "migrations"]);

/**
 * The version files of one project among the repository's `paths`. Only files the project owns
 * count (not those of a nested project among `projects`), except configured manifests:
 * pyproject.toml, package.json, Dockerfile, Chart.yaml (up to two levels down, e.g. `helm/`),
 * the package `__init__.py` in flat (`pkg/__init__.py`) and `src/` layouts, the configured
 * extra files, and the manifests holding the project's image (usually under `k8s/` at the root).
 */
export const findVersionFiles = (
  project: Project,
  paths: readonly string[],
  projects: readonly Project[] = [project],
): VersionFile[] => {
  const dir = normalizeDir(project.path);
  const prefix = dir === "" ? "" : `${dir}/`;
  const rel = (p: string): string => p.slice(prefix.length);
  const found = new Map<string, VersionFile>();
  const add = (path: string, updater = findUpdater(path)) => {
    if (!found.has(path)) found.set(path, { path, updater });
  };
  // Ownership by directory, not identity, so callers may pass copies of the project records.
  const owns = (path: string): boolean => {
    const owner = projectOf(projects, path);
    return owner !== undefined && normalizeDir(owner.path) === dir;
  };
  const inits: string[] = [];
  for (const path of paths) {
    if (!path.startsWith(prefix) || !owns(path)) continue;
    const r = rel(path);
    if (/^(?:pyproject\.toml|package\.json|Dockerfile)$/.test(r)) add(path);
    else if (/^(?:[^/]+\/){0,2}Chart\.yaml$/.test(r)) add(path);
    else {
      const pkg = /^(?:src\/)?([A-Za-z_][\w]*)\/__init__\.py$/.exec(r)?.[1];
      if (pkg !== undefined && !TEST_DIRS.has(pkg)) inits.push(path);
    }
  }
  for (const path of preferPackage(inits, project.name)) add(path);
  for (const extra of project.versionFiles ?? []) {
    const re = compileGlob(prefix + normalizeDir(extra));
    for (const path of paths) if (re.test(path) && owns(path)) add(path);
  }
  if (project.image !== undefined) {
    const updater = imageTagUpdater(project.image);
    for (const manifest of project.manifests ?? []) {
      const re = compileGlob(normalizeDir(manifest));
      for (const path of paths) if (re.test(path)) found.set(path, { path, updater });
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
};

/** When several packages exist, the one named like the project wins (BankChurn-Predictor → bankchurn*). */
const preferPackage = (inits: string[], projectName: string): string[] => {
  if (inits.length <= 1) return inits;
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const name = squash(projectName);
  const pkg = (p: string) => squash(p.split("/").at(-2) ?? "");
  const named = inits.filter((p) => pkg(p) !== "" && (name.startsWith(pkg(p)) || pkg(p).startsWith(name)));
  return named.length > 0 ? named : inits;
};
