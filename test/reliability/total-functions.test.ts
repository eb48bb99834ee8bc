import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { parseConfigText, validateConfig } from "../../src/config/parse-config.js";
import { parseChangelog } from "../../src/domain/changelog/parse-changelog.js";
import { releaseChangelogText } from "../../src/domain/changelog/release-unreleased.js";
import { parseCommand } from "../../src/domain/commands/parse-command.js";
import { versionFileUpdaters } from "../../src/domain/manifests/updater-registry.js";

/** Text with the characters that matter to these formats showing up often. */
const formatText = fc
  .array(
    fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.constantFrom("## [", "]", " - ", "\n", "\r\n", "### Added", "- ", "[Unreleased]", "1.2.0", "v1.2.0"),
      fc.constantFrom(
        'version = "',
        '"',
        "__version__ = ",
        "LABEL version=",
        '"version": ',
        "appVersion: ",
        "=",
      ),
      fc.constantFrom("[project]", "[tool.poetry]", "```", "\u0000", "\uFEFF", "# x-release-please-version"),
      // Whole version lines of each kind the planner edits, for the updaters that read only a
      // real version (a value's own format kept: quotes, a `v` prefix).
      fc.constantFrom(
        'version = "1.2.0"',
        'appVersion: "v1.2.0"',
        "version: 0.3.1",
        'LABEL org.opencontainers.image.version="1.2.0"',
        '"version": "1.2.0"',
        '__version__ = "1.2.0"',
        "[package]",
        "[workspace.package]",
        "[metadata]",
        "version=1.2.0",
      ),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

/** The pure cores the app feeds with whatever people write: none may throw, whatever the input. */
describe("total functions under property-based fuzzing", () => {
  it("parseCommand: any value gives none, a command, or an error with a message", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          formatText.map((t) => `/${t}`),
          fc.string({ maxLength: 2000 }),
        ),
        (body) => {
          const result = parseCommand(body);
          expect(["none", "command", "error"]).toContain(result.kind);
          if (result.kind === "error") expect(result.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000, seed: 1 },
    );
  });

  it("config: any text or value is valid or gives readable problems, never throws", () => {
    fc.assert(
      fc.property(fc.oneof(formatText, fc.string()), (text) => {
        const result = parseConfigText(text);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(typeof e).toBe("string");
        }
      }),
      { numRuns: 1000, seed: 2 },
    );
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = validateConfig(value);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it("CHANGELOG: any text parses, and releasing gives an edit holding the version or a named error", () => {
    fc.assert(
      fc.property(formatText, fc.option(fc.string({ minLength: 1 }), { nil: undefined }), (text, notes) => {
        parseChangelog(text);
        const edit = releaseChangelogText(text, "9.8.7", "2025-01-15", notes);
        if (!edit.ok) expect(edit.error.message.length).toBeGreaterThan(0);
        // The heading copies the file's newest release heading, whatever its form: a level-2
        // heading line naming the version.
        else expect(edit.value.text).toMatch(/^ {0,3}## .*9\.8\.7/m);
      }),
      { numRuns: 1500, seed: 4 },
    );
  });

  it("version files: every updater reads any text, and what it reads it can rewrite", () => {
    let read = 0;
    fc.assert(
      fc.property(fc.constantFrom(...versionFileUpdaters), formatText, (updater, text) => {
        const found = updater.readVersion(text);
        const updated = updater.updateContent(text, "9.8.7");
        expect(typeof updated).toBe("string");
        if (found === undefined) return;
        read++;
        expect(updater.readVersion(updated)).toBe("9.8.7");
      }),
      { numRuns: 3000, seed: 5 },
    );
    // The generator does produce files with a version, not only noise.
    expect(read).toBeGreaterThan(30);
  });
});
