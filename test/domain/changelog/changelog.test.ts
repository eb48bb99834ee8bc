import { describe, expect, it } from "@jest/globals";
import { updateCompareLinks } from "../../../src/domain/changelog/compare-links.js";
import { getSection, newestRelease, parseChangelog } from "../../../src/domain/changelog/parse-changelog.js";
import {
  releaseChangelogText,
  releaseUnreleased,
  type ChangelogEdit,
} from "../../../src/domain/changelog/release-unreleased.js";

const HEAD = `# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added
- Batch prediction endpoint in BankChurn

### Fixed
- CORS issue in TelecomAI

`;
const REST = `## [1.1.0] - 2025-01-02

### Added
- Dashboard in CarVision

\`\`\`
## not a heading inside a fence
\`\`\`

## [1.0.0] - 2024-12-01

- First release.

`;
const LINKS = `[Unreleased]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/DuqueOM/ML-MLOps-Portfolio/releases/tag/v1.0.0
`;
const TEXT = HEAD + REST + LINKS;

const ok = (edit: ReturnType<typeof releaseUnreleased>): ChangelogEdit => {
  if (!edit.ok) throw new Error(edit.error.message);
  return edit.value;
};

describe("parseChangelog", () => {
  it("finds releases, dates, links and the footer, ignoring fenced code", () => {
    const c = parseChangelog(TEXT);
    expect(c.releases.map((r) => [r.name, r.date])).toEqual([
      ["Unreleased", undefined],
      ["1.1.0", "2025-01-02"],
      ["1.0.0", "2024-12-01"],
    ]);
    expect(c.links.map((l) => l.label)).toEqual(["Unreleased", "1.1.0", "1.0.0"]);
    expect(c.footerStart).toBe(HEAD.length + REST.length);
    expect(TEXT.slice(c.releases[2]!.end)).toBe(LINKS);
    expect(newestRelease(c)?.name).toBe("1.1.0");
    expect(getSection(c, "1.0.0")).toBe("- First release.");
    expect(getSection(c, "v1.1.0")).toContain("## not a heading inside a fence");
    expect(getSection(c, "9.9.9")).toBeUndefined();
  });
  it("reads other heading styles", () => {
    const c = parseChangelog(
      "## v2.0.0 (2025-03-04)\n- a\n## [1.9.0](https://x/compare/a...b) - 2025-02-01\n- b\n## Unreleased\n",
    );
    expect(c.releases.map((r) => [r.name, r.date])).toEqual([
      ["2.0.0", "2025-03-04"],
      ["1.9.0", "2025-02-01"],
      ["Unreleased", undefined],
    ]);
  });
});

describe("releaseUnreleased", () => {
  it("moves Unreleased notes under the new heading; every other byte stays", () => {
    const edit = ok(releaseUnreleased(parseChangelog(TEXT), "1.2.0", "2025-01-15"));
    const unreleasedHeadingEnd = HEAD.indexOf("## [Unreleased]\n") + "## [Unreleased]\n".length;
    expect(edit.text.slice(0, unreleasedHeadingEnd)).toBe(TEXT.slice(0, unreleasedHeadingEnd));
    expect(edit.text.endsWith(REST + LINKS)).toBe(true);
    expect(edit.text.slice(unreleasedHeadingEnd, edit.text.length - (REST + LINKS).length)).toBe(
      "\n## [1.2.0] - 2025-01-15\n\n### Added\n- Batch prediction endpoint in BankChurn\n\n### Fixed\n- CORS issue in TelecomAI\n\n",
    );
    expect(edit.section).toBe(
      "### Added\n- Batch prediction endpoint in BankChurn\n\n### Fixed\n- CORS issue in TelecomAI",
    );
    expect(getSection(parseChangelog(edit.text), "Unreleased")).toBe("");
    expect(getSection(parseChangelog(edit.text), "1.2.0")).toBe(edit.section);
  });
  it("uses generated notes when Unreleased is empty, and keeps CRLF", () => {
    const crlf = "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [1.1.0] - 2025-01-02\r\n- x\r\n";
    const edit = ok(releaseUnreleased(parseChangelog(crlf), "1.2.0", "2025-01-15", "### Fixed\n\n- y\n"));
    expect(edit.text).toBe(
      "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [1.2.0] - 2025-01-15\r\n\r\n### Fixed\r\n\r\n- y\r\n\r\n## [1.1.0] - 2025-01-02\r\n- x\r\n",
    );
  });
  it("puts the release above the first release, and adds no Unreleased to a file that never had one", () => {
    const text = "# Changelog\n\nIntro.\n\n## [1.1.0] - 2025-01-02\n- x\n";
    const edit = ok(releaseUnreleased(parseChangelog(text), "1.2.0", "2025-01-15", "### Added\n- y"));
    expect(edit.text).toBe(
      "# Changelog\n\nIntro.\n\n## [1.2.0] - 2025-01-15\n\n### Added\n- y\n\n## [1.1.0] - 2025-01-02\n- x\n",
    );
    expect(edit.source).toEqual({ from: "commits", reason: "the file has no Unreleased section" });
  });
  it("creates a changelog from nothing", () => {
    const edit = releaseChangelogText("", "0.1.0", "2025-01-15", "### Added\n- First");
    expect(ok(edit).text).toMatch(
      /^# Changelog\n[\s\S]*## \[Unreleased\]\n\n## \[0\.1\.0\] - 2025-01-15\n\n### Added\n- First\n$/,
    );
  });
  it("refuses a version already released and an empty release", () => {
    const released = releaseUnreleased(parseChangelog(TEXT), "1.1.0", "2025-01-15");
    expect(!released.ok && released.error.code).toBe("already-released");
    const empty = releaseUnreleased(
      parseChangelog("## [Unreleased]\n\n## [1.0.0]\n- x\n"),
      "1.1.0",
      "2025-01-15",
    );
    expect(!empty.ok && empty.error.code).toBe("nothing-to-release");
  });
});

describe("updateCompareLinks", () => {
  it("moves Unreleased to the new tag and adds the version's compare link", () => {
    const { text, warning } = updateCompareLinks(TEXT, { version: "1.2.0", previousVersion: "1.1.0" });
    expect(warning).toBeUndefined();
    expect(text).toBe(
      HEAD +
        REST +
        "[Unreleased]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.2.0...HEAD\n" +
        "[1.2.0]: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.1.0...v1.2.0\n" +
        LINKS.split("\n").slice(1).join("\n"),
    );
  });
  it("adds no links to a file that has none (its style is no reference links)", () => {
    const text = "## [1.0.1]\n- y\n\n## [1.0.0]\n- x\n";
    const result = updateCompareLinks(text, {
      version: "1.0.1",
      previousVersion: "1.0.0",
      repoUrl: "https://github.com/o/r.git",
    });
    expect(result).toEqual({ text });
  });
  it("links from the repository itself, not from stale links in the file, in the file's tag-page style", () => {
    const text =
      "## [1.0.1]\n- y\n\n## [1.0.0]\n- x\n\n## [0.9.0]\n- w\n\n" +
      "[1.0.0]: https://github.com/old/name/releases/tag/release-1.0.0\n" +
      "[0.9.0]: https://github.com/old/name/releases/tag/release-0.9.0\n";
    const { text: after } = updateCompareLinks(text, {
      version: "1.0.1",
      previousVersion: "1.0.0",
      tagPrefix: "release-",
      repoUrl: "https://github.com/o/r.git",
    });
    expect(after).toBe(
      "## [1.0.1]\n- y\n\n## [1.0.0]\n- x\n\n## [0.9.0]\n- w\n\n" +
        "[1.0.1]: https://github.com/o/r/releases/tag/release-1.0.1\n" +
        "[1.0.0]: https://github.com/old/name/releases/tag/release-1.0.0\n" +
        "[0.9.0]: https://github.com/old/name/releases/tag/release-0.9.0\n",
    );
  });
  it("warns and changes nothing without any URL", () => {
    const text = "## [1.0.1]\n\n## [1.0.0]\n\n[1.0.0]: ../1.0.0\n";
    const result = updateCompareLinks(text, { version: "1.0.1", previousVersion: "1.0.0" });
    expect(result.text).toBe(text);
    expect(result.warning).toMatch(/No repository URL/);
  });
});

describe("large changelogs", () => {
  it("parses and edits a multi-megabyte file with thousands of releases", () => {
    const parts = ["# Changelog\n\n## [Unreleased]\n\n### Fixed\n- latest fix\n\n"];
    const links = ["[Unreleased]: https://github.com/o/r/compare/v5000.0.0...HEAD\n"];
    for (let i = 5000; i >= 1; i--) {
      parts.push(
        `## [${i}.0.0] - 2020-01-01\n\n### Added\n${"- a change with a reasonably long description line\n".repeat(12)}\n`,
      );
      links.push(`[${i}.0.0]: https://github.com/o/r/compare/v${i - 1}.0.0...v${i}.0.0\n`);
    }
    const text = parts.join("") + links.join("");
    expect(text.length).toBeGreaterThan(3_000_000);
    const c = parseChangelog(text);
    expect(c.releases).toHaveLength(5001);
    expect(c.links).toHaveLength(5001);
    const edit = ok(releaseUnreleased(c, "5001.0.0", "2025-01-15"));
    const linked = updateCompareLinks(edit.text, { version: "5001.0.0", previousVersion: "5000.0.0" });
    expect(getSection(parseChangelog(linked.text), "5001.0.0")).toBe("### Fixed\n- latest fix");
    expect(linked.text.length).toBe(
      text.length +
        "## [5001.0.0] - 2025-01-15\n\n".length +
        "[5001.0.0]: https://github.com/o/r/compare/v5000.0.0...v5001.0.0\n".length,
    );
  });
});

describe("robustness", () => {
  it("parse never throws and its offsets stay ordered and in range", async () => {
    const fc = (await import("fast-check")).default;
    const line = fc.oneof(
      fc.constantFrom(
        "## [Unreleased]",
        "## [1.0.0] - 2020-01-01",
        "```\n## [2.0.0]\n```",
        "[1.0.0]: https://x/compare/a...b",
        "",
        "- x",
      ),
      // Arbitrary text, minus fence and HTML block openers: an unclosed fence or HTML block
      // (CommonMark) makes the rest of a file code or HTML, so nothing after it is a heading.
      fc.string().filter((t) => !/^[ \t]{0,3}(?:```|~~~|<)/m.test(t)),
    );
    fc.assert(
      fc.property(fc.array(line), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
        const text = lines.join(eol);
        const c = parseChangelog(text);
        for (const r of c.releases) {
          expect(r.headingStart).toBeLessThan(r.headingEnd);
          expect(r.headingEnd).toBeLessThanOrEqual(r.end + 1);
          expect(r.end).toBeLessThanOrEqual(text.length);
        }
        const edit = releaseUnreleased(c, "99.0.0", "2025-01-15", "- n");
        if (edit.ok) expect(getSection(parseChangelog(edit.value.text), "99.0.0")).toBeDefined();
      }),
    );
  });
});
