import type { Context } from "probot";
import { mightShip, recognizeShipPull } from "../domain/ship/recognize-ship-pull.js";
import { loadPolicyConfig } from "../use-cases/load-policy-config.js";
import { finalizeRelease } from "../use-cases/ship/finalize-release.js";
import type { AppDeps } from "./app-deps.js";
import { logOutcome, pullFactsOf } from "./ship-payloads.js";

/** Only a merged PR that might be a release, hotfix or revert PR can ship. */
export const acceptsPullRequestClosed = ({
  pull_request: pr,
}: Context<"pull_request.closed">["payload"]): boolean =>
  mightShip(pullFactsOf(pr)) && Boolean(pr.merge_commit_sha);

/**
 * `pull_request.closed`: a merged release, hotfix or revert PR ships (tag, release, images,
 * models, back-merge, comments). Any other PR returns before the first API call.
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
  const ship = recognizeShipPull(facts, config.release, config.ship.hotfix.label);
  if (!ship) return;
  const result = await finalizeRelease(
    // The MLflow registry (the operator's, for this repository) only when models are configured.
    { ...ports.github, models: config.ship.models.length === 0 ? undefined : ports.models() },
    {
      config,
      pull: { number: pr.number, title: pr.title, url: pr.html_url, mergeSha: pr.merge_commit_sha },
      ship,
    },
  );
  logOutcome(context.log, `ship ${ship.kind}`, result);
};
