/**
 * Attack 8 of issue #12: `_extends` read other private repositories of the installation, and the
 * config check run on a write user's branch showed their key names, alias names and existence.
 * Only the same owner can be extended, and an extended file is named, never quoted.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { loadConfig } from "../../src/config/load-config.js";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

jest.setTimeout(180_000);

const CONFIG = ".github/release-pilot.yml";
const repo = { owner: "duqueom", repo: "ml-portfolio" };
const files = (map: Record<string, string>) => (r: { owner: string; repo: string }, path: string) =>
  Promise.resolve(map[`${r.owner}/${r.repo}:${path}`]);
const own = (text: string) => ({ [`duqueom/ml-portfolio:${CONFIG}`]: text });
const NOT_VALID =
  "_extends: `duqueom/infra-private:.github/release-pilot.yml` (extended) is not valid or cannot be read";

describe("errors about an extended file name the file, not its text, keys or aliases", () => {
  it.each([
    ["a YAML error with an alias name", "db_password: *vault_alias_name\n"],
    ["a YAML error quoting a line", "aws_secret_access_key: [unclosed\n"],
    ["an unknown key", "checklist:\n  internal_registry_token: abc\n"],
    ["a bad value under a key only it has", "environments:\n  secret-cluster-name:\n    cluster: 7\n"],
    ["a mapping that is not one", "- kube_admin_user\n"],
    ["an _extends of its own to another owner", "_extends: other-owner/secrets\n"],
  ])("%s", async (_what, text) => {
    const loaded = await loadConfig(
      files({ ...own("_extends: infra-private\n"), [`duqueom/infra-private:${CONFIG}`]: text }),
      repo,
    );
    expect(loaded).toMatchObject({ ok: false, errors: [NOT_VALID] });
    const said = JSON.stringify(loaded);
    for (const word of [
      "vault_alias_name",
      "aws_secret",
      "internal_registry",
      "secret-cluster",
      "kube_admin",
      "other-owner",
    ])
      expect(said).not.toContain(word);
  });

  it("a missing extended file reads exactly like an invalid one", async () => {
    const loaded = await loadConfig(files(own("_extends: infra-private\n")), repo);
    expect(loaded).toMatchObject({ ok: false, errors: [NOT_VALID] });
  });

  it("the repository's own file keeps its detail, next to an extended file that is fine", async () => {
    const loaded = await loadConfig(
      files({
        ...own("_extends: infra-private\nrelease:\n  tagPrefix: 7\nextra: 1\n"),
        [`duqueom/infra-private:${CONFIG}`]:
          "environments:\n  staging: { cluster: staging, namespace: ml }\n",
      }),
      repo,
    );
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors).toContain("release.tagPrefix: expected string, received number");
    expect(loaded.errors.some((e) => e.startsWith("(root): ") && e.includes("extra"))).toBe(true);
    // staging lacks `services`: a gap of the merged file under a key only the extended file has.
    expect(loaded.errors).toContain(NOT_VALID);
    expect(loaded.errors.join("\n")).not.toContain("staging");
  });

  it("an environment split between the two files is valid when merged", async () => {
    const loaded = await loadConfig(
      files({
        ...own(
          "_extends: infra-private\nenvironments:\n  staging:\n    services: [{ name: api, deployment: api, container: api }]\n",
        ),
        [`duqueom/infra-private:${CONFIG}`]:
          "environments:\n  staging: { cluster: staging, namespace: ml }\n",
      }),
      repo,
    );
    expect(loaded.ok && loaded.config.environments.staging?.namespace).toBe("ml");
  });
});

describe("attack 8 end to end: the config check run on a write user's branch", () => {
  let e2e: EndToEnd;
  beforeAll(async () => {
    e2e = await startEndToEnd();
    // A private repository of the same owner, and one of another owner, both in reach of the token.
    await e2e.sandbox.createRepo({
      owner: "duqueom",
      name: "infra-private",
      branches: {
        main: {
          [CONFIG]: "prod_db_password_key: &vault_alias hunter2\nrelease:\n  registryToken: *vault_alias\n",
        },
      },
    });
    await e2e.sandbox.createRepo({
      owner: "other-owner",
      name: "private",
      branches: { main: { [CONFIG]: "release:\n  tagPrefix: v\n" } },
    });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const configCheck = (sha: string) =>
    e2e.sandbox
      .checkRuns(e2e.repo, sha)
      .filter((r) => r.name === "release-pilot config")
      .at(-1);

  it("refuses `_extends: other-owner/private` without reading it", async () => {
    const { sandbox, repo: name } = e2e;
    sandbox.resetRequests();
    const sha = await sandbox.pushCommit(name, "developer", "feature/org-defaults", "ci: org defaults", {
      [CONFIG]: "_extends: other-owner/private\n",
    });
    await e2e.settle();
    const check = configCheck(sha);
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.summary).toContain(
      "only a repository of the same owner (`duqueom`) can be extended",
    );
    expect(sandbox.requests.filter((r) => r.path.includes("/repos/other-owner/"))).toEqual([]);
  });

  it("names a same-owner private file that is not valid, and shows none of its keys or aliases", async () => {
    const { sandbox, repo: name } = e2e;
    const sha = await sandbox.pushCommit(name, "developer", "feature/infra", "ci: infra defaults", {
      [CONFIG]: "_extends: infra-private\n",
    });
    await e2e.settle();
    const check = configCheck(sha);
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.summary).toContain(NOT_VALID);
    const shown = JSON.stringify(check?.output);
    for (const word of ["prod_db_password_key", "vault_alias", "hunter2", "registryToken"])
      expect(shown).not.toContain(word);
  });
});
