import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GitHubGitData } from "../../../src/adapters/github/github-git-data.js";
import { MAX_BLOBS_READ, MAX_FILE_BYTES } from "../../../src/adapters/github/read-tree-files.js";
import { MAX_ENTRIES, MAX_WALK_REQUESTS } from "../../../src/adapters/github/walk-tree.js";
import { releaseFilesWanted } from "../../../src/domain/release/release-reads.js";
import { releaseVersionFiles } from "../../../src/domain/release/plan-version-files.js";
import type { ReleaseSettings } from "../../../src/domain/release/release-settings.js";
import { defaultConfig } from "../../../src/config/schema.js";
import { parseConfigText } from "../../../src/config/parse-config.js";
import { sampleFiles } from "../../../sandbox/sample/sample-repo.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { octokitFor } from "../../sandbox/github/helpers.js";
import { type FakeFile, fakeTreeGitHub } from "./fake-tree-github.js";

let sandbox: GitHubSandbox;
const repo = { owner: "acme", repo: "ml" };
const release = defaultConfig().release;

const csv = (rows: number) =>
  ["id,feature,label", ...Array.from({ length: rows }, (_, i) => `${i},${(i * 7) % 13},${i % 2}`)].join("\n");

beforeAll(async () => {
  sandbox = await startGitHubSandbox();
  await sandbox.createRepo({
    owner: "acme",
    name: "ml",
    history: [
      {
        branch: "main",
        message: "Initial commit",
        files: {
          "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2025-01-01\n",
          "services/churn/pyproject.toml":
            '[project]\nname = "churn"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "src/churn/about.py"\n',
          "services/churn/src/churn/about.py": '__version__ = "1.0.0"\n',
          "services/churn/src/churn/__init__.py": "",
          "services/churn/Dockerfile": "FROM python:3.12\n",
          "services/web/package.json": '{ "name": "web", "version": "1.0.0" }\n',
          "services/web/node_modules/left-pad/package.json": '{ "name": "left-pad", "version": "9.9.9" }\n',
          // Data files as ML repositories commit them: never read by a release.
          "data/raw/train.csv": csv(20_000),
          "data/raw/test.csv": csv(5_000),
          ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`data/shards/part-${i}.csv`, csv(50)])),
        },
      },
    ],
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("reading a tree's paths and only the files a release reads", () => {
  it("lists only the directories that can hold version files, in GraphQL, and never the data", async () => {
    const gh = octokitFor(sandbox.url);
    const git = new GitHubGitData(gh, repo);
    const { data: branch } = await gh.rest.repos.getBranch({ ...repo, branch: "main" });
    const before = sandbox.requests.length;
    const tree = await git.snapshotTree(branch.commit.commit.tree.sha, releaseFilesWanted(release));
    const calls = sandbox.requests.slice(before).map((r) => r.operationId);
    // Projects are discovered: the root two levels deep, the services found there, the package
    // under `src/`; then a round for the pyproject and package files and one for the file the
    // pyproject's dynamic version names. No REST tree listing.
    expect(calls).toEqual(["graphql", "graphql", "graphql", "graphql", "graphql"]);
    expect(sandbox.violations).toEqual([]);
    expect(tree.list()).toEqual(
      expect.arrayContaining([
        "CHANGELOG.md",
        "services/churn/pyproject.toml",
        "services/churn/Dockerfile",
        "services/churn/src/churn/about.py",
        "services/web/package.json",
      ]),
    );
    // Neither the data nor the dependencies are listed, let alone read.
    expect(tree.list().filter((p) => p.startsWith("data/") || p.includes("node_modules"))).toEqual([]);
    expect(tree.unwalked).toEqual([]);
    expect(tree.read("services/churn/src/churn/about.py")).toBe('__version__ = "1.0.0"\n');
    expect(tree.read("services/web/package.json")).toContain('"version": "1.0.0"');
    expect(tree.read("CHANGELOG.md")).toContain("## [1.0.0]");
    expect(tree.read("data/raw/train.csv")).toBeUndefined();
  });
});

/** A GET with exactly these headers (Node's fetch always asks for gzip, so plain http here). */
const rawGet = (url: string, headers: Record<string, string>) =>
  new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });

describe("what the sandbox counts as transferred", () => {
  it("is the body on the wire: gzip when the client asks for it, as GitHub answers", async () => {
    const url = `${sandbox.url}/repos/acme/ml/commits?sha=main`;
    const auth = { authorization: "token x", accept: "application/vnd.github+json" };
    const plain = await rawGet(url, auth);
    const plainBytes = sandbox.requests.at(-1)?.bytes;
    const zipped = await rawGet(url, { ...auth, "accept-encoding": "gzip, deflate" });
    const zippedBytes = sandbox.requests.at(-1)?.bytes;
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toContain("Accept-Encoding");
    expect(gunzipSync(zipped.body).toString("utf8")).toBe(plain.body.toString("utf8"));
    expect(plainBytes).toBe(plain.body.length);
    expect(zippedBytes).toBe(zipped.body.length);
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    // `q=0` refuses a coding (RFC 9110 §12.5.3).
    const refused = await rawGet(url, { ...auth, "accept-encoding": "gzip;q=0, identity" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });
});

const configOf = (yaml: string): ReleaseSettings => {
  const parsed = parseConfigText(yaml);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.config.release;
};

/** `n` data files as ML repositories commit them (one CSV shard each). */
const shards = (dir: string, n: number): Record<string, FakeFile> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${dir}/part-${i}.csv`, `id,x\n${i},${i % 7}\n`]));

const pyproject = (name: string, version = "2.3.0") =>
  `[project]\nname = "${name}"\nversion = "${version}"\n`;
const pkgJson = (name: string, extra = "") => `{\n  "name": "${name}",\n  "version": "7.26.0"${extra}\n}\n`;

/**
 * Layouts of real repositories (paths as they are upstream; the texts are short stand-ins): what
 * the release finds in the walked part of the tree must be what it finds in the whole tree.
 */
const layouts: { name: string; config: ReleaseSettings; files: Record<string, FakeFile>; walks: number }[] = [
  {
    // apache/airflow 3.x: a uv workspace of distributions, each with a `src/` layout, a Helm
    // chart at `chart/`, providers two levels down, the breeze tool under `dev/`.
    name: "apache/airflow (workspace, src layouts, chart)",
    config: defaultConfig().release,
    files: {
      "pyproject.toml": pyproject("apache-airflow", "3.1.0"),
      "RELEASE_NOTES.rst": "Airflow 3.1.0\n",
      Dockerfile: 'ARG AIRFLOW_VERSION="3.1.0"\n',
      "airflow-core/pyproject.toml":
        '[project]\nname = "apache-airflow-core"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "src/airflow/__init__.py"\n',
      "airflow-core/src/airflow/__init__.py": '__version__ = "3.1.0"\n',
      "airflow-core/src/airflow/models/dag.py": "class DAG: ...\n",
      "airflow-core/src/airflow/ui/package.json": pkgJson("ui", ',\n  "private": true'),
      "airflow-core/src/airflow/ui/node_modules/react/package.json": pkgJson("react"),
      "airflow-core/tests/unit/models/test_dag.py": "def test_dag(): ...\n",
      "task-sdk/pyproject.toml": pyproject("apache-airflow-task-sdk", "1.1.0"),
      "task-sdk/src/airflow/sdk/__init__.py": '__version__ = "1.1.0"\n',
      "providers/amazon/pyproject.toml": pyproject("apache-airflow-providers-amazon", "9.9.0"),
      "providers/amazon/src/airflow/providers/amazon/__init__.py": '__version__ = "9.9.0"\n',
      "providers/amazon/tests/system/amazon/aws/example_s3.py": "...\n",
      "providers/google/pyproject.toml": pyproject("apache-airflow-providers-google", "16.0.0"),
      "chart/Chart.yaml": "apiVersion: v2\nname: airflow\nversion: 1.18.0\nappVersion: 3.1.0\n",
      "chart/values.yaml": "defaultAirflowTag: 3.1.0\n",
      "chart/templates/scheduler/scheduler-deployment.yaml": "kind: Deployment\n",
      "dev/breeze/pyproject.toml": pyproject("apache-airflow-breeze", "0.0.1"),
      "dev/breeze/src/airflow_breeze/__init__.py": "",
      "docs/spelling_wordlist.txt": "airflow\n",
      ...shards("airflow-core/tests/unit/fixtures/data", 300),
    },
    // The root two levels deep, the projects found there, their `src/<package>/`.
    walks: 3,
  },
  {
    // babel/babel: packages under `packages/`, hundreds of fixture directories holding their own
    // package.json under `test/fixtures/`, eslint packages under `eslint/`.
    name: "babel/babel (JS packages, fixture package.json files)",
    config: defaultConfig().release,
    files: {
      "package.json": pkgJson("babel", ',\n  "private": true'),
      "lerna.json": '{ "version": "independent" }\n',
      "CHANGELOG.md": "# Changelog\n\n## v7.26.0\n",
      "packages/babel-core/package.json": pkgJson("@babel/core"),
      "packages/babel-core/src/index.ts": "export {};\n",
      "packages/babel-parser/package.json": pkgJson("@babel/parser"),
      "packages/babel-parser/src/index.ts": "export {};\n",
      "eslint/babel-eslint-parser/package.json": pkgJson("@babel/eslint-parser"),
      ...Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [
          `packages/babel-core/test/fixtures/plugins/case-${i}/package.json`,
          pkgJson(`fixture-${i}`),
        ]),
      ),
    },
    walks: 2,
  },
  {
    // drivendata/cookiecutter-data-science v2 with DVC: `data/{raw,interim,processed,external}`
    // full of files, `models/` with a large model, the module at the root; deployed with a chart
    // and k8s manifests.
    name: "cookiecutter-data-science with DVC (data at the root, a large model)",
    config: configOf(
      [
        "release:",
        "  projects:",
        "    - name: churn",
        "      path: .",
        "      image: ghcr.io/acme/churn",
        "      manifests: [deploy/k8s/*.yaml]",
      ].join("\n"),
    ),
    files: {
      "pyproject.toml":
        '[project]\nname = "churn"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "churn/about.py"\n',
      "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n",
      Dockerfile: "FROM python:3.12\nLABEL org.opencontainers.image.version=0.4.0\n",
      Makefile: "data:\n\tpython churn/dataset.py\n",
      "churn/__init__.py": "",
      "churn/about.py": '__version__ = "0.4.0"\n',
      "churn/dataset.py": "...\n",
      ".dvc/config": "[core]\nremote = s3\n",
      "data/raw.dvc": "outs:\n- path: raw\n",
      "models/model.pkl": { size: MAX_FILE_BYTES + 1 },
      "notebooks/1.0-eda.ipynb": "{}\n",
      "reports/figures/roc.png": { size: 40_000 },
      "helm/churn/Chart.yaml": "apiVersion: v2\nname: churn\nversion: 0.4.0\nappVersion: 0.4.0\n",
      "deploy/k8s/deployment.yaml": "spec:\n  containers:\n    - image: ghcr.io/acme/churn:0.4.0\n",
      ...shards("data/raw", 2000),
      ...shards("data/processed", 500),
    },
    // The root project two levels deep (the root is never listed deeper at once: its `data/`
    // would come with it), then `helm/churn/`; the manifests' directory by path in the first.
    walks: 2,
  },
  {
    // The sample monorepo with its own config, and the bench's data: shards 500 a directory.
    name: "the sample monorepo (configured services) with data shards",
    config: configOf(sampleFiles()[".github/release-pilot.yml"]!),
    files: {
      ...sampleFiles(),
      ...shards("data/shards/000", 500),
      ...shards("data/shards/001", 500),
      ...shards("BankChurn-Predictor/data", 300),
    },
    // Every place the config names, in one request.
    walks: 1,
  },
];

describe("the walk on real repositories' layouts", () => {
  it.each(layouts)(
    "finds every version file the whole tree holds: $name",
    async ({ config, files, walks }) => {
      const gh = fakeTreeGitHub(files);
      const tree = await new GitHubGitData(gh.octokit, repo).snapshotTree(
        gh.tree,
        releaseFilesWanted(config),
      );
      const all = Object.keys(files);
      const read = (p: string) => {
        const f = files[p];
        return typeof f === "string" ? f : undefined;
      };
      const whole = releaseVersionFiles(config, all, read);
      const walked = releaseVersionFiles(config, tree.list(), (p) => tree.read(p));
      expect(walked.files.map((f) => [f.path, f.updater.kind])).toEqual(
        whole.files.map((f) => [f.path, f.updater.kind]),
      );
      expect(walked.projects).toEqual(whole.projects);
      expect(walked.files.length).toBeGreaterThan(0);
      expect(tree.unwalked).toEqual([]);
      // No data, dependency or fixture directory is listed; the large model is never asked for.
      expect(tree.list().filter((p) => /(?:^|\/)(?:data|node_modules|fixtures)\//.test(p))).toEqual([]);
      expect(gh.stats.blobsRead.map((oid) => gh.pathOf.get(oid))).not.toContain("models/model.pkl");
      // A typical repository is listed in one request when configured, a few when discovered.
      expect(gh.stats.walkRequests).toBe(walks);
    },
  );

  it("answers the same entries whatever the number of data files", async () => {
    const answered = async (n: number) => {
      const { config, files } = layouts[2]!;
      const gh = fakeTreeGitHub({ ...files, ...shards("data/raw", n), ...shards("data/interim/2024", n) });
      await new GitHubGitData(gh.octokit, repo).snapshotTree(gh.tree, releaseFilesWanted(config));
      return gh.stats.entriesAnswered;
    };
    const small = await answered(100);
    expect(await answered(20_000)).toBe(small);
    expect(small).toBeLessThan(100);
  });
});

describe("a tree crafted to make the walk list too much", () => {
  it("stops after MAX_WALK_REQUESTS listings and says which directories it did not look into", async () => {
    // 900 services, each with its package under `src/`: 100 directories a request.
    const files: Record<string, string> = { "services/README.md": "# Services\n" };
    for (let i = 0; i < 900; i++) {
      files[`services/s${i}/pyproject.toml`] = pyproject(`s${i}`);
      files[`services/s${i}/src/s${i}/__init__.py`] = '__version__ = "2.3.0"\n';
    }
    const gh = fakeTreeGitHub(files);
    const tree = await new GitHubGitData(gh.octokit, repo).snapshotTree(gh.tree, releaseFilesWanted(release));
    expect(gh.stats.walkRequests).toBe(MAX_WALK_REQUESTS);
    expect(tree.unwalked?.length).toBeGreaterThan(0);
    expect(tree.unwalked?.every((d) => d.startsWith("services/s"))).toBe(true);
    // What was listed is kept: the services' own files.
    expect(tree.list()).toContain("services/s0/pyproject.toml");
  });

  it("does not follow a path 4,000 directories deep, nor descend a wide directory of data directories", async () => {
    const deep = Array.from({ length: 4000 }, () => "a").join("/");
    const files: Record<string, string> = {
      "CHANGELOG.md": "# Changelog\n",
      [`${deep}/pyproject.toml`]: pyproject("deep"),
      ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`runs/r${i}/metrics.json`, "{}"])),
    };
    const gh = fakeTreeGitHub(files);
    const tree = await new GitHubGitData(gh.octokit, repo).snapshotTree(gh.tree, releaseFilesWanted(release));
    // The deep path is followed to the depth discovery looks (four directories: three walk
    // requests), the 5,000 directories of `runs/` (no manifest among them) are not descended.
    expect(gh.stats.walkRequests).toBe(3);
    expect(tree.list().filter((p) => p.startsWith("runs/"))).toEqual([]);
    expect(tree.list()).not.toContain(`${deep}/pyproject.toml`);
    expect(tree.unwalked).toEqual([]);
    expect(tree.read("CHANGELOG.md")).toBe("# Changelog\n");
  });

  it("stops listing past MAX_ENTRIES (100,000 directories at the top) and names what it left", async () => {
    // A manifest at the top, so the rule of wide directories does not leave it first.
    const files: Record<string, string> = {
      "package.json": pkgJson("root"),
      "services/api/pyproject.toml": pyproject("api"),
      ...Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`d${i}/x.json`, "{}"])),
    };
    const gh = fakeTreeGitHub(files);
    const tree = await new GitHubGitData(gh.octokit, repo).snapshotTree(gh.tree, releaseFilesWanted(release));
    expect(MAX_ENTRIES).toBeLessThan(100_000);
    expect(gh.stats.walkRequests).toBe(1);
    expect(tree.unwalked).toEqual(["services/api"]);
    expect(tree.list()).toContain("package.json");
    expect(tree.list()).not.toContain("services/api/pyproject.toml");
  });
});

describe("a tree crafted to make the release read many files", () => {
  it("reads at most MAX_BLOBS_READ blobs, 100 a request; the rest read as absent", async () => {
    // 3,000 packages each with an `__init__.py`: every one is a candidate version file of the root project.
    const files: Record<string, string> = { "pyproject.toml": pyproject("root") };
    for (let i = 0; i < 3000; i++) files[`pkg${i}/__init__.py`] = '__version__ = "1.0.0"\n';
    const gh = fakeTreeGitHub(files);
    const blobQueries: number[] = [];
    const graphql = gh.octokit.graphql;
    const counting = (query: string, variables: Record<string, string>) => {
      const blobs = Object.keys(variables).filter((k) => /^b\d+$/.test(k)).length;
      if (blobs > 0) blobQueries.push(blobs);
      return graphql(query, variables);
    };
    const octokit = { ...gh.octokit, graphql: counting } as unknown as typeof gh.octokit;
    const tree = await new GitHubGitData(octokit, repo).snapshotTree(gh.tree, releaseFilesWanted(release));
    expect(blobQueries.reduce((a, b) => a + b, 0)).toBe(MAX_BLOBS_READ);
    expect(Math.max(...blobQueries)).toBeLessThanOrEqual(100);
    expect(tree.list()).toHaveLength(3001);
    expect(tree.read("pkg2999/__init__.py")).toBeUndefined();
  });
});
