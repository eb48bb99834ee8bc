import { normalizeDir, projectOf, type Project } from "../manifests/project.js";
import { parseConventionalCommit, type ConventionalCommit } from "../version/conventional-commit.js";
import { renderUserProse } from "../user-text.js";
import {
  dependencyUpdateOf,
  renderDependencyUpdates,
  type DependencyUpdate,
  type DependencyUpdatesStyle,
} from "./dependency-updates.js";

/** The Keep a Changelog sections, in the order they are written. */
export const changelogSections = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"] as const;
export type ChangelogSection = (typeof changelogSections)[number];

export interface NoteCommit {
  sha: string;
  message: string;
  /** Paths the commit touched; they decide which services a line is scoped to. */
  files: readonly string[];
}

export interface GeneratedNotes {
  /** Markdown of `### Section` groups; "" when nothing user-facing changed. */
  markdown: string;
  groups: Record<ChangelogSection, string[]>;
  /** Commits left out: not conventional, merges, or types with no user-facing change. */
  ignored: string[];
}

// Commit type → section; types missing here (chore, ci, test, docs, style, build) are not notes.
const TYPE_SECTIONS: Record<string, ChangelogSection> = {
  feat: "Added",
  fix: "Fixed",
  perf: "Changed",
  refactor: "Changed",
  revert: "Changed",
  deprecate: "Deprecated",
  deprecated: "Deprecated",
  remove: "Removed",
  removed: "Removed",
  security: "Security",
  sec: "Security",
};

const SECURITY = /\b(?:CVE-\d{4}-\d+|security|vulnerab\w*)\b/i;

const sectionOf = (c: ConventionalCommit): ChangelogSection | undefined => {
  if (c.type === undefined) return undefined;
  if (c.scope?.toLowerCase() === "security" || (c.type === "fix" && SECURITY.test(c.subject)))
    return "Security";
  return TYPE_SECTIONS[c.type] ?? (c.breaking ? "Changed" : undefined);
};

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The services a change belongs to: by touched paths, else by a conventional scope naming one. */
const servicesOf = (
  files: readonly string[],
  scope: string | undefined,
  projects: readonly Project[],
): string[] => {
  const named = projects.filter((p) => normalizeDir(p.path) !== "");
  const hit = new Set<Project>();
  for (const file of files) {
    const owner = projectOf(named, file);
    if (owner) hit.add(owner);
  }
  if (hit.size === 0 && scope) {
    const s = squash(scope);
    for (const p of named) if (s !== "" && (squash(p.name).startsWith(s) || s === squash(p.path))) hit.add(p);
  }
  return named.filter((p) => hit.has(p)).map((p) => p.name);
};

/**
 * Whether a commit's touched paths matter for the notes: it yields a note line and no
 * conventional scope already names its service. Other commits need no per-commit lookup.
 */
export const noteNeedsPaths = (message: string, projects: readonly Project[]): boolean => {
  const parsed = parseConventionalCommit(message);
  if (parsed.merge || sectionOf(parsed) === undefined || dependencyUpdateOf(parsed) !== undefined)
    return false;
  return servicesOf([], parsed.scope, projects).length === 0;
};

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const dedupeKey = (subject: string): string => squash(subject.replace(/(?<!\s)\s*\(#\d+\)\s*$/, ""));

/**
 * Release notes from the conventional commits (and merged PR titles) since the previous
 * release, grouped into Keep a Changelog sections, each line scoped to the services whose
 * paths it touched. Commit messages are parsed with conventional-commits-parser. Dependency-bot
 * updates collapse into one line per dependency, or one entry (`dependencyUpdates`).
 */
export const generateNotes = (
  commits: readonly NoteCommit[],
  projects: readonly Project[],
  pullTitles: readonly string[] = [],
  /** Entries of releases already in the CHANGELOG: a commit they list is not listed again. */
  listed: Iterable<string> = [],
  dependencyUpdates: DependencyUpdatesStyle = "per-dependency",
): GeneratedNotes => {
  const groups: Record<ChangelogSection, string[]> = {
    Added: [],
    Changed: [],
    Deprecated: [],
    Removed: [],
    Fixed: [],
    Security: [],
  };
  const ignored: string[] = [];
  const seen = new Set<string>();
  for (const entry of listed) seen.add(dedupeKey(entry.replace(/^\*\*[^*]+\*\*:\s*/, "")));
  const deps: DependencyUpdate[] = [];
  const add = (message: string, files: readonly string[], label: string) => {
    const parsed = parseConventionalCommit(message);
    const dep = parsed.merge ? undefined : dependencyUpdateOf(parsed);
    if (dep !== undefined) {
      // Unscoped: their paths are never looked up (noteNeedsPaths), so the app and the CLI agree.
      deps.push(dep);
      return;
    }
    const section = parsed.merge ? undefined : sectionOf(parsed);
    if (section === undefined) {
      ignored.push(label);
      return;
    }
    const key = dedupeKey(parsed.subject);
    if (seen.has(key)) return;
    seen.add(key);
    const services = servicesOf(files, parsed.scope, projects);
    const scope = services.length > 0 ? `**${services.join(", ")}**: ` : "";
    const breaking = parsed.breaking ? "**Breaking:** " : "";
    groups[section].push(`- ${scope}${breaking}${renderUserProse(capitalize(parsed.subject))}`);
  };
  for (const commit of commits) add(commit.message, commit.files, commit.sha.slice(0, 7));
  for (const title of pullTitles) add(title, [], title);
  groups.Changed.push(
    ...renderDependencyUpdates(
      deps.filter((d) => !d.security),
      dependencyUpdates,
    ),
  );
  groups.Security.push(
    ...renderDependencyUpdates(
      deps.filter((d) => d.security),
      "per-dependency",
    ),
  );
  const markdown = changelogSections
    .filter((s) => groups[s].length > 0)
    .map((s) => `### ${s}\n\n${groups[s].join("\n")}\n`)
    .join("\n");
  return { markdown, groups, ignored };
};
