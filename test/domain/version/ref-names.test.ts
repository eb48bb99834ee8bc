import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  HotfixBranchName,
  parseHotfixBranchName,
  slugify,
} from "../../../src/domain/version/hotfix-branch-name.js";
import { isParseError } from "../../../src/domain/version/parse-error.js";
import {
  parseReleaseBranchName,
  ReleaseBranchName,
} from "../../../src/domain/version/release-branch-name.js";
import { parseTagName, TagName } from "../../../src/domain/version/tag-name.js";
import { parseVersion, type Version } from "../../../src/domain/version/version.js";

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
    expect(tag).toBeInstanceOf(TagName);
    expect(String(tag)).toBe("v1.2.0");
    expect((tag as TagName).version.toString()).toBe("1.2.0");
    expect(String(parseTagName("release-1.3.0-rc.1", "release-"))).toBe("release-1.3.0-rc.1");
    expect(String(parseTagName("1.0.0", ""))).toBe("1.0.0");
  });
  it.each(hostile)("rejects hostile %j", (text) => {
    expect(isParseError(parseTagName(text))).toBe(true);
  });
  it("rejects other prefixes and non-SemVer", () => {
    expect(isParseError(parseTagName("x1.2.0"))).toBe(true);
    expect(isParseError(parseTagName("v1.2"))).toBe(true);
  });
});

describe("ReleaseBranchName", () => {
  it("round-trips and accepts the full ref webhooks send", () => {
    const branch = parseReleaseBranchName("release/v1.2.0");
    expect(branch).toBeInstanceOf(ReleaseBranchName);
    expect(String(branch)).toBe("release/v1.2.0");
    expect(String(parseReleaseBranchName("refs/heads/release/v2.0.0-rc.1"))).toBe("release/v2.0.0-rc.1");
    const version = parseVersion("3.1.4") as Version;
    expect(new ReleaseBranchName(version).toString()).toBe("release/v3.1.4");
  });
  it.each([
    ...hostile.map((h) => `release/${h}`),
    "release/v1.2.0/../main",
    "refs/heads/main",
    "release/1.2.0",
  ])("rejects %j", (text) => {
    expect(isParseError(parseReleaseBranchName(text))).toBe(true);
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
    const parsed = parseHotfixBranchName(name.toString());
    expect(parsed).toEqual(name);
    expect(String(parseHotfixBranchName("hotfix/7"))).toBe("hotfix/7");
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
    expect(isParseError(parseHotfixBranchName(text))).toBe(true);
  });
  it("every title gives a branch that parses back to itself", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99999 }),
        fc.string({ unit: "binary", maxLength: 120 }),
        (issue, title) => {
          const name = HotfixBranchName.fromIssue(issue, title);
          expect(name.slug.length).toBeLessThanOrEqual(40);
          expect(String(parseHotfixBranchName(name.toString()))).toBe(name.toString());
        },
      ),
    );
  });
});

describe("parsers never throw on arbitrary input", () => {
  it("tag, release branch and hotfix branch", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        for (const result of [
          parseTagName(text),
          parseReleaseBranchName(text),
          parseHotfixBranchName(text),
        ]) {
          expect(typeof result.toString()).toBe("string");
        }
      }),
    );
  });
});
