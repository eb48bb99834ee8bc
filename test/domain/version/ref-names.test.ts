import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  HotfixBranchName,
  parseHotfixBranchName,
  slugify,
} from "../../../src/domain/version/hotfix-branch-name.js";
import {
  parseReleaseBranchName,
  ReleaseBranchName,
} from "../../../src/domain/version/release-branch-name.js";
import { parseTagName, TagName } from "../../../src/domain/version/tag-name.js";
import { parseVersion } from "../../../src/domain/version/version.js";
import type { Result } from "../../../src/domain/result.js";

/** The parsed value's text, or the parser's reason when it failed. */
const shown = <T>(result: Result<T, { reason: string }>): string =>
  result.ok ? String(result.value) : `error: ${result.error.reason}`;

const hostile = [
  "../v1.2.0",
  "v1.2.0/../../etc",
  "refs/heads/main",
  "v1.2.0 ",
  "v 1.2.0",
  "v1.2.0\u0000",
  "v1.2.0\n",
  "v1.2.0.lock",
  "-v1.2.0",
  "v1..2.0",
  "",
  "v1.2.0~1",
  "v1.2.0^{}",
  "v1.2.0:x",
  "v1.2.0@{0}",
];

describe("TagName", () => {
  it("round-trips with the default and a custom prefix", () => {
    const tag = parseTagName("v1.2.0");
    if (!tag.ok) throw new Error(tag.error.reason);
    expect(tag.value).toBeInstanceOf(TagName);
    expect(String(tag.value)).toBe("v1.2.0");
    expect(tag.value.version.toString()).toBe("1.2.0");
    expect(shown(parseTagName("release-1.3.0-rc.1", "release-"))).toBe("release-1.3.0-rc.1");
    expect(shown(parseTagName("1.0.0", ""))).toBe("1.0.0");
  });
  it.each(hostile)("rejects hostile %j", (text) => {
    expect(parseTagName(text)).toMatchObject({ ok: false, error: { kind: "parse-error", what: "tag" } });
  });
  it("rejects other prefixes and non-SemVer", () => {
    expect(shown(parseTagName("x1.2.0"))).toBe('error: tag does not start with "v"');
    expect(shown(parseTagName("v1.2"))).toBe('error: "1.2" is not a SemVer version (X.Y.Z)');
  });
});

describe("ReleaseBranchName", () => {
  it("round-trips and accepts the full ref webhooks send", () => {
    const branch = parseReleaseBranchName("release/v1.2.0");
    expect(branch.ok && branch.value).toBeInstanceOf(ReleaseBranchName);
    expect(shown(branch)).toBe("release/v1.2.0");
    expect(shown(parseReleaseBranchName("refs/heads/release/v2.0.0-rc.1"))).toBe("release/v2.0.0-rc.1");
    const version = parseVersion("3.1.4");
    if (!version.ok) throw new Error(version.error.reason);
    expect(new ReleaseBranchName(version.value).toString()).toBe("release/v3.1.4");
  });
  it.each([
    ...hostile.map((h) => `release/${h}`),
    "release/v1.2.0/../main",
    "refs/heads/main",
    "release/1.2.0",
  ])("rejects %j", (text) => {
    expect(parseReleaseBranchName(text)).toMatchObject({
      ok: false,
      error: { kind: "parse-error", what: "release-branch" },
    });
  });
});

describe("HotfixBranchName", () => {
  it.each([
    ["Fix auth", "fix-auth"],
    ["  Crash in CarVision /predict endpoint!!  ", "crash-in-carvision-predict-endpoint"],
    ["Résumé parsing fails für Ünïcode", "resume-parsing-fails-fur-unicode"],
    ["../../etc/passwd; rm -rf /", "etc-passwd-rm-rf"],
    [
      "a very long title that keeps going well past the forty character limit",
      "a-very-long-title-that-keeps-going-well",
    ],
    ["🔥🔥", ""],
  ])("slugifies %j → %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
  it("builds from an issue and parses back", () => {
    const name = HotfixBranchName.fromIssue(42, "Fix auth");
    expect(name.toString()).toBe("hotfix/42-fix-auth");
    expect(parseHotfixBranchName(name.toString())).toEqual({ ok: true, value: name });
    expect(shown(parseHotfixBranchName("hotfix/7"))).toBe("hotfix/7");
  });
  it.each([
    "hotfix/fix-auth",
    "hotfix/42-Fix",
    "hotfix/42-../x",
    "hotfix/0-x",
    "hotfix/42 x",
    "feature/42-x",
    "hotfix/42--x",
  ])("rejects %j", (text) => {
    expect(parseHotfixBranchName(text)).toMatchObject({
      ok: false,
      error: { kind: "parse-error", what: "hotfix-branch" },
    });
  });
  it("every title gives a branch that parses back to itself", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99999 }),
        fc.string({ unit: "binary", maxLength: 120 }),
        (issue, title) => {
          const name = HotfixBranchName.fromIssue(issue, title);
          expect(name.slug.length).toBeLessThanOrEqual(40);
          expect(shown(parseHotfixBranchName(name.toString()))).toBe(name.toString());
        },
      ),
    );
  });
});

describe("parsers never throw on arbitrary input", () => {
  it("tag, release branch and hotfix branch", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (input) => {
        for (const result of [
          parseTagName(input),
          parseReleaseBranchName(input),
          parseHotfixBranchName(input),
        ]) {
          if (result.ok) expect(String(result.value)).toBe(input.replace(/^refs\/heads\//, ""));
          else expect(result.error.reason.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
