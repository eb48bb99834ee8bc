/**
 * This App's id and slug, read once from `GET /app` and shared by every repository's ports.
 * An installation Octokit can ask it: @octokit/auth-app signs requests to `/app` with the App's
 * JWT instead of the installation token (its `requiresAppAuth` paths), as `GET /app` requires
 * (https://docs.github.com/en/rest/apps/apps#get-the-authenticated-app).
 */
import type { AppIdentity } from "../../domain/deploy/record-origin.js";
import type { Octokit } from "./octokit.js";

export class AppIdentityCache {
  private pending: Promise<AppIdentity> | undefined;

  constructor(known?: AppIdentity) {
    if (known) this.pending = Promise.resolve(known);
  }

  of(octokit: Octokit): Promise<AppIdentity> {
    this.pending ??= octokit.rest.apps.getAuthenticated().then(
      ({ data }) => {
        if (!data?.slug) throw new Error("GitHub did not say which App this is (GET /app has no slug)");
        return { id: data.id, slug: data.slug };
      },
      (err: unknown) => {
        // Not remembered: the next read asks again.
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }
}
