import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { CONFIG_PATH } from "../../src/config/schema.js";
import { renderShipMarker } from "../../src/domain/ship/ship-marker.js";
import type { DeploymentRecord } from "../../src/ports/deployments.js";
import type { MergedPullSummary, OpenPullSummary } from "../../src/ports/pulls.js";
import type { ResumeSurvey } from "../../src/ports/resume-survey.js";
import { resumeChecklists } from "../../src/use-cases/checklist/resume-checklists.js";
import { resumeOnStart } from "../../src/use-cases/deploy/resume-on-start.js";
import { forEachConfiguredRepo, type SurveyedRepo } from "../../src/use-cases/resume-repo.js";
import { resumeShipments } from "../../src/use-cases/ship/resume-shipments.js";

/**
 * The start's pass per repository (src/composition/resume-installed-repos.ts runs it so): the
 * config read and parsed once for the three resumes, and a survey through the light reads that
 * builds the repository's full ports only when something is in flight.
 */
const CONFIG = readFileSync(
  new URL("../../sandbox/sample/monorepo/.github/release-pilot.yml", import.meta.url),
  "utf8",
);

const record = (over: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: 1,
  environment: "staging",
  ref: "v1.2.0",
  task: "deploy",
  creator: "release-pilot[bot]",
  createdAt: "2025-01-20T12:00:00Z",
  payload: { action: "deploy", issue: 3, version: "1.2.0" } as DeploymentRecord["payload"],
  state: "success",
  everSucceeded: true,
  ...over,
});

const fixture = (
  name: string,
  records: Record<string, DeploymentRecord[]> = {},
  pulls: { merged?: MergedPullSummary[]; open?: OpenPullSummary[]; shipped?: boolean } = {},
) => {
  const reads: string[] = [];
  const lists: string[] = [];
  let built = 0;
  const repo: SurveyedRepo = {
    repo: { owner: "o", repo: name },
    repoUrl: `https://github.com/o/${name}`,
    survey: {
      readFile: async (_repo, path) => {
        reads.push(path);
        return path === CONFIG_PATH ? CONFIG : undefined;
      },
      records: {
        list: async ({ environment, limit }) => {
          lists.push(`deployments ${environment ?? ""} ${limit}`);
          return records[environment ?? ""] ?? [];
        },
      },
      pulls: {
        listRecentlyMerged: async () => (lists.push("merged"), pulls.merged ?? []),
        listOpen: async () => (lists.push("open"), pulls.open ?? []),
      },
      issues: {
        findComment: async (issue) => {
          lists.push(`comment #${issue}`);
          return pulls.shipped ? { id: 1, url: "u", body: "shipped" } : undefined;
        },
      },
    } satisfies ResumeSurvey,
    ports: async () => {
      built++;
      throw new Error("the full ports were built");
    },
  };
  return { repo, reads, lists, built: () => built };
};

const logger = () => {
  const logged: string[] = [];
  return {
    logged,
    log: {
      info: (_f: object, m: string) => logged.push(m),
      error: (_f: object, m: string) => logged.push(`error: ${m}`),
    },
  };
};

/** The pass as the composition runs it, with both sample clusters known. */
const pass = async (repos: SurveyedRepo[], clusters: string[] = ["staging", "production"]) => {
  const { log, logged } = logger();
  const resumed: string[] = [];
  await forEachConfiguredRepo(repos, log, async (repo) => {
    const deps = {
      log,
      clusters: { get: (n?: string) => (n && clusters.includes(n) ? ({} as never) : undefined) },
    };
    resumed.push(...(await resumeOnStart(repo, { ...deps, canaryMetrics: false })).map(String));
    resumed.push(...(await resumeShipments(repo, { clock: { now: () => new Date() }, log })));
    resumed.push(...(await resumeChecklists(repo, { log })));
  });
  return { resumed, logged };
};

describe("the start's pass over the installed repositories", () => {
  it("reads and parses each repository's config once for the three resumes", async () => {
    const a = fixture("a");
    const b = fixture("b");
    const { resumed, logged } = await pass([a.repo, b.repo]);
    expect(resumed).toEqual([]);
    expect(logged).toEqual([]);
    expect(a.reads).toEqual([CONFIG_PATH]);
    expect(b.reads).toEqual([CONFIG_PATH]);
  });

  it("with nothing in flight: one list per environment with a cluster, the two PR lists, no full ports", async () => {
    const a = fixture("a", { staging: [record({ state: "success" }), record({ id: 2, state: "failure" })] });
    await pass([a.repo], ["staging"]);
    expect(a.lists).toEqual(["deployments staging 20", "merged", "open"]);
    expect(a.built()).toBe(0);
  });

  it("builds the full ports when a deploy's record is in flight (whether or not its lock is held: the lock is not read)", async () => {
    const a = fixture("a", { production: [record({ environment: "production", state: "in_progress" })] });
    const { logged } = await pass([a.repo]);
    expect(a.built()).toBe(1);
    // The fixture's full ports throw: the deploy resume logs it, the other resumes go on.
    expect(logged).toEqual(["error: could not resume the deploys of a repository"]);
    expect(a.lists).toEqual(["deployments staging 20", "deployments production 20", "merged", "open"]);
  });

  it("a record in flight with no payload, or a canary's, does not count as a deploy in flight", async () => {
    const a = fixture("a", {
      staging: [
        record({ state: "in_progress", payload: undefined }),
        record({ id: 2, state: "queued", payload: { action: "canary" } as DeploymentRecord["payload"] }),
      ],
    });
    await pass([a.repo]);
    expect(a.built()).toBe(0);
  });

  it("builds the full ports for a merged release PR without its shipped comment, not for a shipped one", async () => {
    const release: MergedPullSummary = {
      number: 5,
      title: "Release v1.2.0",
      url: "https://github.com/o/a/pull/5",
      body: renderShipMarker({ kind: "release", version: "1.2.0", issue: 3 }),
      head: "release/v1.2.0",
      base: "main",
      labels: ["release"],
      sameRepo: true,
      mergeSha: "m1",
      mergedAt: new Date().toISOString(),
    };
    const shipped = fixture("a", {}, { merged: [release], shipped: true });
    await pass([shipped.repo], []);
    expect(shipped.built()).toBe(0);
    expect(shipped.lists).toEqual(["merged", "comment #5", "open"]);

    const incomplete = fixture("b", {}, { merged: [release] });
    const { logged } = await pass([incomplete.repo], []);
    expect(incomplete.built()).toBe(1);
    expect(logged).toEqual(["error: could not resume the shipments of a repository"]);
  });

  it("builds the full ports for an open release PR, not for other open PRs", async () => {
    const pull = (number: number, ref: string): OpenPullSummary => ({
      number,
      body: null,
      head: { ref, sha: `s${number}` },
      base: { ref: "main" },
      labels: [],
    });
    const features = fixture("a", {}, { open: [pull(12, "feature/faster-scoring")] });
    await pass([features.repo], []);
    expect(features.built()).toBe(0);

    const release = fixture(
      "b",
      {},
      { open: [pull(12, "feature/faster-scoring"), pull(7, "release/v1.2.0")] },
    );
    const { logged } = await pass([release.repo], []);
    expect(release.built()).toBe(1);
    expect(logged).toEqual(["error: could not evaluate the open release PRs of a repository"]);
  });

  it("a repository whose config cannot be read is logged; the next is resumed", async () => {
    const broken = fixture("broken");
    broken.repo.survey.readFile = async () => {
      throw Object.assign(new Error("Server Error"), { status: 502 });
    };
    const b = fixture("b");
    const { logged } = await pass([broken.repo, b.repo]);
    expect(logged).toEqual(["error: could not resume a repository"]);
    expect(b.lists).toEqual(["deployments staging 20", "deployments production 20", "merged", "open"]);
  });
});
