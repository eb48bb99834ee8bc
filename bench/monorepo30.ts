import type { GitHubSandbox } from "../sandbox/github/index.js";
import type { TestOctokit } from "../sandbox/harness/test-octokit.js";
import { sampleFiles } from "../sandbox/sample/sample-repo.js";

export const REPO30_OWNER = "duqueom";
export const REPO30_NAME = "ml-platform-30";

/** Service i's name, package and image: "Service07-API", "service07", ghcr.io/duqueom/service07-api. */
const service = (i: number) => {
  const id = `service${String(i).padStart(2, "0")}`;
  return { dir: `${id[0]!.toUpperCase()}${id.slice(1)}-API`, pkg: id, image: `ghcr.io/duqueom/${id}-api` };
};

/**
 * The sample monorepo's shape with `count` services: each has a pyproject.toml, an
 * `__init__.py` and a Dockerfile carrying 1.1.0 (3 version files), plus one CHANGELOG.
 */
export const monorepoFiles = (count: number): Record<string, string> => {
  const sample = sampleFiles();
  const template = (path: string) => sample[`BankChurn-Predictor/${path}`] ?? "";
  const files: Record<string, string> = { "CHANGELOG.md": sample["CHANGELOG.md"] ?? "" };
  const projects: string[] = [];
  for (let i = 1; i <= count; i++) {
    const s = service(i);
    const rename = (text: string) =>
      text.replaceAll("BankChurn-Predictor", s.dir).replaceAll("bankchurn", s.pkg);
    files[`${s.dir}/pyproject.toml`] = rename(template("pyproject.toml"));
    files[`${s.dir}/src/${s.pkg}/__init__.py`] = rename(template("src/bankchurn/__init__.py"));
    files[`${s.dir}/src/${s.pkg}/api.py`] = rename(template("src/bankchurn/api.py"));
    files[`${s.dir}/Dockerfile`] = rename(template("Dockerfile"));
    projects.push(`    - name: ${s.dir}\n      path: ${s.dir}\n      image: ${s.image}`);
  }
  files[".github/release-pilot.yml"] =
    `release:\n  developBranch: develop\n  mainBranch: main\n  projects:\n${projects.join("\n")}\n`;
  return files;
};

/** Seeds the repository: main tagged v1.1.0, develop ahead with one feature per fifth service. */
export const seedMonorepo = async (
  sandbox: GitHubSandbox,
  admin: InstanceType<typeof TestOctokit>,
  count: number,
): Promise<string> => {
  const files = monorepoFiles(count);
  const history = [
    { branch: "main", message: "chore: release 1.1.0", files, date: "2025-01-02T12:00:00Z" },
    { branch: "develop", message: "chore: start 1.2.0", files: {}, date: "2025-01-03T09:00:00Z" },
  ];
  for (let i = 1; i <= count; i += 5) {
    const s = service(i);
    const path = `${s.dir}/src/${s.pkg}/api.py`;
    history.push({
      branch: "develop",
      message: `feat(${s.pkg}): batch endpoint for ${s.dir}`,
      files: { [path]: `${files[path] ?? ""}\n\ndef predict_batch(rows):\n    return rows\n` },
      date: `2025-01-${String(4 + (i % 20)).padStart(2, "0")}T10:00:00Z`,
    });
  }
  const name = await sandbox.createRepo({
    owner: REPO30_OWNER,
    name: REPO30_NAME,
    defaultBranch: "main",
    history,
  });
  sandbox.setPermission(name, "maintainer", "maintain");
  const main = await sandbox.getRef(name, "heads/main");
  if (!main) throw new Error("bench: main was not created");
  const repo = { owner: REPO30_OWNER, repo: REPO30_NAME };
  const { data: tag } = await admin.rest.git.createTag({
    ...repo,
    tag: "v1.1.0",
    message: "Release version 1.1.0",
    object: main,
    type: "commit",
  });
  await admin.rest.git.createRef({ ...repo, ref: "refs/tags/v1.1.0", sha: tag.sha });
  return name;
};
