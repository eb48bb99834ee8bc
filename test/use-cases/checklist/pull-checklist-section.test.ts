import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { sampleFiles } from "../../../sandbox/sample/sample-repo.js";
import { parseConfigText } from "../../../src/config/parse-config.js";
import type { Config } from "../../../src/config/schema.js";
import { evaluateReadiness } from "../../../src/domain/checklist/evaluate-readiness.js";
import { renderPullChecklist } from "../../../src/domain/checklist/render-pull-checklist.js";
import {
  CHECKLIST_END,
  CHECKLIST_START,
  onlyChecklistChanged,
  withChecklistSection,
} from "../../../src/domain/release/release-pr-body.js";
import { type ChecklistPull, runChecklist } from "../../../src/use-cases/run-checklist.js";
import {
  type FakeRepo,
  fakeCheckRuns,
  fakeModels,
  fakeSource as fakeRepoSource,
  healthyRepo,
} from "./fakes.js";

/**
 * The release PR body's "✅ Checklist" section follows each evaluation: the readiness table
 * replaces the placeholder between the markers, with one PATCH at most and none when nothing
 * changed, and what the PR's author wrote outside the markers is kept.
 */
const config = (): Config => {
  const text = readFileSync(
    new URL("../../../sandbox/sample/monorepo/.github/release-pilot.yml", import.meta.url),
    "utf8",
  );
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.config;
};

const PLACEHOLDER = "_The release checklist runs on this PR's checks and will appear here._";
const releaseBody = (before = "## 🚀 Release v1.2.0\n\nNotes.", after = "") =>
  `${before}\n\n### ✅ Checklist\n\n${CHECKLIST_START}\n${PLACEHOLDER}\n${CHECKLIST_END}\n${after}`;

/** A PR on GitHub: its body, and the calls made to read and write it. */
const fakePull = (body: string) => {
  const pull = { body, log: [] as string[] };
  const pullBody = {
    read: async (number: number) => (pull.log.push(`GET #${number}`), pull.body),
    update: async (number: number, next: string) => {
      pull.log.push(`PATCH #${number}`);
      pull.body = next;
    },
  };
  return { pull, pullBody };
};

const run = async (
  gh: ReturnType<typeof fakePull>,
  body: string | null | undefined,
  repo = healthyRepo(),
) => {
  const files = sampleFiles();
  const fakeSource = (r: FakeRepo) => {
    const fake = fakeRepoSource(r);
    const pulls = { ...fake.ports.pulls, readPullBody: gh.pullBody.read, updatePullBody: gh.pullBody.update };
    return { source: fake.source, ...fake.ports, pulls };
  };
  const pr: ChecklistPull = { number: 7, headSha: "abc123", headRef: "release/v1.2.0", baseRef: "main" };
  return runChecklist(
    {
      ...fakeSource({ ...repo, files: { ...repo.files, ...files } }),
      checkRuns: fakeCheckRuns().writer,
      models: fakeModels({}).registry,
      listPaths: async () => Object.keys(files),
    },
    { config: config(), pull: body === undefined ? pr : { ...pr, body }, version: "1.2.0" },
  );
};

describe("the release PR body's checklist section", () => {
  it("replaces the placeholder with the readiness table once, then leaves an unchanged verdict alone", async () => {
    const gh = fakePull(releaseBody());
    const first = await run(gh, gh.pull.body);
    expect(first.bodyUpdated).toBe(true);
    expect(gh.pull.log).toEqual(["GET #7", "PATCH #7"]);
    expect(gh.pull.body).not.toContain(PLACEHOLDER);
    const section = gh.pull.body.slice(
      gh.pull.body.indexOf(CHECKLIST_START),
      gh.pull.body.indexOf(CHECKLIST_END),
    );
    expect(section).toContain(
      `**${first.readiness.status === "pass" ? "✅" : "❌"} ${first.readiness.title}**`,
    );
    expect(section).toContain("| | Gate | | Result |");
    for (const gate of first.gates) expect(section).toContain(gate.name.replace(/^Checklist: /, ""));
    // The PATCH makes GitHub send pull_request.edited; evaluating that body writes nothing.
    gh.pull.log.length = 0;
    const second = await run(gh, gh.pull.body);
    expect(second.bodyUpdated).toBe(false);
    expect(gh.pull.log).toEqual([]);
  });

  it("keeps what the author wrote outside the markers, even after the event was sent", async () => {
    const gh = fakePull(releaseBody());
    const eventBody = gh.pull.body;
    // The author edits the description between the event and the evaluation.
    gh.pull.body = releaseBody(
      "## 🚀 Release v1.2.0\n\nNotes, and a caveat @alice should read.",
      "\nSigned off.\n",
    );
    await run(gh, eventBody);
    expect(gh.pull.log).toEqual(["GET #7", "PATCH #7"]);
    expect(gh.pull.body.startsWith("## 🚀 Release v1.2.0\n\nNotes, and a caveat @alice should read.")).toBe(
      true,
    );
    expect(gh.pull.body.endsWith(`${CHECKLIST_END}\n\nSigned off.\n`)).toBe(true);
  });

  it("reads the body when the event carried none, and never writes one without its markers", async () => {
    const gh = fakePull(releaseBody());
    await run(gh, undefined);
    expect(gh.pull.log).toEqual(["GET #7", "PATCH #7"]);
    // A hotfix PR (no section), or a body whose author deleted or doubled a marker: untouched.
    for (const body of [
      "Fixes the login.",
      releaseBody().replace(CHECKLIST_END, ""),
      `${releaseBody()}\n${CHECKLIST_START}\n`,
    ]) {
      const other = fakePull(body);
      expect((await run(other, body)).bodyUpdated).toBe(false);
      expect(other.pull.log).toEqual([]);
      expect(other.pull.body).toBe(body);
    }
  });

  it("shows text others wrote inertly: no mention, no marker that would end the section early", () => {
    // A gate title quoting a CI check name a workflow author chose.
    const title = `Failing: test (@octocat ${CHECKLIST_END}) | x`;
    const readiness = evaluateReadiness([
      {
        gate: "tests",
        name: "Checklist: Tests",
        status: "fail",
        conclusion: "failure",
        required: true,
        title,
        summary: "",
        rows: [],
      },
    ]);
    const body = withChecklistSection(releaseBody(), renderPullChecklist(readiness));
    expect(body).toBeDefined();
    expect(body).toContain("octocat");
    expect(body!.split(CHECKLIST_END)).toHaveLength(2);
    // Every `@octocat` sits inside a code span (odd segments between backticks), where GitHub mentions no one.
    for (const line of body!.split("\n").filter((l) => l.includes("@octocat")))
      expect(line.split("`").findIndex((segment) => segment.includes("@octocat")) % 2).toBe(1);
    // A section holding a marker itself is refused rather than written.
    expect(withChecklistSection(releaseBody(), `x ${CHECKLIST_END}`)).toBeUndefined();
    // Nor is a body past GitHub's 65,536 characters.
    expect(
      withChecklistSection(releaseBody("x".repeat(65_400)), renderPullChecklist(readiness)),
    ).toBeUndefined();
  });

  it("tells this app's own section edit (no re-evaluation) from an edit of the author's text", async () => {
    const gh = fakePull(releaseBody());
    const before = gh.pull.body;
    await run(gh, before);
    expect(onlyChecklistChanged(before, gh.pull.body)).toBe(true);
    // A ticked compliance item, or text added outside the markers, is the author's: evaluated.
    expect(onlyChecklistChanged(before, `${before}\n- [x] Model fairness evaluated\n`)).toBe(false);
    expect(onlyChecklistChanged(before, before)).toBe(false);
    expect(onlyChecklistChanged("no markers", "no markers either")).toBe(false);
  });
});
