import { changelogSections, type ChangelogSection } from "./generate-notes.js";
import { blocksOf, DATE, newestRelease, type Changelog } from "./parse-changelog.js";

/** How a CHANGELOG writes its releases, learnt from the file so a new release looks like the rest. */
export interface ChangelogStyle {
  /** The newest release heading, as written; undefined for a file without releases. */
  heading: string | undefined;
  /** The version as it appears in that heading (with its `v`, if any). */
  headingVersion: string | undefined;
  /** The date as it appears in that heading, if any. */
  headingDate: string | undefined;
  /** The rule between releases (`---`), when the file separates them with one. */
  rule: string | undefined;
  /** Section names the file uses for each Keep a Changelog section (`Feat` for Added, …). */
  sections: Partial<Record<ChangelogSection, string>>;
  /** List marker of entries. */
  bullet: string;
  /** Whether a blank line follows a sub-heading. */
  blankAfterSubheading: boolean;
  /** Whether versions have `[x.y.z]: url` reference links. */
  versionLinks: boolean;
  /** What a version's link points at: a compare range or the release's tag page. */
  linkKind: "compare" | "tag";
}

/** Names changelogs use for each section; the file's own spelling wins. */
const SYNONYMS: Record<ChangelogSection, RegExp> = {
  Added: /^(?:added|adds?|feat|feats|features?|new(?: features?)?|enhancements?)$/i,
  Changed: /^(?:changed|changes?|improvements?|improved)$/i,
  Deprecated: /^(?:deprecated|deprecations?)$/i,
  Removed: /^(?:removed|removals?|deleted)$/i,
  Fixed: /^(?:fixed|fix|fixes|bug ?fixes|bugfix|bugs)$/i,
  Security: /^(?:security)$/i,
};

const VERSION_LABEL = /^(?:unreleased|v?\d+\.\d+\.\d\S*)$/i;

/** Learns the style of a changelog from its newest releases (up to ten). */
export const detectChangelogStyle = (changelog: Changelog): ChangelogStyle => {
  const { text } = changelog;
  // Only an ATX heading (`## …`) is copied; a setext one (underlined) gets the default form.
  const latest = newestRelease(changelog);
  const newest = latest && /^[ \t]{0,3}#/.test(latest.heading) ? latest : undefined;
  const versioned = changelog.releases.filter((r) => r.name !== "Unreleased").slice(0, 10);
  const counts = new Map<string, number>();
  let bullets: Record<string, number> = { "-": 0, "*": 0, "+": 0 };
  let blankAfter = 0;
  let tightAfter = 0;
  let rule: string | undefined;
  for (const release of versioned) {
    const blocks = blocksOf(changelog, release);
    const last = blocks.at(-1);
    if (last?.type === "thematicBreak") rule ??= text.slice(last.start, last.end).trim();
    blocks.forEach((block, i) => {
      if (block.type === "heading" && (block.depth ?? 0) >= 3) {
        counts.set(block.text, (counts.get(block.text) ?? 0) + 1);
        const next = blocks[i + 1];
        if (next && next.type !== "heading") {
          const between = text.slice(block.end, next.start);
          if (/\n[ \t]*\r?\n/.test(between)) blankAfter++;
          else tightAfter++;
        }
      } else if (block.type === "list") {
        const marker = /^[ \t]*([-*+])[ \t]/.exec(text.slice(block.start, block.end))?.[1];
        if (marker) bullets = { ...bullets, [marker]: (bullets[marker] ?? 0) + 1 };
      }
    });
  }
  const sections: Partial<Record<ChangelogSection, string>> = {};
  for (const section of changelogSections) {
    const used = [...counts].filter(([name]) => SYNONYMS[section].test(name)).sort((a, b) => b[1] - a[1]);
    if (used[0]) sections[section] = used[0][0];
  }
  const versionLinks = changelog.links.filter(
    (l) => VERSION_LABEL.test(l.label) && !/^unreleased$/i.test(l.label),
  );
  const compare = versionLinks.some((l) => /\/compare\//.test(l.url));
  const headingLink = newest ? /\]\(([^)]*)\)/.exec(newest.heading)?.[1] : undefined;
  const tagOnly =
    (versionLinks.length > 1 && !compare) ||
    (headingLink !== undefined && /\/releases\/tag\//.test(headingLink));
  const headingVersion = newest
    ? new RegExp(`v?${newest.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).exec(newest.heading)?.[0]
    : undefined;
  const [topBullet, topCount = 0] = Object.entries(bullets).sort((a, b) => b[1] - a[1])[0] ?? [];
  return {
    heading: newest?.heading,
    headingVersion,
    headingDate: newest
      ? DATE.exec(newest.heading.slice(newest.heading.indexOf(newest.name)))?.[1]
      : undefined,
    rule,
    sections,
    bullet: topBullet !== undefined && topCount > 0 ? topBullet : "-",
    blankAfterSubheading: blankAfter >= tightAfter,
    versionLinks: versionLinks.length > 0,
    linkKind: tagOnly ? "tag" : "compare",
  };
};

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** `2025-01-15` written in the format of `sample` (`2025/01/15`, `15.01.2025`, `Jan 15, 2025`, …). */
const formatDateLike = (isoDate: string, sample: string | undefined): string => {
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate) ?? [];
  if (y === undefined || m === undefined || d === undefined) return isoDate;
  if (sample === undefined || /^\d{4}-\d{2}-\d{2}$/.test(sample)) return isoDate;
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(sample)) return `${y}/${m}/${d}`;
  if (/^\d{2}\.\d{2}\.\d{4}$/.test(sample)) return `${d}.${m}.${y}`;
  const full = MONTH_NAMES[Number(m) - 1];
  if (full === undefined) return isoDate;
  const long = /^[A-Za-z]{4,}/.test(sample) || /\d [A-Za-z]{4,}/.test(sample);
  const month = long && !/^(?:Sept)\b/.test(sample) ? full : full.slice(0, 3);
  const dot = /[A-Za-z]\./.test(sample) ? "." : "";
  return /^\d/.test(sample) ? `${Number(d)} ${month}${dot} ${y}` : `${month}${dot} ${Number(d)}, ${y}`;
};

/**
 * The heading of a new release in the file's own form: the newest heading with its version,
 * date and inline link replaced. Files without a release get `## [version] - date`.
 */
export const renderReleaseHeading = (
  style: ChangelogStyle,
  version: string,
  date: string,
  url: string | undefined,
): string => {
  const { heading, headingVersion } = style;
  if (heading === undefined || headingVersion === undefined) return `## [${version}] - ${date}`;
  const at = heading.indexOf(headingVersion);
  const shownVersion = headingVersion.startsWith("v") ? `v${version}` : version;
  let rest = heading.slice(at + headingVersion.length);
  const inline = /^(\]\()([^)]*)(\))/.exec(rest);
  if (inline) rest = `](${url ?? inline[2] ?? ""})${rest.slice(inline[0].length)}`;
  if (style.headingDate !== undefined)
    rest = rest.replace(style.headingDate, formatDateLike(date, style.headingDate));
  return heading.slice(0, at) + shownVersion + rest;
};

/**
 * Generated notes (`### Added` groups with `- ` entries) in the file's spelling: its section
 * names, list marker and spacing after sub-headings.
 */
export const styleNotes = (markdown: string, style: ChangelogStyle): string => {
  const out: string[] = [];
  const lines = markdown.split("\n");
  lines.forEach((line, i) => {
    const heading = /^(#{3,})[ \t]+(\S.*)$/.exec(line);
    if (heading) {
      // Only a known section is renamed: a heading such as `constructor` is no key of the style's.
      const section = changelogSections.find((s) => s === heading[2]);
      out.push(`${heading[1]} ${(section && style.sections[section]) ?? heading[2]}`);
      if (!style.blankAfterSubheading && lines[i + 1] === "") lines[i + 1] = "\0";
      return;
    }
    if (line === "\0") return;
    out.push(line.replace(/^- /, `${style.bullet} `));
  });
  return out.join("\n");
};
