import { describe, expect, it } from "@jest/globals";
import { parseChangelog } from "../../../src/domain/changelog/parse-changelog.js";
import { readUnreleased } from "../../../src/domain/changelog/read-unreleased.js";
import { releaseUnreleased, type ChangelogEdit } from "../../../src/domain/changelog/release-unreleased.js";

const NOTES = "### Added\n\n- Export command\n\n### Fixed\n\n- Empty input\n";
const release = (text: string, notes = NOTES): ChangelogEdit => {
  const edit = releaseUnreleased(parseChangelog(text), "1.2.0", "2025-01-15", notes);
  if (!edit.ok) throw new Error(edit.error.message);
  return edit.value;
};

describe("readUnreleased: the meaning of the section, not its bytes", () => {
  it.each([
    [
      "only a rule (a file separating releases with rules)",
      "---\n",
      "Unreleased holds only rules or comments",
    ],
    ["empty sub-headings", "### Added\n\n### Fixed\n", "Unreleased holds only empty sub-headings"],
    [
      "an HTML comment placeholder",
      "<!-- Add new entries here -->\n",
      "Unreleased holds only rules or comments",
    ],
    [
      "placeholders",
      "### Added\n\n- None yet.\n\n_No changes._\n",
      "Unreleased holds only empty sub-headings",
    ],
    ["nothing", "", "Unreleased is empty"],
  ])("%s: no notes", (_, body, reason) => {
    const text = `# Changelog\n\n## [Unreleased]\n\n${body}\n## [1.1.0] - 2025-01-02\n\n- x\n`;
    expect(readUnreleased(parseChangelog(text))).toMatchObject({ notes: "", emptyBecause: reason });
    const edit = release(text);
    expect(edit.source.from).toBe("commits");
    expect(edit.section).toBe(NOTES.trim());
  });

  it("keeps a roadmap under Unreleased and never releases it", () => {
    const text =
      "## [Unreleased]\n\n### Planned\n\n- Plugin system\n- Dark mode\n\n## [1.1.0] - 2025-01-02\n\n- x\n";
    const reading = readUnreleased(parseChangelog(text))!;
    expect(reading.notes).toBe("");
    expect(reading.emptyBecause).toBe("Unreleased holds only a roadmap kept for later");
    const edit = release(text);
    expect(edit.text).toBe(
      "## [Unreleased]\n\n### Planned\n\n- Plugin system\n- Dark mode\n\n" +
        `## [1.2.0] - 2025-01-15\n\n${NOTES}\n## [1.1.0] - 2025-01-02\n\n- x\n`,
    );
  });

  it("releases the entries and leaves the roadmap and the empty template behind", () => {
    const text =
      "## [Unreleased]\n\n### Added\n\n- Export\n\n### Fixed\n\n### Upcoming\n\n- Plugins\n\n## [1.1.0] - 2025-01-02\n\n- x\n";
    const edit = release(text);
    expect(edit.section).toBe("### Added\n\n- Export");
    expect(edit.text).toBe(
      "## [Unreleased]\n\n### Added\n\n### Fixed\n\n### Upcoming\n\n- Plugins\n\n" +
        "## [1.2.0] - 2025-01-15\n\n### Added\n\n- Export\n\n## [1.1.0] - 2025-01-02\n\n- x\n",
    );
  });

  it("never takes a heading inside an HTML comment or a code block for the real one", () => {
    const text =
      "# Changelog\n\n<!--\n## [Unreleased]\n\n### Added\n- template entry\n-->\n\n```md\n## [9.9.9] - 2020-01-01\n```\n\n" +
      "## [Unreleased]\n\n### Fixed\n\n- Real fix\n\n## [1.1.0] - 2025-01-02\n\n- x\n";
    const changelog = parseChangelog(text);
    expect(changelog.releases.map((r) => r.name)).toEqual(["Unreleased", "1.1.0"]);
    const edit = release(text);
    expect(edit.section).toBe("### Fixed\n\n- Real fix");
    // The comment and the code block are untouched; the release is written after them.
    expect(edit.text.slice(0, text.indexOf("## [Unreleased]\n\n### Fixed"))).toBe(
      text.slice(0, text.indexOf("## [Unreleased]\n\n### Fixed")),
    );
    expect(edit.text).toContain(
      "## [Unreleased]\n\n## [1.2.0] - 2025-01-15\n\n### Fixed\n\n- Real fix\n\n## [1.1.0]",
    );
  });

  it("writes in a rule-separated file's style: a rule after the new release, Unreleased keeps its rule", () => {
    const text =
      "## [Unreleased]\n\n---\n\n## [1.1.0] — 2025-01-02\n\n### Added\n\n- x\n\n---\n\n## [1.0.0] — 2024-12-01\n\n- y\n";
    const edit = release(text);
    expect(edit.text).toBe(
      "## [Unreleased]\n\n---\n\n" +
        `## [1.2.0] — 2025-01-15\n\n${NOTES}\n---\n\n` +
        "## [1.1.0] — 2025-01-02\n\n### Added\n\n- x\n\n---\n\n## [1.0.0] — 2024-12-01\n\n- y\n",
    );
  });

  it("follows the heading form, date format and section names of the file", () => {
    const text = "# Changes\n\n## 3.0.0 / March 4, 2025\n\n### Features\n* a\n\n### Bug Fixes\n* b\n";
    const edit = release(text);
    expect(edit.text).toBe(
      "# Changes\n\n## 1.2.0 / January 15, 2025\n\n### Features\n* Export command\n\n### Bug Fixes\n* Empty input\n\n" +
        "## 3.0.0 / March 4, 2025\n\n### Features\n* a\n\n### Bug Fixes\n* b\n",
    );
  });

  it("keeps CRLF line endings and a missing last newline", () => {
    const text = "## [Unreleased]\r\n\r\n### Added\r\n- y";
    const edit = release(text);
    expect(edit.text).toBe("## [Unreleased]\r\n\r\n## [1.2.0] - 2025-01-15\r\n\r\n### Added\r\n- y");
  });
});
