// The installation's permissions and the rules GitHub enforces with them, kept apart from token
// handling: each rule is a function of "the installation's permissions" and the request.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Repo } from "./state.js";

export type Permissions = Readonly<Record<string, string>>;

/**
 * What installing the App grants: app.yml's `default_permissions` (the App manifest,
 * https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest).
 */
export function readAppPermissions(
  file = fileURLToPath(new URL("../../app.yml", import.meta.url)),
): Permissions {
  const manifest = parse(readFileSync(file, "utf8")) as { default_permissions?: Record<string, string> };
  return { ...(manifest.default_permissions ?? {}) };
}

/**
 * GitHub's workflows rule: a GitHub App may create or update files under `.github/workflows/`
 * only with the `workflows` permission ("Workflows: update GitHub Actions workflow files",
 * https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps#repository-permissions-for-workflows).
 * The message is GitHub's own. Undefined when the write is allowed.
 */
export function workflowRefusal(permissions: Permissions, changed: readonly string[]): string | undefined {
  if (permissions.workflows === "write") return undefined;
  const path = changed.find((p) => p.startsWith(".github/workflows/"));
  return path
    ? `refusing to allow a GitHub App to create or update workflow \`${path}\` without \`workflows\` permission`
    : undefined;
}

/** The files changed by the commits `sha` brings that no ref of the repository has yet. */
export async function filesIntroduced(repo: Repo, sha: string): Promise<string[]> {
  if ((await repo.git.objectType(sha)) !== "commit") return [];
  const files = new Set<string>();
  for (const commit of await repo.git.revList([sha, "--not", "--all"])) {
    const { parents } = await repo.git.readCommit(commit);
    for (const f of await repo.git.diff(parents[0], commit)) files.add(f.filename);
  }
  return [...files];
}
