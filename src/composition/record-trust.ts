import type { RecordTrust } from "../adapters/github/github-deployment-records.js";
import type { Octokit } from "../adapters/github/octokit.js";
import type { DeployLog } from "../use-cases/deploy/deploy-deps.js";
import type { AppServices } from "./services.js";

/**
 * Which Deployment records are believed: only the ones this App created (its identity asked once
 * per app); a skipped one is logged where a logger is given. The webhooks' ports
 * (build-repo-ports.ts) and the start's survey (resume-installed-repos.ts) both read records so.
 */
export const recordTrust = (
  app: AppServices,
  octokit: Octokit,
  log?: Pick<DeployLog, "info">,
): RecordTrust => ({
  self: () => app.identity.of(octokit),
  ignored: (record, reason) =>
    log?.info(
      { deployment: record.id, environment: record.environment, creator: record.creator, reason },
      "ignored a Deployment record this App did not create",
    ),
});
