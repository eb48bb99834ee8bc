import type { ReleaseSettings } from "./release-settings.js";
import { findVersionFiles, mergeVersionFile, type VersionFile } from "../manifests/find-version-files.js";
import { compileGlob, matchGlobs } from "../glob.js";
import { discoverProjects, normalizeDir, type Project } from "../manifests/project.js";
import { findUpdater } from "../manifests/updater-registry.js";
import type { UpdateContext } from "../manifests/version-file-updater.js";
import { parseVersion, type Version } from "../version/version.js";
import type { FileChange, TreeSnapshot, VersionSource } from "./release-plan.js";

/** Projects from config, else discovered in the tree. */
export const resolveProjects = (
  config: Pick<ReleaseSettings, "projects">,
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
  config: Pick<ReleaseSettings, "versionFiles">,
  projects: readonly Project[],
  paths: readonly string[],
  read?: (path: string) => string | undefined,
): { files: ProjectVersionFile[]; warnings: string[] } => {
  const warnings: string[] = [];
  const byPath = new Map<string, ProjectVersionFile>();
  for (const project of projects) {
    for (const file of findVersionFiles(project, paths, projects, read))
      mergeVersionFile(byPath, { ...file, project: project.name });
    const dir = normalizeDir(project.path);
    const configured = [
      ...(project.versionFiles ?? []).map((g) => (dir === "" ? g : `${dir}/${normalizeDir(g)}`)),
      ...(project.image !== undefined ? (project.manifests ?? []) : []),
    ];
    for (const glob of configured) {
      const re = compileGlob(normalizeDir(glob));
      if (!paths.some((p) => re.test(p)))
        warnings.push(`${project.name}: configured file "${glob}" matches nothing.`);
    }
  }
  for (const path of matchGlobs(config.versionFiles.map(normalizeDir), paths)) {
    const had = byPath.get(path);
    if (had === undefined) byPath.set(path, { path, updater: findUpdater(path), configured: true });
    else byPath.set(path, { ...had, configured: true });
  }
  for (const glob of config.versionFiles) {
    if (matchGlobs([normalizeDir(glob)], paths).length === 0)
      warnings.push(`versionFiles: "${glob}" matches nothing.`);
  }
  return { files: [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path)), warnings };
};

/** The projects of a tree and their version files, as a release of it counts them. */
export const releaseVersionFiles = (
  config: Pick<ReleaseSettings, "projects" | "versionFiles">,
  paths: readonly string[],
  read?: (path: string) => string | undefined,
): { projects: Project[]; files: ProjectVersionFile[]; warnings: string[] } => {
  const projects = resolveProjects(config, paths);
  return { projects, ...collectVersionFiles(config, projects, paths, read) };
};

/** The version each file carries now (a source of the current version). */
export const readVersionSources = (files: readonly VersionFile[], tree: TreeSnapshot): VersionSource[] =>
  files.flatMap((file) => {
    const text = tree.read(file.path);
    const version = text === undefined ? undefined : file.updater.readVersion(text);
    return version === undefined ? [] : [{ source: file.path, version }];
  });

const parsed = (text: string): Version | undefined => {
  const v = parseVersion(text);
  return v.ok ? v.value : undefined;
};

const isPrivatePackage = (path: string, text: string | undefined): boolean =>
  path.endsWith("package.json") && /^\s{0,8}"private"\s*:\s*true/m.test(text ?? "");

/**
 * Which version files follow the release (lockstep) and which are versioned on their own.
 * Lockstep: the configured ones, and those carrying a version the repository released (`released`:
 * the tag's and the CHANGELOG's, so a file lagging at a stale tag's version still follows; with
 * neither, the highest a candidate file carries). The rest
 * (a `0.0.0` placeholder, a private package, a part at another version) are reported, not edited.
 */
export const selectLockstep = (
  files: readonly VersionFile[],
  tree: TreeSnapshot,
  released: readonly Version[],
): { lockstep: VersionFile[]; independent: { path: string; reason: string }[] } => {
  const read = files.map((file) => {
    const text = tree.read(file.path);
    const raw = text === undefined ? undefined : file.updater.readVersion(text);
    return { file, text, version: raw === undefined ? undefined : parsed(raw) };
  });
  const placeholder = (v: Version) => v.major === 0 && v.minor === 0 && v.patch === 0;
  const fromFiles = read
    .flatMap((r) =>
      r.version && !placeholder(r.version) && !isPrivatePackage(r.file.path, r.text) ? [r.version] : [],
    )
    .sort((a, b) => b.compare(a))[0];
  const follows = released.length > 0 ? released : fromFiles === undefined ? [] : [fromFiles];
  const base = [...follows].sort((a, b) => b.compare(a))[0];
  const lockstep: VersionFile[] = [];
  const independent: { path: string; reason: string }[] = [];
  for (const { file, text, version } of read) {
    // Files with no readable version are planned as before: planVersionFiles says why.
    if (
      file.configured === true ||
      version === undefined ||
      base === undefined ||
      follows.some((v) => v.equals(version))
    ) {
      lockstep.push(file);
      continue;
    }
    const at = version.toString();
    const reason = placeholder(version)
      ? "0.0.0 placeholder; versioned on its own, not edited"
      : isPrivatePackage(file.path, text)
        ? `private package ("private": true) at ${at}; versioned on its own, not edited`
        : `at ${at}, not the release's ${base.toString()}: versioned on its own, not edited (list it in versionFiles to bump it with releases)`;
    independent.push({ path: file.path, reason });
  }
  return { lockstep, independent };
};

/**
 * Edits every version file to `version`; files with no version are reported, never edited.
 * What a file leaves alone on purpose (a `${VERSION}` label, an inherited version) is reported too.
 */
export const planVersionFiles = (
  files: readonly VersionFile[],
  tree: TreeSnapshot,
  version: string,
  context: UpdateContext = {},
): { changes: FileChange[]; skipped: { path: string; reason: string }[]; warnings: string[] } => {
  const changes: FileChange[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const before = tree.read(file.path);
    if (before === undefined) {
      skipped.push({ path: file.path, reason: "listed in the tree but could not be read" });
      continue;
    }
    const notes = file.updater.notes?.(before) ?? [];
    const current = file.updater.readVersion(before);
    if (current === undefined) {
      const why = notes.length > 0 ? notes.join("; ") : `no version found (${file.updater.kind})`;
      skipped.push({ path: file.path, reason: `${why}; not edited` });
      continue;
    }
    warnings.push(...notes.map((n) => `${file.path}: ${n}.`));
    const after = file.updater.updateContent(before, version, context);
    if (after === before) skipped.push({ path: file.path, reason: `already at ${version}` });
    else changes.push({ path: file.path, before, after, fromVersion: current });
  }
  return { changes, skipped, warnings };
};
