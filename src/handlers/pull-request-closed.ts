import type { Context } from "probot";
import { mightShip } from "../domain/ship/recognize-ship-pull.js";
import { loadPolicyConfig } from "../use-cases/load-policy-config.js";
import { shipMergedPull } from "../use-cases/ship/ship-merged-pull.js";
import type { AppDeps } from "./app-deps.js";
import { logOutcome, pullFactsOf } from "./ship-payloads.js";

/**
 * `pull_request.closed`: a merged release, hotfix or revert PR ships (tag, release, images,
 * models, back-merge, comments). Any other PR returns before the first API call. A step failing
 * past the retries is told on the PR and the issue, and the delivery is answered 2xx; the next
 * delivery, `/ship` or a restart completes the rest.
 */
export const handlePullRequestClosed = async (
  deps: AppDeps,
  context: Context<"pull_request.closed">,
): Promise<void> => {
  const pr = context.payload.pull_request;
  const facts = pullFactsOf(pr);
  if (!mightShip(facts) || !pr.merge_commit_sha) return;
  const ports = deps.portsFor(context);
  // The default branch's config, not the merge commit's: a release PR merges into `main`, which
  // need not be the default branch, and the PR's own edit of the file is not policy yet.
  const config = await loadPolicyConfig(ports.readFile, ports.repo, context.log);
  if (!config) return;
  const shipped = await shipMergedPull(ports, {
    config,
    facts,
    url: pr.html_url,
    mergeSha: pr.merge_commit_sha,
  });
  if (shipped) logOutcome(context.log, `ship ${shipped.ship.kind}`, shipped.result);
};
