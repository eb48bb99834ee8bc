import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { sampleFiles } from "../../../sandbox/sample/sample-repo.js";
import type { OpenPullSummary } from "../../../src/ports/pulls.js";
import type { ResumeSurvey } from "../../../src/ports/resume-survey.js";
import type { RepoPorts } from "../../../src/use-cases/repo-ports.js";
import { forEachConfiguredRepo, type SurveyedRepo } from "../../../src/use-cases/resume-repo.js";
import {
  RESUME_CHECKLIST_LIMITS,
  resumeChecklists,
} from "../../../src/use-cases/checklist/resume-checklists.js";
import { fakeCheckRuns, fakeModels, fakeSource, healthyRepo } from "./fakes.js";

/**
 * The checklist's pass on start: one list call of the open PRs into main (GitHub's list of pull
 * requests, https://docs.github.com/en/rest/pulls/pulls#list-pull-requests: `head.sha`, `body`,
 * `labels` per PR), only release or hotfix PRs evaluated, at most `evaluations`, and a second
 * start writes no check run (runs found by name on the head, rewritten only when changed).
 */
const CONFIG = readFileSync(
  new URL("../../../sandbox/sample/monorepo/.github/release-pilot.yml", import.meta.url),
  "utf8",
);

/** An open PR as the list gives it. */
const open = (
  number: number,
  head: string,
  sha: string,
  over: Partial<OpenPullSummary> = {},
): OpenPullSummary => ({
  number,
  body: null,
  head: { ref: head, sha },
  base: { ref: "main" },
  labels: [],
  ...over,
});

const setup = (
  listed: OpenPullSummary[],
  readFile = async (_r: unknown, path: string) => (path === ".github/release-pilot.yml" ? CONFIG : undefined),
) => {
  const files = sampleFiles();
  const repo = healthyRepo();
  const checkRuns = fakeCheckRuns();
  const listCalls: { base: string; limit: number }[] = [];
  const logged: string[] = [];
  const source = fakeSource({ ...repo, files: { ...repo.files, ...files } });
  const log = {
    info: (_f: object, m: string) => logged.push(m),
    error: (_f: object, m: string) => logged.push(`error: ${m}`),
  };
  const ports: SurveyedRepo = {
    repo: { owner: "o", repo: "r" },
    repoUrl: "https://github.com/o/r",
    survey: {
      readFile,
      pulls: {
        listOpen: async (query: { base: string; limit: number }) => (listCalls.push(query), listed),
      },
    } as unknown as ResumeSurvey,
    ports: async () =>
      ({
        checklist: () => ({
          source: source.source,
          ...source.ports,
          checkRuns: checkRuns.writer,
          models: fakeModels({}).registry,
          listPaths: async () => Object.keys(files),
        }),
      }) as unknown as RepoPorts,
  };
  /** The pass over `repos`, each one's config read once, as src/composition/resume-installed-repos.ts runs it. */
  const run = async (repos: SurveyedRepo[] = [ports]) => {
    const evaluated: string[] = [];
    await forEachConfiguredRepo(repos, log, async (repo) => {
      evaluated.push(...(await resumeChecklists(repo, { log })));
    });
    return evaluated;
  };
  return { run, checkRuns, listCalls, logged };
};

describe("resumeChecklists (the start's pass over open release PRs)", () => {
  it("evaluates the open release PR with one list call, skips other PRs, and writes nothing the second time", async () => {
    const { run, checkRuns, listCalls } = setup([
      open(12, "feature/faster-scoring", "f1"),
      open(7, "release/v1.2.0", "abc123"),
      open(9, "dependabot/npm/zod-3", "d1", { labels: [{ name: "dependencies" }] }),
    ]);
    expect(await run()).toEqual(["o/r#7"]);
    expect(listCalls).toEqual([{ base: "main", limit: RESUME_CHECKLIST_LIMITS.pulls }]);
    const names = checkRuns.runs.map((r) => r.name);
    expect(names).toContain("Release readiness");
    expect(new Set(names).size).toBe(names.length);
    expect(checkRuns.runs.every((r) => r.sha === "abc123")).toBe(true);

    const writes = checkRuns.log.length;
    expect(await run()).toEqual(["o/r#7"]);
    expect(checkRuns.log).toHaveLength(writes);
    expect(checkRuns.runs).toHaveLength(names.length);
  });

  it("evaluates at most `evaluations` release PRs per repository, and says so", async () => {
    const many = Array.from({ length: 8 }, (_, i) => open(20 + i, `release/v1.${i + 2}.0`, `s${i}`));
    const { run, logged } = setup(many);
    const evaluated = await run();
    expect(evaluated).toHaveLength(RESUME_CHECKLIST_LIMITS.evaluations);
    expect(evaluated).toEqual(
      many.slice(0, RESUME_CHECKLIST_LIMITS.evaluations).map((p) => `o/r#${p.number}`),
    );
    expect(logged).toContain(
      "more open release PRs than the start evaluates; the rest wait for their next event",
    );
  });

  it("a repository whose list call fails is logged; nothing is evaluated there", async () => {
    const { run, logged } = setup([]);
    const failing = run([
      {
        repo: { owner: "o", repo: "r" },
        repoUrl: "https://github.com/o/r",
        survey: {
          readFile: async (_r: unknown, path: string) =>
            path === ".github/release-pilot.yml" ? CONFIG : undefined,
          pulls: {
            listOpen: async () => {
              throw Object.assign(new Error("Server Error"), { status: 502 });
            },
          },
        } as unknown as ResumeSurvey,
        ports: () => {
          throw new Error("not reached");
        },
      },
    ]);
    expect(await failing).toEqual([]);
    expect(logged).toEqual(["error: could not evaluate the open release PRs of a repository"]);
    expect(await run()).toEqual([]);
  });
});
