import { beforeEach, describe, expect, it } from "@jest/globals";
import { renderShipMarker } from "../../../src/domain/ship/ship-marker.js";
import { shippedMarker } from "../../../src/domain/ship/shipped-comment.js";
import type { GitHubPorts } from "../../../src/ports/github-ports.js";
import type { MergedPullSummary } from "../../../src/ports/pulls.js";
import type { ResumeSurvey } from "../../../src/ports/resume-survey.js";
import type { RepoPorts } from "../../../src/use-cases/repo-ports.js";
import { forEachConfiguredRepo, type SurveyedRepo } from "../../../src/use-cases/resume-repo.js";
import { RESUME_SHIP_LIMITS, resumeShipments } from "../../../src/use-cases/ship/resume-shipments.js";
import { FakeShipGitHub } from "./fake-ship-github.js";

const NOW = new Date("2025-01-20T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/** A merged PR as GitHub's list of closed PRs gives it (merged_at set, merge_commit_sha set). */
const merged = (over: Partial<MergedPullSummary>): MergedPullSummary => ({
  number: 5,
  title: "Release v1.2.0",
  url: "https://github.com/o/r/pull/5",
  body: `Release notes\n\n${renderShipMarker({ kind: "release", version: "1.2.0", issue: 3 })}\n`,
  head: "release/v1.2.0",
  base: "main",
  labels: ["release"],
  sameRepo: true,
  mergeSha: "m1",
  mergedAt: daysAgo(1),
  ...over,
});

describe("resumeShipments (the restart)", () => {
  let gh: FakeShipGitHub;
  let listed: MergedPullSummary[];
  let listCalls: { base: string; limit: number }[];
  const logged: string[] = [];
  const log = {
    info: (_f: object, m: string) => logged.push(m),
    error: (_f: object, m: string) => logged.push(`error: ${m}`),
  };
  /** The repository as the start's pass hands it: the survey's reads and its full ports. */
  const ports = () => {
    const github = {
      ...gh.ports,
      pulls: {
        ...gh.ports.pulls,
        findOpenPull: gh.findOpenPull.bind(gh),
        createPull: gh.createPull.bind(gh),
        listRecentlyMerged: async (query: { base: string; limit: number }) => {
          listCalls.push(query);
          return listed;
        },
      },
    } as unknown as GitHubPorts;
    return {
      repo: { owner: "o", repo: "r" },
      repoUrl: "https://github.com/o/r",
      survey: {
        // No config file: every default (main, develop, `release/`, `v`).
        readFile: async () => undefined,
        pulls: github.pulls,
        issues: github.issues,
      } as unknown as ResumeSurvey,
      ports: async () => ({ github, models: () => undefined }) as unknown as RepoPorts,
    } satisfies SurveyedRepo;
  };
  /** The pass over `repos`, each one's config read once, as src/composition/resume-installed-repos.ts runs it. */
  const run = async (repos: SurveyedRepo[] = [ports()]) => {
    const resumed: string[] = [];
    await forEachConfiguredRepo(repos, log, async (repo) => {
      resumed.push(...(await resumeShipments(repo, { clock: { now: () => NOW }, log })));
    });
    return resumed;
  };

  beforeEach(() => {
    gh = new FakeShipGitHub();
    gh.tags.set("v1.1.0", { commit: "old" });
    gh.files.set("m1", { "CHANGELOG.md": "# Changelog\n\n## [1.2.0] - 2025-01-15\n\n### Added\n- Batch\n" });
    gh.issues.set(3, { state: "open", title: "Release 1.2.0", isPull: false });
    listed = [];
    listCalls = [];
    logged.length = 0;
  });

  it("completes a merged release PR left without its shipped comment, once, with one list call", async () => {
    gh.tags.set("v1.2.0", { commit: "m1" }); // tagged before the app was killed
    listed = [merged({})];
    expect(await run()).toEqual(["o/r#5"]);
    expect(listCalls).toEqual([{ base: "main", limit: RESUME_SHIP_LIMITS.pulls }]);
    expect(gh.writes).not.toContain("tag v1.2.0");
    expect(gh.writes).toContain("release v1.2.0");
    expect(gh.writes.slice(-3)).toEqual(["comment #3", "close #3", "comment #5"]);
    expect(logged).toEqual(["resumed an incomplete shipment"]);

    // The next start finds the shipped comment and does nothing.
    const before = gh.writes.length;
    expect(await run()).toEqual([]);
    expect(gh.writes).toHaveLength(before);
  });

  it("leaves alone what is shipped, older than the window, or not a ship PR", async () => {
    gh.comments.push({ id: 1, issue: 6, body: `${shippedMarker("v1.1.0")}\nshipped` });
    listed = [
      merged({ number: 6, head: "release/v1.1.0", body: null }),
      merged({ number: 7, mergedAt: daysAgo(RESUME_SHIP_LIMITS.days + 1) }),
      merged({ number: 8, head: "feature/x", body: "just a feature", labels: [] }),
      merged({ number: 9, base: "develop", head: "release/v1.3.0", body: null }),
    ];
    expect(await run()).toEqual([]);
    expect(gh.writes).toEqual([]);
  });

  it("logs a repository whose list call fails and goes on", async () => {
    const failing = ports();
    failing.survey = {
      ...failing.survey,
      pulls: {
        ...failing.survey.pulls,
        listRecentlyMerged: () => Promise.reject(Object.assign(new Error("boom"), { status: 502 })),
      },
    };
    gh.tags.set("v1.2.0", { commit: "m1" });
    listed = [merged({})];
    const resumed = await run([failing, ports()]);
    expect(resumed).toEqual(["o/r#5"]);
    expect(logged).toEqual([
      "error: could not resume the shipments of a repository",
      "resumed an incomplete shipment",
    ]);
  });
});
