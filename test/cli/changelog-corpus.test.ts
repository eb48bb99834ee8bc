import { afterAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli.js";
import { createTempRepo } from "./temp-repo.js";

// Real Keep a Changelog files from public projects, read byte for byte from the shared corpus
// (see its README.md for what each exercises); they are never copied into the project.
const CORPUS = join(process.cwd(), "../shared/corpus/changelogs");
const read = (name: string): string => readFileSync(join(CORPUS, name), "utf8");

interface Case {
  file: string;
  /** The project's repository (its `origin`). */
  origin: string;
  /** The version the repository carries (the file's newest release). */
  current: string;
  /** The heading the maintainer would write for the release of 2026-10-01. */
  heading: string;
  /** The release heading the new one goes right above. */
  above: string;
  /** The notes, as the maintainer would write them. */
  section: string | ((text: string) => string);
  from: RegExp;
}

const fromCommits = (tight: boolean, names = ["Added", "Fixed"]) =>
  `### ${names[0]}\n${tight ? "" : "\n"}- Add export command\n\n### ${names[1]}\n${tight ? "" : "\n"}- Handle empty input`;

/** The Unreleased entries of a file, as written (up to the next release heading). */
const unreleasedEntries = (text: string): string => {
  const start = text.indexOf("\n", text.indexOf("## [Unreleased]")) + 1;
  return text.slice(start, text.indexOf("\n## [", start)).trim();
};

const CASES: Case[] = [
  {
    file: "house.md",
    origin: "https://github.com/houseworthe/house-agents.git",
    current: "0.1.0-beta",
    heading: "## [0.1.0] - 2026-10-01",
    above: "## [0.1.0-beta] - 2025-01-13",
    section: unreleasedEntries,
    from: /^CHANGELOG\.md Unreleased/,
  },
  {
    file: "vpn.md",
    origin: "git@github.com:example/vpn.git",
    current: "0.1.2",
    heading: "## [0.2.0] - 2026-10-01",
    above: "## [0.1.2] - 2026-09-30",
    section: fromCommits(false),
    from: /^2 commit\(s\) \(Unreleased is empty\)$/,
  },
  {
    file: "maia.md",
    origin: "https://github.com/example/maia",
    current: "1.5.2",
    heading: "## [1.6.0] - 2026-10-01",
    above: "## [1.5.2] - 2026-08-26",
    section: unreleasedEntries,
    from: /^CHANGELOG\.md Unreleased/,
  },
  {
    file: "safeconst.md",
    origin: "https://github.com/example/safeconst",
    current: "1.0.1",
    heading: "## [1.1.0] - 2026-10-01",
    above: "## [1.0.1] - 2026-04-18",
    section: fromCommits(true),
    from: /^2 commit\(s\) \(the file has no Unreleased section\)$/,
  },
  {
    file: "laravel.md",
    origin: "https://github.com/example/laravel-chat",
    current: "0.1.0",
    heading: "## [0.2.0] - 2026-10-01",
    above: "## [0.1.0] - 2026-02-20",
    section: fromCommits(true),
    from: /^2 commit\(s\) \(Unreleased holds only empty sub-headings\)$/,
  },
  {
    file: "argilla.md",
    origin: "https://github.com/argilla-io/argilla.git",
    current: "2.4.0",
    heading: "## [2.5.0](https://github.com/argilla-io/argilla/compare/v2.4.0...v2.5.0)",
    above: "## [2.4.0](https://github.com/argilla-io/argilla/compare/v2.3.1...v2.4.0)",
    section: fromCommits(false),
    from: /^2 commit\(s\) \(Unreleased is empty\)$/,
  },
  {
    file: "industry.md",
    origin: "https://github.com/example/industry",
    current: "0.4.1",
    heading: "## v0.5.0 (2026-10-01)",
    above: "## v0.4.1 (2026-08-25)",
    section: fromCommits(false, ["Feat", "Fix"]),
    from: /^2 commit\(s\) \(the file has no Unreleased section\)$/,
  },
];

const repos: ReturnType<typeof createTempRepo>[] = [];
afterAll(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

const run = (...argv: string[]) => {
  let stdout = "";
  let stderr = "";
  const code = main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    today: () => "2026-10-01",
  });
  return { code, stdout, stderr };
};

/** Whether every line of `a` appears in `b`, in the same order. */
const keepsEveryLine = (a: string, b: string): string | undefined => {
  const bl = b.split("\n");
  let j = 0;
  for (const line of a.split("\n")) {
    while (j < bl.length && bl[j] !== line) j++;
    if (j === bl.length) return line;
    j++;
  }
  return undefined;
};

describe("release-pilot plan on real CHANGELOGs", () => {
  it.each(CASES)("$file: keeps every line, writes the release in the file's style", (c) => {
    const original = read(c.file);
    const repo = createTempRepo(null);
    repos.push(repo);
    repo.commit("chore: import", {
      "CHANGELOG.md": original,
      "package.json": `{\n  "name": "corpus",\n  "version": "${c.current}"\n}\n`,
    });
    repo.git(["tag", `v${c.current}`]);
    repo.commit("feat: add export command", { "src/export.js": "export {};\n" });
    repo.commit("fix(parser): handle empty input", { "src/parse.js": "export {};\n" });
    repo.git(["remote", "add", "origin", c.origin]);

    const { code, stdout, stderr } = run("plan", "--dir", repo.dir, "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    const file = plan.files.find((f: { path: string }) => f.path === "CHANGELOG.md");
    // The plan starts from the file's bytes exactly, and a dry run writes nothing.
    expect(file.before).toBe(original);
    expect(readFileSync(join(repo.dir, "CHANGELOG.md"), "utf8")).toBe(original);
    const after: string = file.after;

    // The `[Unreleased]:` compare link is the one line a release rewrites (to start at the new tag).
    expect(keepsEveryLine(original.replace(/^\[Unreleased\]: .*\n/m, ""), after)).toBeUndefined();
    // Nothing but the new section (and the reference links, in files that have them) is added.
    const added = after.split("\n").length - original.split("\n").length;
    const section = typeof c.section === "string" ? c.section : c.section(original);
    expect(plan.changelog.section).toBe(section);
    expect(plan.changelog.notesFrom).toMatch(c.from);

    const headingAt = after.indexOf(`${c.heading}\n\n`);
    expect(headingAt).toBeGreaterThan(0);
    // Right above the previous newest release, with only the notes between them.
    expect(after.slice(headingAt, after.indexOf(c.above))).toBe(`${c.heading}\n\n${section}\n\n`);
    if (original.includes("## [Unreleased]")) {
      expect(after.indexOf("## [Unreleased]")).toBeLessThan(headingAt);
    } else {
      expect(after).not.toMatch(/Unreleased/i);
    }
    // Round trip: taking the new section out gives back the file byte for byte (links aside).
    const withoutSection = after.replace(`${c.heading}\n\n${section}\n\n`, "");
    const linksChanged = /^\[Unreleased\]: /m.test(original);
    if (!linksChanged) {
      const restored =
        typeof c.section === "string"
          ? withoutSection
          : withoutSection.replace("## [Unreleased]\n\n", `## [Unreleased]\n\n${section}\n\n`);
      expect(restored).toBe(original);
      // Moved notes add only their heading and a blank line; generated ones add their lines too.
      expect(added).toBe(typeof c.section === "string" ? section.split("\n").length + 3 : 2);
    }
    expect(after.endsWith("\n")).toBe(original.endsWith("\n"));
  });

  it("house.md: the reference links follow the release, from the repository itself", () => {
    const original = read("house.md");
    const repo = createTempRepo(null);
    repos.push(repo);
    repo.commit("chore: import", {
      "CHANGELOG.md": original,
      "package.json": '{ "name": "house", "version": "0.1.0-beta" }\n',
    });
    repo.git(["tag", "v0.1.0-beta"]);
    repo.commit("feat: git agent");
    repo.git(["remote", "add", "origin", "git@github.com:houseworthe/house-agents.git"]);
    const plan = JSON.parse(run("plan", "--dir", repo.dir, "--json").stdout);
    const after: string = plan.files.find((f: { path: string }) => f.path === "CHANGELOG.md").after;
    expect(
      after.endsWith(
        "[Unreleased]: https://github.com/houseworthe/house-agents/compare/v0.1.0...HEAD\n" +
          "[0.1.0]: https://github.com/houseworthe/house-agents/compare/v0.1.0-beta...v0.1.0\n" +
          "[0.1.0-beta]: https://github.com/houseworthe/house-agents/releases/tag/v0.1.0-beta\n",
      ),
    ).toBe(true);
    // Unreleased is left with no entries; they all moved under 0.1.0.
    expect(after).toContain("## [Unreleased]\n\n## [0.1.0] - 2026-10-01\n\n### Added\n- **house-git**");
  });
});
