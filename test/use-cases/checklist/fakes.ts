import { readFileSync } from "node:fs";
import type { CheckRunOutput } from "../../../src/domain/checklist/render-check-run-output.js";
import type { CommitCheck, Finding, Review } from "../../../src/domain/checklist/types.js";
import type {
  ArtifactFile,
  ArtifactRef,
  ChecklistSource,
  CheckRunWriter,
  ModelRegistry,
  ModelVersionMetrics,
  ModelVersionRef,
  StoredCheckRun,
} from "../../../src/ports/checklist.js";

export const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/checklist/${name}`, import.meta.url), "utf8");
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

export const PROJECTS = [
  "BankChurn-Predictor",
  "CarVision-Market-Intelligence",
  "TelecomAI-Customer-Intelligence",
];

/** The state of a repository as the fake source serves it; tests mutate it between runs. */
export interface FakeRepo {
  checks: CommitCheck[];
  reviews: Review[];
  teams: Record<string, string[]>;
  artifacts: (ArtifactRef & { files: Record<string, string> | "404" })[];
  /** Alerts by ref; a ref absent here was never analysed. */
  codeScanning: Record<string, Finding[]> | Error;
  dependabot: Finding[] | Error;
  files: Record<string, string>;
  changedFiles: string[];
  lastTag: string | null;
  prBody: string | null;
}

const pyproject = (v: string) => `[project]\nname = "x"\nversion = "${v}"\n`;

export const healthyRepo = (): FakeRepo => ({
  checks: [
    {
      name: "test (BankChurn-Predictor)",
      source: "check-run",
      state: "success",
      url: "https://github.com/o/r/runs/11",
    },
    {
      name: "Integration tests",
      source: "check-run",
      state: "success",
      url: "https://github.com/o/r/runs/12",
    },
    { name: "Checklist: Integration tests", source: "check-run", state: "failure" },
    {
      name: "coverage/TelecomAI-Customer-Intelligence",
      source: "status",
      state: "success",
      description: "Coverage: 88.5%",
    },
  ],
  reviews: [
    {
      user: "alice",
      state: "APPROVED",
      submittedAt: "2025-01-15T10:00:00Z",
      url: "https://github.com/o/r/pull/7#r1",
    },
  ],
  teams: { "acme/release-managers": ["alice"] },
  artifacts: [
    {
      id: 1,
      name: "coverage-reports",
      runId: 100,
      expired: false,
      url: "https://github.com/o/r/actions/runs/100",
      files: {
        "BankChurn-Predictor/coverage.xml": fixture("coverage.xml"),
        "CarVision-Market-Intelligence/lcov.info": fixture("lcov.info"),
      },
    },
    {
      id: 2,
      name: "security-reports",
      runId: 101,
      expired: false,
      files: { "bandit-report.json": '{"results": []}' },
    },
  ],
  codeScanning: { "refs/pull/7/merge": [] },
  dependabot: [],
  files: {
    "CHANGELOG.md": fixture("CHANGELOG.md"),
    "BankChurn-Predictor/pyproject.toml": pyproject("1.2.0"),
    "CarVision-Market-Intelligence/pyproject.toml": pyproject("1.2.0"),
    "TelecomAI-Customer-Intelligence/pyproject.toml": pyproject("1.2.0"),
    "TelecomAI-Customer-Intelligence/metrics.json": '{"f1": 0.71}',
  },
  changedFiles: ["README.md", "CHANGELOG.md"],
  lastTag: "v1.1.0",
  prBody: "- [x] Data privacy compliance (GDPR, etc.)\n- [ ] Model fairness evaluated\n",
});

/** A plain-object ChecklistSource over a FakeRepo, counting calls per method. */
export const fakeSource = (repo: FakeRepo) => {
  const calls: Record<string, number> = {};
  const count = (m: string) => (calls[m] = (calls[m] ?? 0) + 1);
  const source: ChecklistSource = {
    listCommitChecks: async () => (count("listCommitChecks"), repo.checks),
    isTeamMember: async (org, team, user) => (
      count("isTeamMember"),
      (repo.teams[`${org}/${team}`] ?? []).includes(user)
    ),
    listArtifacts: async () => (count("listArtifacts"), repo.artifacts.map(({ files: _f, ...a }) => a)),
    readArtifact: async (a): Promise<ArtifactFile[]> => {
      count("readArtifact");
      const files = repo.artifacts.find((x) => x.id === a.id)?.files;
      if (files === undefined || files === "404")
        throw new Error(`artifact ${a.name} could not be downloaded (404)`);
      return Object.entries(files).map(([path, text]) => ({ path, bytes: bytes(text) }));
    },
    listCodeScanningAlerts: async (ref) => {
      count("listCodeScanningAlerts");
      if (repo.codeScanning instanceof Error) throw repo.codeScanning;
      return repo.codeScanning[ref] ?? null;
    },
    listDependabotAlerts: async () => {
      count("listDependabotAlerts");
      if (repo.dependabot instanceof Error) throw repo.dependabot;
      return repo.dependabot;
    },
  };
  // The capability ports the checklist reads files, the comparison, reviews, the body and the
  // latest release through (GitData.readFiles reads many files in one request).
  const git = {
    readFiles: async (_ref: string, paths: readonly string[]) => {
      count("readFiles");
      return new Map(paths.map((p) => [p, repo.files[p]]));
    },
    compare: async (base: string) => {
      count("compare");
      return {
        aheadBy: 1,
        authors: [],
        files: repo.changedFiles,
        url: `https://github.com/o/r/compare/${base}...head`,
      };
    },
  };
  const pulls = {
    listReviews: async (_pull: number): Promise<Review[]> => (count("listReviews"), repo.reviews),
    readPullBody: async (_pull: number) => (count("readPullBody"), repo.prBody),
    updatePullBody: async (_pull: number, body: string) => {
      count("updatePullBody");
      repo.prBody = body;
    },
  };
  const releases = {
    findLatestTag: async () => (count("findLatestTag"), repo.lastTag ?? undefined),
  };
  return { source, calls, ports: { git, pulls, releases } };
};

/** An in-memory CheckRunWriter that keeps what was written, like GitHub would. */
export const fakeCheckRuns = () => {
  const runs: (StoredCheckRun & { sha: string; run: CheckRunOutput })[] = [];
  const log: string[] = [];
  const store = (id: number, sha: string, run: CheckRunOutput): StoredCheckRun => {
    const url = `https://github.com/o/r/runs/${String(id)}`;
    const completed = run.status === "completed";
    const stored = { id, sha, run, name: run.name, externalId: run.externalId, url, completed };
    const i = runs.findIndex((r) => r.id === id);
    if (i >= 0) runs[i] = stored;
    else runs.push(stored);
    return { id, name: run.name, externalId: run.externalId, url, completed };
  };
  const writer: CheckRunWriter = {
    listOwn: async (sha) =>
      runs
        .filter((r) => r.sha === sha)
        .map(({ id, name, externalId, url, completed }) => ({ id, name, externalId, url, completed })),
    create: async (sha, run) => (log.push(`create ${run.name}`), store(1000 + runs.length, sha, run)),
    update: async (id, run) => {
      log.push(`update ${run.name}`);
      const sha = runs.find((r) => r.id === id)?.sha ?? "?";
      return store(id, sha, run);
    },
  };
  return { writer, runs, log };
};

export const fakeModels = (byName: Record<string, ModelVersionMetrics | Error>) => {
  const asked: ModelVersionRef[] = [];
  const registry: ModelRegistry = {
    getModelVersionMetrics: async (ref) => {
      asked.push(ref);
      const m = byName[ref.name];
      if (m === undefined) throw new Error(`RESOURCE_DOES_NOT_EXIST: model ${ref.name}`);
      if (m instanceof Error) throw m;
      return m;
    },
    tagModelVersion: async () => undefined,
  };
  return { registry, asked };
};
