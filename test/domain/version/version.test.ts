import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { decideBump } from "../../../src/domain/version/decide-bump.js";
import { parseVersion, Version } from "../../../src/domain/version/version.js";

const v = (text: string): Version => {
  const parsed = parseVersion(text);
  if (!parsed.ok) throw new Error(`bad fixture ${text}`);
  return parsed.value;
};

describe("parseVersion", () => {
  it.each(["1.2.0", "0.0.0", "1.3.0-rc.1", "2.0.0-alpha.beta.1", "1.0.0+build.5", "10.20.30"])(
    "accepts %s",
    (text) => {
      const parsed = parseVersion(text);
      expect(parsed.ok && parsed.value.toString()).toBe(text);
    },
  );
  it.each([
    "v1.2.0",
    "1.2",
    "1.2.0 ",
    " 1.2.0",
    "01.2.0",
    "1.2.0-",
    "1.2.0-01",
    "=1.2.0",
    "",
    "../1.2.0",
    "1.2.0\n",
    "1.2.x",
  ])("rejects %j", (text) => {
    expect(parseVersion(text)).toMatchObject({ ok: false, error: { kind: "parse-error", what: "version" } });
  });
  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const parsed = parseVersion(text);
        if (parsed.ok) expect(parsed.value).toBeInstanceOf(Version);
        else expect(parsed.error.input).toBe(text.length > 200 ? `${text.slice(0, 200)}…` : text);
      }),
    );
  });
});

describe("ordering", () => {
  it("orders pre-releases below their release, per SemVer", () => {
    const sorted = [
      "1.3.0",
      "1.3.0-rc.1",
      "1.3.0-alpha.2",
      "1.2.9",
      "1.3.0-rc.10",
      "1.3.0-rc.2",
      "1.3.0-beta",
    ]
      .map(v)
      .sort((a, b) => a.compare(b))
      .map(String);
    expect(sorted).toEqual([
      "1.2.9",
      "1.3.0-alpha.2",
      "1.3.0-beta",
      "1.3.0-rc.1",
      "1.3.0-rc.2",
      "1.3.0-rc.10",
      "1.3.0",
    ]);
  });
  it("ignores build metadata in precedence", () => {
    expect(v("1.0.0+a").equals(v("1.0.0+b"))).toBe(true);
  });
});

describe("bump", () => {
  it.each([
    ["1.2.3", "major", undefined, "2.0.0"],
    ["1.2.3", "minor", undefined, "1.3.0"],
    ["1.2.3", "patch", undefined, "1.2.4"],
    ["1.2.0", "minor", "rc", "1.3.0-rc.1"],
    ["1.3.0-rc.1", "minor", "rc", "1.3.0-rc.2"],
    ["1.3.0-rc.1", "minor", undefined, "1.3.0"],
    ["1.3.0-beta.3", "minor", "rc", "1.3.0-rc.1"],
    ["1.3.0-rc.1", "major", "rc", "2.0.0-rc.1"],
    ["2.0.0-rc.1", "major", undefined, "2.0.0"],
  ] as const)("%s %s %s → %s", (from, kind, pre, expected) => {
    expect(v(from).bump(kind, pre).toString()).toBe(expected);
  });
  it("always yields a greater version", () => {
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.nat(50),
        fc.nat(50),
        fc.constantFrom("major", "minor", "patch" as const),
        fc.option(fc.constantFrom("rc", "beta")),
        (a, b, c, kind, pre) => {
          const from = v(`${a}.${b}.${c}`);
          expect(from.bump(kind, pre ?? undefined).greaterThan(from)).toBe(true);
        },
      ),
    );
  });
});

describe("decideBump", () => {
  const commits = (...messages: string[]) => messages.map((message) => ({ message }));
  it.each([
    [commits("fix: a", "chore: b"), "patch"],
    [commits("fix: a", "feat(api): b"), "minor"],
    [commits("feat: a", "fix(api)!: drop v1"), "major"],
    [commits("fix: a\n\nBREAKING CHANGE: config moved"), "major"],
    [commits("update readme", "Merge pull request #3 from x/feat"), "patch"],
    [commits(), "patch"],
  ] as const)("%j → %s", (input, expected) => {
    expect(decideBump(input)).toBe(expected);
  });
});
