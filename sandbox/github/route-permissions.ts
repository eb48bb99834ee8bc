// The permission GitHub requires of a GitHub App's installation token for each operation the
// sandbox serves, from GitHub's table "Permissions required for GitHub Apps"
// (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps).
// A GET needs the permission's `read`, any other method its `write` (write includes read); where
// the table lists an endpoint under two permissions, either one grants it.
import type { Permissions } from "./permissions.js";

/** One way to be allowed: every permission of the set at (at least) its level. */
export type PermissionSet = Readonly<Record<string, "read" | "write">>;

/** What an operation accepts: any one of these sets; `[]` means no permission is needed. */
type Rule = readonly PermissionSet[] | "jwt";

const level = (method: string): "read" | "write" =>
  method === "GET" || method === "HEAD" ? "read" : "write";

/** One permission, at the method's level. */
const one =
  (...names: string[]) =>
  (method: string): Rule =>
    names.map((name) => ({ [name]: level(method) }));

// By operationId prefix, then exact operationIds that differ from their family.
const FAMILIES: [prefix: string, rule: (method: string) => Rule][] = [
  // "Repository permissions for Actions": workflow runs, dispatches, artifacts.
  ["actions/", one("actions")],
  // "Repository permissions for Checks": check runs and suites, rerequests included.
  ["checks/", one("checks")],
  // "Repository permissions for Code scanning alerts" (the manifest's `security_events`).
  ["code-scanning/", one("security_events")],
  // "Repository permissions for Dependabot alerts" (the manifest's `vulnerability_alerts`).
  ["dependabot/", one("vulnerability_alerts")],
  // "Repository permissions for Contents": the Git database.
  ["git/", one("contents")],
  // "Repository permissions for Issues" lists issues, comments and labels; the same endpoints are
  // listed under "Pull requests" too (a pull request is an issue), so either grants them.
  ["issues/", one("issues", "pull_requests")],
  ["reactions/", one("issues", "pull_requests")],
  // "Repository permissions for Pull requests".
  ["pulls/", one("pull_requests")],
  // "Organization permissions for Members": team membership.
  ["teams/", one("members")],
];

const EXACT: Record<string, (method: string) => Rule> = {
  // Endpoints that need the App's JWT, not an installation token
  // ("Authenticating as a GitHub App": https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app).
  "apps/get-authenticated": () => "jwt",
  "apps/list-installations": () => "jwt",
  "apps/get-installation": () => "jwt",
  "apps/get-repo-installation": () => "jwt",
  "apps/create-installation-access-token": () => "jwt",
  // "List repositories accessible to the app installation": any installation token.
  "apps/list-repos-accessible-to-installation": () => [],
  // "Repository permissions for Metadata": granted to every installation.
  "repos/get": one("metadata"),
  "repos/get-collaborator-permission-level": one("metadata"),
  "repos/list-branches": one("metadata", "contents"),
  "repos/list-tags": one("metadata", "contents"),
  "repos/get-branch-rules": one("metadata"),
  // "Repository permissions for Contents".
  "repos/get-content": one("contents"),
  "repos/get-commit": one("contents"),
  "repos/list-commits": one("contents"),
  "repos/compare-commits": one("contents"),
  "repos/compare-commits-with-basehead": one("contents"),
  "repos/get-branch": one("contents"),
  "repos/download-tarball-archive": one("contents"),
  "repos/merge": one("contents"),
  "repos/create-release": one("contents"),
  "repos/update-release": one("contents"),
  "repos/get-release": one("contents"),
  "repos/get-latest-release": one("contents"),
  "repos/get-release-by-tag": one("contents"),
  "repos/list-releases": one("contents"),
  // Merging a pull request writes the base branch: "Contents" write, as the table lists it.
  "pulls/merge": one("contents"),
  // Listed under both "Contents" and "Pull requests" (read).
  "repos/list-pull-requests-associated-with-commit": one("contents", "pull_requests"),
  // "Repository permissions for Commit statuses".
  "repos/create-commit-status": one("statuses"),
  "repos/get-combined-status-for-ref": one("statuses"),
  "repos/list-commit-statuses-for-ref": one("statuses"),
  // "Repository permissions for Deployments".
  "repos/create-deployment": one("deployments"),
  "repos/get-deployment": one("deployments"),
  "repos/list-deployments": one("deployments"),
  "repos/create-deployment-status": one("deployments"),
  "repos/list-deployment-statuses": one("deployments"),
};

/**
 * What an installation token needs for `operationId`: the sets any one of which grants it, or
 * "jwt" for the App's own endpoints. Undefined for an operation the table does not cover here
 * (the sandbox then refuses to guess and the caller reports a violation).
 */
export function requiredPermissions(operationId: string, method: string): Rule | undefined {
  const exact = EXACT[operationId];
  if (exact) return exact(method.toUpperCase());
  const family = FAMILIES.find(([prefix]) => operationId.startsWith(prefix));
  return family?.[1](method.toUpperCase());
}

const grants = (granted: string | undefined, needed: "read" | "write"): boolean =>
  granted === "write" || granted === "admin" || (needed === "read" && granted === "read");

/** Whether `permissions` satisfy one of the rule's sets (metadata read is every installation's). */
export function allowed(permissions: Permissions, rule: readonly PermissionSet[]): boolean {
  const held: Permissions = { metadata: "read", ...permissions };
  return rule.length === 0 || rule.some((set) => Object.entries(set).every(([p, l]) => grants(held[p], l)));
}

/**
 * GitHub's X-Accepted-GitHub-Permissions header: each set that would grant the request, sets
 * separated by "; " and a set's permissions by "," (https://github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors).
 */
export function acceptedHeader(rule: readonly PermissionSet[]): string {
  return rule
    .map((set) =>
      Object.entries(set)
        .map(([p, l]) => `${p}=${l}`)
        .join(","),
    )
    .join("; ");
}

/**
 * The permissions an installation token carries: the installation's, narrowed to `requested`
 * when the token was asked for fewer ("Create an installation access token for an app":
 * https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app).
 * Undefined when `requested` asks for more than the installation has, which GitHub refuses with
 * 422 "The permissions requested are not granted to this installation."
 */
export function tokenPermissions(installation: Permissions, requested: unknown): Permissions | undefined {
  if (requested === undefined || requested === null || typeof requested !== "object")
    return { ...installation };
  const narrowed: Record<string, string> = {};
  for (const [name, wanted] of Object.entries(requested as Record<string, unknown>)) {
    if (wanted !== "read" && wanted !== "write") return undefined;
    if (!grants(installation[name], wanted)) return undefined;
    narrowed[name] = wanted;
  }
  return narrowed;
}
