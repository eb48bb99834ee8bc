import type { Config } from "../../config/schema.js";
import type { Outcome } from "../../domain/outcome.js";
import { type PullFacts, recognizeShipPull, type ShipPull } from "../../domain/ship/recognize-ship-pull.js";
import type { ModelRegistry } from "../../ports/checklist.js";
import type { GitHubPorts } from "../../ports/github-ports.js";
import { finalizeRelease } from "./finalize-release.js";

/** What shipping one merged PR needs from a repository's ports. */
export interface ShipMergedDeps {
  github: GitHubPorts;
  /** The operator's MLflow registry for this repository, if any. */
  models(): ModelRegistry | undefined;
}

/**
 * Ships (or completes the shipping of) one merged PR: the same sequence whichever way it comes,
 * the merge event, its redelivery, `/ship`, or the restart. Undefined when the PR is not a
 * release, hotfix or revert PR into main under this config.
 */
export const shipMergedPull = async (
  deps: ShipMergedDeps,
  input: { config: Config; facts: PullFacts; url: string; mergeSha: string },
): Promise<{ ship: ShipPull; result: Outcome } | undefined> => {
  const { config, facts } = input;
  const ship = recognizeShipPull(facts, config.release, config.ship.hotfix.label);
  if (!ship) return undefined;
  const result = await finalizeRelease(
    // The MLflow registry (the operator's, for this repository) only when models are configured.
    { ...deps.github, models: config.ship.models.length === 0 ? undefined : deps.models() },
    {
      config,
      pull: { number: facts.number, title: facts.title, url: input.url, mergeSha: input.mergeSha },
      ship,
    },
  );
  return { ship, result };
};
