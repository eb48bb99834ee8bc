import type { ReleaseConfig } from "../../config/sections/release.js";
import { findVersionFiles, type VersionFile } from "../manifests/find-version-files.js";
import { globToRegExp, matchGlobs } from "../manifests/glob.js";
import { discoverProjects, normalizeDir, type Project } from "../manifests/project.js";
import { findUpdater } from "../manifests/registry.js";
import type { FileChange, TreeSnapshot, VersionSource } from "./release-plan.js";

/** Projects from config, else discovered in the tree. */
export const resolveProjects = (
  config: Pick<ReleaseConfig, "projects">,
  paths: readonly string[],
): Project[] =>
  config.projects
    ? config.projects.map((p) => ({ ...p, path: normalizeDir(p.path) }))
    : discoverProjects(paths);

/** A version file and the project it belongs to (none: a repository-wide `versionFiles` glob). */
export interface ProjectVersionFile extends VersionFile {
  project?: string | undefined;
}

/**
 * Every version file of the release: each project's (its own files and its configured manifests,
 * which may live outside its directory, e.g. `k8s/`), plus the configured extra globs. The one
 * list the bump edits, the Version consistency gate checks and the hotfix comment counts.
 */
export const collectVersionFiles = (
  config: Pick<ReleaseConfig, "versionFiles">,
  projects: readonly Project[],
  paths: readonly string[],
): { files: ProjectVersionFile[]; warnings: string[] } => {
  const warnings: string[] = [];
  const byPath = new Map<string, ProjectVersionFile>();
  for (const project of projects) {
    for (const file of findVersionFiles(project, paths, projects))
      byPath.set(file.path, { ...file, project: project.name });
    const dir = normalizeDir(project.path);
    const configured = [
      ...(project.versionFiles ?? []).map((g) => (dir === "" ? g : `${dir}/${normalizeDir(g)}`)),
      ...(project.image !== undefined ? (project.manifests ?? []) : []),
    ];
    for (const glob of configured) {
      const re = globToRegExp(normalizeDir(glob));
      if (!paths.some((p) => re.test(p)))
        warnings.push(`${project.name}: configured file "${glob}" matches nothing.`);
    }
  }
  for (const path of matchGlobs(config.versionFiles.map(normalizeDir), paths)) {
    if (!byPath.has(path)) byPath.set(path, { path, updater: findUpdater(path) });
  }
  for (const glob of config.versionFiles) {
    if (matchGlobs([normalizeDir(glob)], paths).length === 0)
      warnings.push(`versionFiles: "${glob}" matches nothing.`);
  }
  return { files: [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path)), warnings };
};

/** The projects of a tree and their version files, as a release of it counts them. */
export const releaseVersionFiles = (
  config: Pick<ReleaseConfig, "projects" | "versionFiles">,
  paths: readonly string[],
): { projects: Project[]; files: ProjectVersionFile[]; warnings: string[] } => {
  const projects = resolveProjects(config, paths);
  return { projects, ...collectVersionFiles(config, projects, paths) };
};

/** The version each file carries now (a source of the current version). */
export const readVersionSources = (files: readonly VersionFile[], tree: TreeSnapshot): VersionSource[] =>
  files.flatMap((file) => {
    const text = tree.read(file.path);
    const version = text === undefined ? undefined : file.updater.readVersion(text);
    return version === undefined ? [] : [{ source: file.path, version }];
  });

/** Edits every version file to `version`; files with no version are reported, never edited. */
export const planVersionFiles = (
  files: readonly VersionFile[],
  tree: TreeSnapshot,
  version: string,
): { changes: FileChange[]; skipped: { path: string; reason: string }[] } => {
  const changes: FileChange[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const file of files) {
    const before = tree.read(file.path);
    if (before === undefined) {
      skipped.push({ path: file.path, reason: "listed in the tree but could not be read" });
      continue;
    }
    const current = file.updater.readVersion(before);
    if (current === undefined) {
      skipped.push({ path: file.path, reason: `no version found (${file.updater.kind}); not edited` });
      continue;
    }
    const after = file.updater.updateContent(before, version);
    if (after === before) skipped.push({ path: file.path, reason: `already at ${version}` });
    else changes.push({ path: file.path, before, after, fromVersion: current });
  }
  return { changes, skipped };
};
