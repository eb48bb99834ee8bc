import { describe, expect, it } from "@jest/globals";
import { renderReleaseNotes } from "../../../src/domain/changelog/render-release-notes.js";

const input = {
  version: "1.2.0",
  section:
    "### Added\n- **BankChurn**: Added batch prediction endpoint\n\n### Fixed\n- Fixed memory leak in CarVision API\n\n### Security\n- Updated dependencies",
  images: [
    { service: "BankChurn-Predictor", image: "ghcr.io/duqueom/bankchurn-api" },
    { service: "CarVision-Market-Intelligence", image: "ghcr.io/duqueom/carvision-api:1.2.0" },
  ],
  contributors: ["DuqueOM", "@octocat"],
  compareUrl: "https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.1.0...v1.2.0",
};

describe("renderReleaseNotes", () => {
  it("follows the guide's template", () => {
    expect(renderReleaseNotes(input)).toBe(`## 🎉 Release v1.2.0

### 🚀 New Features
- **BankChurn**: Added batch prediction endpoint

### 🐛 Bug Fixes
- Fixed memory leak in CarVision API

### 🔒 Security
- Updated dependencies

### 📦 Docker Images
- \`ghcr.io/duqueom/bankchurn-api:1.2.0\`
- \`ghcr.io/duqueom/carvision-api:1.2.0\`

### 🙏 Contributors
- @DuqueOM
- @octocat

**Full Changelog**: https://github.com/DuqueOM/ML-MLOps-Portfolio/compare/v1.1.0...v1.2.0
`);
  });
  it("takes a custom template and never re-expands placeholders inside values", () => {
    const out = renderReleaseNotes(
      { ...input, section: "- literal {{version}}", images: [], contributors: [] },
      "v{{ version }} | {{sections}} | {{images}} | {{contributors}} | {{compareUrl}} | {{unknown}}",
    );
    expect(out).toBe(`v1.2.0 | - literal {{version}} | - None | - None | ${input.compareUrl} | {{unknown}}`);
  });
  it("keeps names of Object's own properties, and mustache's section, partial and comment tags, as written", () => {
    // The template is the repository's config: a placeholder that names no value stays visible
    // (mustache would print "" for each of these, and throw on an unclosed section).
    const template =
      "{{constructor}} {{toString}} {{__proto__}} {{hasOwnProperty}} {{#sections}} {{> footer}} {{! note}} {{{version}}}";
    expect(renderReleaseNotes(input, template)).toBe(
      "{{constructor}} {{toString}} {{__proto__}} {{hasOwnProperty}} {{#sections}} {{> footer}} {{! note}} {1.2.0}",
    );
  });
});

describe("breaking changes", () => {
  it("gathers **Breaking:** lines under ⚙️ Breaking Changes and drops emptied sections", () => {
    const out = renderReleaseNotes(
      {
        ...input,
        section:
          "### Added\n\n- **BankChurn**: Batch endpoint\n\n### Changed\n\n- **TelecomAI**: **Breaking:** Drop v1 routes\n",
      },
      "{{sections}}",
    );
    expect(out).toBe(
      "### 🚀 New Features\n- **BankChurn**: Batch endpoint\n\n### ⚙️ Breaking Changes\n- **TelecomAI**: Drop v1 routes",
    );
  });
});
