// Bodies the app writes stay within GitHub's limits: a pull request body of 65,536 characters
// ("body is too long (maximum is 65536 characters)", the REST API's 422 on POST /pulls) and a
// release body of 125,000 characters (REST "Create a release"). A release of ~1,000 commits
// with long subjects goes over both; the notes are cut at a line and say where the rest is.
import { describe, expect, it } from "@jest/globals";
import { releaseSection } from "../../../src/config/sections/release-section.js";
import { capNotes, MAX_RELEASE_BODY } from "../../../src/domain/changelog/cap-notes.js";
import { buildReleasePlan } from "../../../src/domain/release/build-release-plan.js";
import type { PlanCommit } from "../../../src/domain/release/release-plan.js";
import {
  MAX_PULL_BODY,
  parseReleasePrBody,
  renderReleasePrBody,
  withChecklistSection,
} from "../../../src/domain/release/release-pr-body.js";
import { buildReleaseBody } from "../../../src/domain/ship/release-body.js";

const REPO = "https://ghe.example.com/acme/shop";

/** ~1,000 conventional commits as a busy repository has them, subjects up to 120 characters. */
const manyCommits = (n: number): PlanCommit[] =>
  Array.from({ length: n }, (_, i) => ({
    sha: i.toString(16).padStart(40, "0"),
    message:
      `${i % 3 === 0 ? "fix" : "feat"}(api): change number ${i} ${"with a long descriptive subject ".repeat(3)}`.slice(
        0,
        120,
      ),
    files: ["src/api.ts"],
    date: "2026-11-02T10:00:00Z",
  }));

const planOf = (commits: PlanCommit[]) => {
  const plan = buildReleasePlan({
    config: releaseSection.parse({}),
    request: { kind: "bump", bump: "minor" },
    files: {
      list: () => ["CHANGELOG.md", "package.json"],
      read: (p) =>
        p === "CHANGELOG.md"
          ? "# Changelog\n\n## [Unreleased]\n\n## [2.2.0] - 2026-10-01\n\n### Added\n\n- Carts\n"
          : '{\n  "name": "shop",\n  "version": "2.2.0"\n}\n',
    },
    latestTag: "v2.2.0",
    commits,
    date: "2026-12-01",
    repoUrl: REPO,
  });
  if (!plan.ok) throw new Error(plan.error.message);
  return plan.value;
};

describe("capNotes", () => {
  it("returns notes within the budget unchanged", () => {
    expect(capNotes("### Added\n\n- a\n", 100, { label: "CHANGELOG.md", url: "u" })).toBe(
      "### Added\n\n- a\n",
    );
  });

  it("cuts at a line boundary and counts the lines left out", () => {
    const notes = Array.from({ length: 100 }, (_, i) => `- entry ${i}`).join("\n");
    const capped = capNotes(notes, 700, {
      label: "CHANGELOG.md at release/v1.0.0",
      url: `${REPO}/blob/x/CHANGELOG.md`,
    });
    expect(capped.length).toBeLessThanOrEqual(700);
    const [kept, note] = capped.split("\n\n");
    for (const line of (kept ?? "").split("\n")) expect(notes.split("\n")).toContain(line);
    const shown = (kept ?? "").split("\n").length;
    expect(note).toBe(
      `_… ${100 - shown} more line(s) not shown here (GitHub's size limit): the full notes are in [CHANGELOG.md at release/v1.0.0](${REPO}/blob/x/CHANGELOG.md)._`,
    );
  });

  it("keeps a crafted label from breaking the link", () => {
    const capped = capNotes("x\n".repeat(1000), 500, {
      label: "a](https://evil.example) [b",
      url: "https://ok.example",
    });
    expect(capped).toContain("[a\\](https://evil.example) \\[b](https://ok.example)");
  });
});

describe("the release PR body of a 1,000-commit release", () => {
  const plan = planOf(manyCommits(1_000));
  const body = renderReleasePrBody(plan, undefined, 7, REPO);

  it("generates an entry for every commit, beyond what a PR body can hold", () => {
    expect(plan.changelog.section.split("\n").filter((l) => l.startsWith("- ")).length).toBe(1_000);
    expect(plan.changelog.section.length).toBeGreaterThan(MAX_PULL_BODY);
    // The CHANGELOG itself is never cut: the release branch carries every entry.
    const changelog = plan.files.find((f) => f.path === "CHANGELOG.md")?.after ?? "";
    expect(changelog).toContain(plan.changelog.section.trim().split("\n").at(-1) ?? "?");
  });

  it("stays under GitHub's limit with room for the checklist, and says where the full notes are", () => {
    expect(body.length).toBeLessThanOrEqual(MAX_PULL_BODY);
    expect(body).toContain(
      `the full notes are in [CHANGELOG.md at release/v2.3.0](${REPO}/blob/release/v2.3.0/CHANGELOG.md)._`,
    );
    const checklist = Array.from(
      { length: 40 },
      (_, i) => `- ✅ Gate ${i}: passed (${"detail ".repeat(36)})`,
    ).join("\n");
    expect(checklist.length).toBeGreaterThan(10_000);
    expect(withChecklistSection(body, checklist)?.length).toBeLessThanOrEqual(MAX_PULL_BODY);
    // The state marker and the rest of the body are intact.
    expect(parseReleasePrBody(body)).toEqual({
      ok: true,
      value: { version: "2.3.0", previousVersion: "2.2.0", issue: 7 },
    });
    expect(body).toContain("### 🛡️ Compliance");
  });

  it("leaves a small release's notes whole", () => {
    const small = planOf(manyCommits(20));
    const smallBody = renderReleasePrBody(small, undefined, 7, REPO);
    expect(smallBody).toContain(small.changelog.section);
    expect(smallBody).not.toContain("not shown here");
  });
});

describe("the GitHub release body of a 1,000-commit release", () => {
  it("stays under 125,000 characters and links the CHANGELOG at the tag", () => {
    const plan = planOf(manyCommits(4_000));
    const changelog = plan.files.find((f) => f.path === "CHANGELOG.md")?.after ?? "";
    expect(plan.changelog.section.length).toBeGreaterThan(MAX_RELEASE_BODY);
    const body = buildReleaseBody({
      version: "2.3.0",
      previousVersion: "2.2.0",
      tagPrefix: "v",
      repoUrl: REPO,
      changelog,
      images: [{ service: "api", image: "ghcr.io/acme/api" }],
      contributors: Array.from({ length: 300 }, (_, i) => `contributor-${i}`),
      changelogUrl: `${REPO}/blob/v2.3.0/CHANGELOG.md`,
    });
    expect(body.length).toBeLessThanOrEqual(MAX_RELEASE_BODY);
    expect(body).toContain(`[the CHANGELOG at v2.3.0](${REPO}/blob/v2.3.0/CHANGELOG.md)`);
    expect(body).toContain("@contributor-299");
    expect(body).toContain(`**Full Changelog**: ${REPO}/compare/v2.2.0...v2.3.0`);
  });
});
