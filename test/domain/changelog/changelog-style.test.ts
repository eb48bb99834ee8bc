import { describe, expect, it } from "@jest/globals";
import { detectChangelogStyle, styleNotes } from "../../../src/domain/changelog/changelog-style.js";
import { parseChangelog } from "../../../src/domain/changelog/parse-changelog.js";

// A CHANGELOG that names Keep a Changelog's sections its own way (`Features` for Added, `Bug Fixes` for Fixed).
const CHANGELOG = `# Changelog

## [1.1.0] - 2025-01-15

### Features

- Batch predictions

### Bug Fixes

- Timeout on large inputs
`;

describe("styleNotes", () => {
  const style = detectChangelogStyle(parseChangelog(CHANGELOG));

  it("renames the known sections the way the file names them", () => {
    const notes = styleNotes("### Added\n\n- CSV export\n\n### Fixed\n\n- Crash on empty input\n", style);
    expect(notes).toContain("### Features\n");
    expect(notes).toContain("### Bug Fixes\n");
  });

  it("leaves a heading that is no section as written, even one that names an Object member", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "Notes"]) {
      expect(styleNotes(`### ${name}\n\n- x\n`, style)).toContain(`### ${name}\n`);
    }
  });
});
