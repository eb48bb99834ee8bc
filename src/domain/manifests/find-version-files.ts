import { combineUpdaters } from "./version-file-updater.js";
import { compileGlob } from "../glob.js";
import { imageTagUpdater } from "./image-tag-updater.js";
import { IGNORED_DIRS, isTestPath, normalizeDir, projectOf, type Project } from "./project.js";
import { pythonInitUpdater } from "./python-init-updater.js";
import { findUpdater } from "./updater-registry.js";
import { baseName, type VersionFileUpdater } from "./version-file-updater.js";

export interface VersionFile {
  path: string;
  updater: VersionFileUpdater;
  /** Named by the config (extra files, image manifests): always follows the release. */
  configured?: boolean;
}

const TEST_DIRS = new Set(["test", "tests", "testing", "docs", "scripts", "notebooks", "migrations"]);
const PROJECT_FILES =
  /^(?:pyproject\.toml|package\.json|Dockerfile|Cargo\.toml|setup\.cfg|gradle\.properties|VERSION|version\.txt)$/;
const PY_VERSION = /^__version__\s*(?::\s*str\s*)?=/m;

/**
 * The version files of one project among the repository's `paths`. Only files the project owns
 * count (not those of a nested project among `projects`), except configured manifests:
 * pyproject.toml, package.json, Cargo.toml, setup.cfg, gradle.properties, VERSION/version.txt,
 * Dockerfile, Chart.yaml (up to two levels down, e.g. `helm/`), the package `__init__.py` in flat
 * (`pkg/__init__.py`) and `src/` layouts, the configured extra files, and the manifests holding
 * the project's image (usually under `k8s/` at the root). With `read`, the `__init__.py` that
 * pyproject's dynamic version points to, or else the ones carrying `__version__`, win.
 */
export const findVersionFiles = (
  project: Project,
  paths: readonly string[],
  projects: readonly Project[] = [project],
  read?: (path: string) => string | undefined,
): VersionFile[] => {
  const dir = normalizeDir(project.path);
  const prefix = dir === "" ? "" : `${dir}/`;
  const rel = (p: string): string => p.slice(prefix.length);
  const found = new Map<string, VersionFile>();
  const add = (path: string, updater = findUpdater(path), configured = false) => {
    if (!found.has(path)) found.set(path, { path, updater, ...(configured ? { configured } : {}) });
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
    if (PROJECT_FILES.test(r)) add(path);
    else if (/^(?:[^/]+\/){0,2}Chart\.yaml$/.test(r) && !isTestPath(r)) add(path);
    else {
      const pkg = /^(?:src\/)?([A-Za-z_][\w]*)\/__init__\.py$/.exec(r)?.[1];
      if (pkg !== undefined && !TEST_DIRS.has(pkg)) inits.push(path);
    }
  }
  const pointed = read ? dynamicVersionPath(read(`${prefix}pyproject.toml`), prefix, paths) : undefined;
  if (pointed !== undefined) add(pointed, pythonInitUpdater);
  else {
    const carrying = read ? inits.filter((p) => PY_VERSION.test(read(p) ?? "")) : [];
    for (const path of preferPackage(carrying.length > 0 ? carrying : inits, project.name)) add(path);
  }
  for (const extra of project.versionFiles ?? []) {
    const re = compileGlob(prefix + normalizeDir(extra));
    for (const path of paths) if (re.test(path) && owns(path)) add(path, findUpdater(path), true);
  }
  if (project.image !== undefined) {
    const updater = imageTagUpdater(project.image);
    for (const manifest of project.manifests ?? []) {
      const re = compileGlob(normalizeDir(manifest));
      for (const path of paths) if (re.test(path)) found.set(path, { path, updater, configured: true });
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
};

/**
 * Merges the version files of several projects: a file two projects name (an all-in-one
 * manifest holding several services' images) gets every project's edit, not only the last.
 */
export const mergeVersionFile = <F extends VersionFile>(into: Map<string, F>, file: F): void => {
  const had = into.get(file.path);
  if (had === undefined) into.set(file.path, file);
  else if (
    had.updater.kind !== file.updater.kind &&
    !had.updater.kind.split("+").includes(file.updater.kind)
  ) {
    const configured = had.configured === true || file.configured === true;
    into.set(file.path, {
      ...had,
      updater: combineUpdaters(had.updater, file.updater),
      ...(configured ? { configured } : {}),
    });
  }
};

// setuptools `version = {attr = "pkg.__version__"}`; hatch/pdm `[tool.*.version] path = "src/pkg/__init__.py"`.
const ATTR = /^[ \t]*version[ \t]*=[ \t]*\{[ \t]*attr[ \t]*=[ \t]*["']([\w.]{1,200})\.__version__["']/m;
const PATH =
  /^\[tool\.(?:hatch|pdm)\.version\][^[]{0,2000}?^[ \t]*path[ \t]*=\s*["']([^"'\n]{1,300}\.py)["']/m;

/** The Python file pyproject's dynamic version is read from, when it is in the tree. */
const dynamicVersionPath = (
  pyproject: string | undefined,
  prefix: string,
  paths: readonly string[],
): string | undefined => {
  if (pyproject === undefined) return undefined;
  const candidates: string[] = [];
  const path = PATH.exec(pyproject)?.[1];
  if (path !== undefined) candidates.push(prefix + normalizeDir(path));
  const attr = ATTR.exec(pyproject)?.[1];
  if (attr !== undefined) {
    const module = attr.replaceAll(".", "/");
    for (const root of ["", "src/"])
      candidates.push(`${prefix}${root}${module}/__init__.py`, `${prefix}${root}${module}.py`);
  }
  return candidates.find((c) => paths.includes(c));
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

// Version-bearing files of other ecosystems, recognised so the plan can say it left them alone.
const OTHER_KINDS: [RegExp, string][] = [
  [/^pom\.xml$/, "Maven pom.xml"],
  [/^build\.gradle(?:\.kts)?$/, "Gradle build script"],
  [/^setup\.py$/, "setup.py"],
  [/^pubspec\.yaml$/, "Dart/Flutter pubspec.yaml"],
  [/^composer\.json$/, "Composer composer.json"],
  [/^mix\.exs$/, "Elixir mix.exs"],
  [/\.gemspec$/, "Ruby gemspec"],
  [/\.(?:cs|fs|vb)proj$|^Directory\.Build\.props$/, ".NET project file"],
];
const MAX_REPORTED = 50;

/**
 * Files that usually carry a version but are not among the release's version files, each with
 * why: test packages and fixtures, files outside every release project, kinds no updater edits.
 * Capped, so a tree with thousands of manifests gives a short list.
 */
export const unreleasedVersionFiles = (
  paths: readonly string[],
  handled: ReadonlySet<string>,
): { path: string; reason: string }[] => {
  const out: { path: string; reason: string }[] = [];
  let more = 0;
  for (const path of paths) {
    if (handled.has(path) || IGNORED_DIRS.test(path) || path.split("/").length > 4) continue;
    const name = baseName(path);
    const other = OTHER_KINDS.find(([re]) => re.test(name));
    const editable = PROJECT_FILES.test(name) && name !== "Dockerfile";
    if (other === undefined && !editable && name !== "Chart.yaml") continue;
    const reason = isTestPath(path)
      ? "a test package or fixture; not part of the release"
      : other !== undefined
        ? `${other[1]} is not edited by release-pilot; bump it by hand, or mark the line with \`x-release-pilot-version\` and list it in versionFiles`
        : "not a version file of any release project; list it in versionFiles to bump it with releases";
    if (out.length < MAX_REPORTED) out.push({ path, reason });
    else more++;
  }
  if (more > 0) out.push({ path: "…", reason: `${more} more such file(s) not listed` });
  return out;
};
