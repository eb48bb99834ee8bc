import { describe, expect, it } from "@jest/globals";
import { generateNotes } from "../../../src/domain/changelog/generate-notes.js";

const commit = (sha: string, message: string) => ({ sha, message, files: ["package.json"] });

// Subjects as Renovate (semantic commits on) and Dependabot write them by default, newest first,
// the way a Renovate-heavy repository's history between two releases reads.
const history = [
  commit("c01", "feat: saved carts (#412)"),
  commit("c02", "chore(deps): update dependency eslint to v9.4.0 (#411)"),
  commit("c03", "fix(deps): update dependency zod to v3.23.8 (#410)"),
  commit("c04", "chore(deps): update dependency eslint to v9.3.0 (#409)"),
  commit("c05", "ci(deps): update actions/checkout action to v4 (#408)"),
  commit("c06", "chore(deps): lock file maintenance (#407)"),
  commit("c07", "fix: totals rounding (#406)"),
  commit("c08", "chore(deps): update dependency eslint to v9.10.0 (#405)"),
  commit("c09", "Bump express from 4.18.2 to 4.19.2"),
  commit("c10", "build(deps-dev): bump typescript from 5.4.5 to 5.5.2 in /web"),
  commit("c11", "build(deps-dev): bump typescript from 5.3.3 to 5.4.5 in /web"),
  commit("c12", "fix(deps): update dependency undici to v6.11.1 [security] (#400)"),
  commit("c13", "chore(deps): lock file maintenance (#399)"),
  commit("c14", "chore(deps): update rust crate serde to 1.0.203"),
  commit("c15", "Update dependency @types/node to v20.14.2"),
];

describe("dependency updates", () => {
  it("collapse into one line per dependency, the highest version winning", () => {
    const notes = generateNotes(history, []);
    expect(notes.groups.Added).toEqual(["- Saved carts (#412)"]);
    expect(notes.groups.Fixed).toEqual(["- Totals rounding (#406)"]);
    expect(notes.groups.Changed).toEqual([
      "- Update `@types/node` to v20.14.2",
      "- Update `actions/checkout` to v4",
      "- Update `eslint` to v9.10.0",
      "- Update `express` from 4.18.2 to 4.19.2",
      "- Update `serde` to 1.0.203",
      "- Update `typescript` from 5.3.3 to 5.5.2",
      "- Update `zod` to v3.23.8",
      "- Lock file maintenance",
    ]);
    expect(notes.groups.Security).toEqual(["- Update `undici` to v6.11.1"]);
  });

  it("or into one Dependencies entry", () => {
    const notes = generateNotes(history, [], [], [], "one-entry");
    expect(notes.groups.Changed).toEqual([
      "- Dependencies: `@types/node` to v20.14.2, `actions/checkout` to v4, `eslint` to v9.10.0, `express` from 4.18.2 to 4.19.2, `serde` to 1.0.203, `typescript` from 5.3.3 to 5.5.2, `zod` to v3.23.8 and 1 other update(s)",
    ]);
    expect(notes.groups.Security).toEqual(["- Update `undici` to v6.11.1"]);
  });

  it("a PR title and its squashed commit make one line; a thousand updates stay one line each dependency", () => {
    const flood = Array.from({ length: 1000 }, (_, i) =>
      commit(`d${i}`, `chore(deps): update dependency lodash to v4.17.${i}`),
    );
    const notes = generateNotes(flood, [], ["chore(deps): update dependency lodash to v4.17.21 (#1)"]);
    expect(notes.groups.Changed).toEqual(["- Update `lodash` to v4.17.999"]);
  });

  it("a feature that mentions dependencies is not one", () => {
    const notes = generateNotes([commit("e1", "feat: show dependency versions on the about page")], []);
    expect(notes.groups.Added).toEqual(["- Show dependency versions on the about page"]);
    expect(notes.groups.Changed).toEqual([]);
  });
});
