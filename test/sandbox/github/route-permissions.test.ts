// Each route holds an installation token to the permission GitHub's table requires of it
// (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps), with
// GitHub's 403 "Resource not accessible by integration"; a token may be narrowed when it is
// created (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readAppPermissions } from "../../../sandbox/github/permissions.js";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
import { acceptedHeader, allowed, requiredPermissions } from "../../../sandbox/github/route-permissions.js";
import { octokitFor } from "./helpers.js";

const repo = { owner: "acme", repo: "ml" };
type Octokit = ReturnType<typeof octokitFor>;
interface Refusal {
  status: number;
  response: { data: { message: string }; headers: Record<string, string> };
}

/** An installation access token, as the App's JWT gets one, optionally narrowed. */
async function installationOctokit(
  sandbox: GitHubSandbox,
  permissions?: Record<string, "read" | "write">,
): Promise<Octokit> {
  const { data } = await octokitFor(sandbox.url).rest.apps.createInstallationAccessToken({
    installation_id: sandbox.installationId,
    ...(permissions ? { permissions } : {}),
  });
  return octokitFor(sandbox.url, data.token);
}

async function sandboxWith(permissions?: Record<string, string>): Promise<GitHubSandbox> {
  const sandbox = await startGitHubSandbox(permissions ? { permissions } : {});
  await sandbox.createRepo({ owner: "acme", name: "ml", branches: { main: { "README.md": "# ML\n" } } });
  return sandbox;
}

const createCheckRun = async (gh: Octokit) => {
  const head_sha = (await gh.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
  return gh.rest.checks.create({ ...repo, name: "gate", head_sha });
};

describe("the permission table", () => {
  it("asks read of a GET and write of anything else, either of two where GitHub lists two", () => {
    expect(requiredPermissions("checks/create", "POST")).toEqual([{ checks: "write" }]);
    expect(requiredPermissions("checks/list-for-ref", "GET")).toEqual([{ checks: "read" }]);
    expect(requiredPermissions("git/create-ref", "POST")).toEqual([{ contents: "write" }]);
    expect(requiredPermissions("issues/create-comment", "POST")).toEqual([
      { issues: "write" },
      { pull_requests: "write" },
    ]);
    expect(requiredPermissions("repos/get-combined-status-for-ref", "GET")).toEqual([{ statuses: "read" }]);
    expect(requiredPermissions("apps/create-installation-access-token", "POST")).toBe("jwt");
    expect(requiredPermissions("no-such/operation", "GET")).toBeUndefined();
  });

  it("lets write stand for read, and every installation read metadata", () => {
    expect(allowed({ checks: "write" }, [{ checks: "read" }])).toBe(true);
    expect(allowed({ checks: "read" }, [{ checks: "write" }])).toBe(false);
    expect(allowed({}, [{ metadata: "read" }])).toBe(true);
    expect(allowed({ pull_requests: "write" }, [{ issues: "write" }, { pull_requests: "write" }])).toBe(true);
    expect(acceptedHeader([{ issues: "write" }, { pull_requests: "write" }])).toBe(
      "issues=write; pull_requests=write",
    );
  });

  it("covers every operation the sandbox serves", async () => {
    const { routes } = await import("../../../sandbox/github/router.js");
    const uncovered = [...routes.keys()].filter((id) => requiredPermissions(id, "GET") === undefined);
    expect(uncovered).toEqual([]);
  });
});

describe("an installation without `checks: write`", () => {
  let sandbox: GitHubSandbox;
  beforeAll(async () => {
    const { checks: _checks, ...rest } = readAppPermissions();
    sandbox = await sandboxWith(rest);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("gets 403 on POST /check-runs, naming the permission that would grant it", async () => {
    const gh = await installationOctokit(sandbox);
    const refused = (await createCheckRun(gh).catch((e: unknown) => e)) as Refusal;
    expect(refused.status).toBe(403);
    expect(refused.response.data.message).toBe("Resource not accessible by integration");
    expect(refused.response.headers["x-accepted-github-permissions"]).toBe("checks=write");
    expect(sandbox.requests.at(-1)).toMatchObject({ operationId: "checks/create", status: 403 });
  });

  it("still reads what its other permissions grant", async () => {
    const gh = await installationOctokit(sandbox);
    await expect(gh.rest.repos.get(repo)).resolves.toMatchObject({ status: 200 });
    await expect(gh.rest.issues.create({ ...repo, title: "t" })).resolves.toMatchObject({ status: 201 });
  });

  it("reports its permissions as they are, and cannot ask a token for more", async () => {
    const gh = octokitFor(sandbox.url);
    const { data } = await gh.rest.apps.getRepoInstallation(repo);
    expect(data.permissions.checks).toBeUndefined();
    expect(data.permissions.contents).toBe("write");
    const refused = (await gh.rest.apps
      .createInstallationAccessToken({
        installation_id: sandbox.installationId,
        permissions: { checks: "write" },
      })
      .catch((e: unknown) => e)) as Refusal;
    expect(refused.status).toBe(422);
    expect(refused.response.data.message).toBe(
      "The permissions requested are not granted to this installation.",
    );
  });
});

describe("app.yml's installation", () => {
  let sandbox: GitHubSandbox;
  beforeAll(async () => {
    sandbox = await sandboxWith();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("creates check runs, and a token narrowed to contents read cannot", async () => {
    await expect(createCheckRun(await installationOctokit(sandbox))).resolves.toMatchObject({ status: 201 });
    const narrow = await installationOctokit(sandbox, { contents: "read" });
    const refused = (await createCheckRun(narrow).catch((e: unknown) => e)) as Refusal;
    expect(refused.status).toBe(403);
    const write = (await narrow.rest.git
      .createRef({ ...repo, ref: "refs/heads/x", sha: "0".repeat(40) })
      .catch((e: unknown) => e)) as Refusal;
    expect(write.status).toBe(403);
    expect(write.response.headers["x-accepted-github-permissions"]).toBe("contents=write");
  });

  it("cannot write commit statuses (app.yml grants statuses: read)", async () => {
    const gh = await installationOctokit(sandbox);
    const sha = (await gh.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    await expect(gh.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha })).resolves.toMatchObject({
      status: 200,
    });
    const refused = (await gh.rest.repos
      .createCommitStatus({ ...repo, sha, state: "success", context: "ci" })
      .catch((e: unknown) => e)) as Refusal;
    expect(refused.status).toBe(403);
    expect(sandbox.violations).toEqual([]);
  });
});
