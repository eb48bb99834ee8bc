import type { ConventionalCommit } from "../version/conventional-commit.js";
import { renderUserProse } from "../user-text.js";

/** How generated notes show dependency updates (the `release.changelog.dependencyUpdates` setting). */
export type DependencyUpdatesStyle = "per-dependency" | "one-entry";

/** One dependency-bot update, read from a commit subject or PR title. */
export interface DependencyUpdate {
  /** The dependency (`eslint`, `actions/checkout`), or the update's subject when it names none. */
  name: string;
  from?: string | undefined;
  to?: string | undefined;
  security: boolean;
  /** Services whose paths the update touched (for the line's `**service**:` scope). */
  services?: readonly string[] | undefined;
}

const DEP_SCOPE = /^(?:deps(?:-dev)?|dependencies|dev-deps)$/i;
const DEP_TYPES = new Set(["chore", "build", "ci", "fix", "deps"]);
// Dependabot: "Bump lodash from 4.17.20 to 4.17.21" (optionally "in /web").
const DEPENDABOT = /^bump (\S{1,214}) from (\S{1,64}) to (\S{1,64})(?: in \S{1,300})?$/i;
// Renovate: "Update dependency eslint to v9", "Update actions/checkout action to v4",
// "Update rust crate serde to 1.0.203", "Update node Docker tag to v22", "Update module x to v1.2.3".
const RENOVATE =
  /^update (?:(?:dependency|module|rust crate|gem|package|plugin|helm release|terraform|orb) )?(\S{1,214})(?: (?:action|docker tag|digest|orb))? to (\S{1,64})(?: \[security\])?$/i;
// Renovate and Dependabot updates that name no single dependency.
const GENERAL =
  /^(?:update all (?:non-major )?dependencies|lock file maintenance|pin dependencies|bump the \S+ group\b|update \S+ monorepo\b)/i;
const SECURITY = /\[security\]|\bCVE-\d{4}-\d+|\bsecurity\b|\bvulnerab/i;

const clean = (s: string): string => s.replace(/[`\s]/g, "");

/**
 * The dependency update a commit is, if it is one: a `deps` scope (`chore(deps)`, `build(deps)`,
 * `ci(deps)`, Renovate's `fix(deps)`), or a bot's own wording with no conventional prefix.
 * Dependabot's and Renovate's default commit messages are matched (docs.github.com "Customizing
 * Dependabot" commit-message options; docs.renovatebot.com "commitMessage" defaults).
 */
export const dependencyUpdateOf = (commit: ConventionalCommit): DependencyUpdate | undefined => {
  const byScope =
    commit.type !== undefined &&
    (commit.type === "deps" || (DEP_TYPES.has(commit.type) && DEP_SCOPE.test(commit.scope ?? "")));
  // A squash-merge appends the PR number: "… to v9 (#411)".
  const subject = commit.subject.trim().replace(/(?<=\S)\s*\(#\d{1,10}\)$/, "");
  const bot = DEPENDABOT.exec(subject) ?? RENOVATE.exec(subject);
  if (!byScope && commit.type !== undefined && !bot) return undefined;
  const security = SECURITY.test(subject);
  const [, name, from, to] = DEPENDABOT.exec(subject) ?? [];
  if (name !== undefined && from !== undefined && to !== undefined)
    return { name: clean(name), from: clean(from), to: clean(to), security };
  const [, renovated, toVersion] = RENOVATE.exec(subject) ?? [];
  if (renovated !== undefined && toVersion !== undefined)
    return { name: clean(renovated), to: clean(toVersion), security };
  if (byScope || GENERAL.test(subject)) return { name: subject, security };
  return undefined;
};

// Loose version order for bot-written versions (`v4`, `4.17.21`, `1.0.0-rc.2`): numbers compared numerically.
const compareLoose = (a: string, b: string): number => {
  const pa = a.replace(/^v/i, "").split(/[.-]/);
  const pb = b.replace(/^v/i, "").split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "";
    const y = pb[i] ?? "";
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const d = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
};

const code = (name: string): string => `\`${name}\``;
const MAX_LISTED = 30;

/**
 * Note lines for dependency updates: one per dependency (the highest version wins, from the
 * lowest it started at), or one entry naming them all. Updates naming no dependency each keep
 * one line (deduplicated).
 */
export const renderDependencyUpdates = (
  updates: readonly DependencyUpdate[],
  style: DependencyUpdatesStyle,
): string[] => {
  const named = new Map<
    string,
    { from?: string | undefined; to?: string | undefined; services: Set<string> }
  >();
  const general = new Map<string, Set<string>>();
  for (const u of updates) {
    if (u.to === undefined && u.from === undefined) {
      const services = general.get(u.name) ?? new Set<string>();
      for (const s of u.services ?? []) services.add(s);
      general.set(u.name, services);
      continue;
    }
    const had = named.get(u.name);
    if (had === undefined) {
      named.set(u.name, { from: u.from, to: u.to, services: new Set(u.services ?? []) });
      continue;
    }
    for (const s of u.services ?? []) had.services.add(s);
    if (u.to !== undefined && (had.to === undefined || compareLoose(u.to, had.to) > 0)) had.to = u.to;
    if (u.from !== undefined && (had.from === undefined || compareLoose(u.from, had.from) < 0))
      had.from = u.from;
  }
  const describe = (name: string, v: { from?: string | undefined; to?: string | undefined }) =>
    `${code(name)}${v.from !== undefined ? ` from ${v.from}` : ""}${v.to !== undefined ? ` to ${v.to}` : ""}`;
  const names = [...named.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (style === "one-entry") {
    if (names.length === 0 && general.size === 0) return [];
    const listed = names.slice(0, MAX_LISTED).map(([n, v]) => renderUserProse(describe(n, v)));
    const more = names.length - listed.length + general.size;
    const tail = more > 0 ? `${listed.length > 0 ? " and " : ""}${more} other update(s)` : "";
    return [`- Dependencies: ${listed.join(", ")}${tail}`];
  }
  const scope = (services: Set<string>) => (services.size > 0 ? `**${[...services].join(", ")}**: ` : "");
  return [
    ...names.map(([n, v]) => `- ${scope(v.services)}Update ${renderUserProse(describe(n, v))}`),
    ...[...general].map(
      ([s, services]) => `- ${scope(services)}${renderUserProse(s.charAt(0).toUpperCase() + s.slice(1))}`,
    ),
  ];
};
