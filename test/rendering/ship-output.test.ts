import { describe, expect, it } from "@jest/globals";
import { renderCommitLink } from "../../src/domain/ship/commit-link.js";
import { buildReleaseBody, type ImagesState, withImagesBlock } from "../../src/domain/ship/release-body.js";
import { renderShippedComment } from "../../src/domain/ship/shipped-comment.js";
import { blocks, headings, rawMarkers, renderGfm, requireCmarkInCi } from "./gfm.js";

/**
 * The GitHub release body through each image-publishing state, and the shipped comment, rendered
 * by cmark-gfm (GitHub's renderer) and checked for structure: each image listed once under one
 * "Docker Images" heading, the "Full Changelog" footer the last block, the markers invisible,
 * commit SHAs links to the commit.
 */
const describeWithCmark = requireCmarkInCi() ? describe : describe.skip;

const REPO = "https://github.com/duqueom/ml-mlops-portfolio";
const IMAGES = [
  "ghcr.io/duqueom/bankchurn-api",
  "ghcr.io/duqueom/carvision-api",
  "ghcr.io/duqueom/telecom-api",
];
const CHANGELOG = `# Changelog

## [Unreleased]

## [1.2.0] - 2025-01-15

### Added
- **BankChurn-Predictor**: Batch prediction endpoint

### Fixed
- **CarVision-Market-Intelligence**: CORS headers
`;

const notes = () =>
  buildReleaseBody({
    version: "1.2.0",
    previousVersion: "1.1.0",
    tagPrefix: "v",
    repoUrl: REPO,
    changelog: CHANGELOG,
    images: IMAGES.map((image) => ({ service: image.split("/").at(-1)!, image })),
    contributors: ["maintainer", "developer"],
  });

const states: ImagesState[] = [
  { kind: "dispatched", runUrl: `${REPO}/actions/runs/7`, images: IMAGES, version: "1.2.0" },
  {
    kind: "release-event",
    images: IMAGES,
    version: "1.2.0",
    fallback: "`publish-images.yml` has no `workflow_dispatch` trigger, so I did not dispatch it.",
  },
  { kind: "published", runUrl: `${REPO}/actions/runs/7`, images: IMAGES, version: "1.2.0" },
  { kind: "failed", runUrl: `${REPO}/actions/runs/7`, conclusion: "failure" },
];

/** The top-level blocks of rendered HTML, in order (a list counts as one). */
const topLevel = (html: string): string[] =>
  [...html.matchAll(/^<(h\d|p|ul|ol|table|blockquote|pre)>/gm)].map(([, tag]) => tag!);

describeWithCmark("what shipping posts, on GitHub (cmark-gfm)", () => {
  it("the release body: sections, each image once under Docker Images, the footer last, in every state", () => {
    const bodies = [notes(), ...states.map((state) => withImagesBlock(notes(), state))];
    // Every state applied in turn, as publishing goes on, lands on the same body as applied once.
    let evolving = notes();
    for (const state of states) evolving = withImagesBlock(evolving, state);
    expect(evolving).toBe(bodies.at(-1));
    for (const body of bodies) {
      const html = renderGfm(body);
      expect(headings(html)).toEqual([
        "h2 🎉 Release v1.2.0",
        "h3 🚀 New Features",
        "h3 🐛 Bug Fixes",
        "h3 📦 Docker Images",
        "h3 🙏 Contributors",
      ]);
      const images = html.slice(html.indexOf("📦 Docker Images"), html.indexOf("🙏 Contributors"));
      if (body.includes("ended with")) expect(images).not.toContain("ghcr.io");
      else for (const image of IMAGES) expect(html.split(`<code>${image}`).length - 1).toBe(1);
      // The footer is the last block, and the compare link is a link.
      expect(blocks(html).at(-1)).toBe(`Full Changelog: ${REPO}/compare/v1.1.0...v1.2.0`);
      expect(topLevel(html).at(-1)).toBe("p");
      expect(html).toContain(`<a href="${REPO}/compare/v1.1.0...v1.2.0">`);
      expect(html).not.toMatch(/&lt;!--/);
      expect(rawMarkers(html)).toEqual([]);
    }
  });

  it("the published block: one list item per image with its expected tags, and the run linked", () => {
    const html = renderGfm(withImagesBlock(notes(), states[2]!));
    const items = blocks(html).filter((b) => b.startsWith("ghcr.io/"));
    expect(items).toEqual(IMAGES.map((image) => `${image}: 1.2.0, 1.2, 1, latest`));
    expect(html).toContain(`<a href="${REPO}/actions/runs/7">workflow run</a>`);
    expect(blocks(html).some((b) => b.includes("Expected tags"))).toBe(true);
  });

  it("the release body of a custom template without {{images}}: the block still comes before the footer", () => {
    const body = buildReleaseBody({
      version: "1.2.0",
      previousVersion: "1.1.0",
      tagPrefix: "v",
      repoUrl: REPO,
      changelog: CHANGELOG,
      images: [],
      contributors: [],
      template: "{{sections}}\n\n**Full Changelog**: {{compareUrl}}\n",
    });
    const html = renderGfm(withImagesBlock(body, states[0]!));
    expect(headings(html)).toEqual(["h3 🚀 New Features", "h3 🐛 Bug Fixes", "h3 📦 Docker Images"]);
    expect(blocks(html).at(-1)).toBe(`Full Changelog: ${REPO}/compare/v1.1.0...v1.2.0`);
    expect(rawMarkers(html)).toEqual([]);
  });

  it("the shipped comment: a heading, one list item per link, the back-merge commit linked", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const html = renderGfm(
      renderShippedComment({
        kind: "release",
        tag: "v1.2.0",
        tagUrl: `${REPO}/releases/tag/v1.2.0`,
        repoUrl: REPO,
        release: { url: `${REPO}/releases/tag/v1.2.0`, draft: true },
        images: { runUrl: `${REPO}/actions/runs/7` },
        backMerge: { kind: "merged", sha },
        models: [{ name: "BankChurn-XGBoost", version: "3" }],
        problems: [],
      }),
    );
    expect(headings(html)).toEqual(["h3 🚢 Release v1.2.0 shipped"]);
    expect(blocks(html)).toHaveLength(5);
    expect(html).toContain(`<a href="${REPO}/commit/${sha}"><code>0123456</code></a>`);
    expect(rawMarkers(html)).toEqual([]);
  });

  it("a commit link renders as a link; a SHA in a code span alone would not be autolinked", () => {
    const sha = "a5c3785ed8d6a35868bc169f07e40e889087fd2e";
    expect(renderGfm(renderCommitLink(REPO, sha))).toContain(`<a href="${REPO}/commit/${sha}">`);
    expect(renderGfm(`\`${sha.slice(0, 7)}\``)).not.toContain("<a ");
    // Not a SHA (a fixture's ref name): shown as code, never a link to a made-up commit.
    expect(renderCommitLink(REPO, "main")).toBe("`main`");
  });
});
