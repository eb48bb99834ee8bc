import type { Context } from "probot";
import { isHotfixPull } from "../domain/ship/recognize-ship-pull.js";
import { parseShipMarker } from "../domain/ship/ship-marker.js";
import { loadPolicyConfig } from "../use-cases/load-policy-config.js";
import { bumpHotfix } from "../use-cases/ship/bump-hotfix.js";
import type { AppDeps } from "./app-deps.js";
import { logOutcome, pullFactsOf } from "./ship-payloads.js";

type HotfixEvent =
  "pull_request.opened" | "pull_request.reopened" | "pull_request.labeled" | "pull_request.synchronize";

/**
 * A hotfix PR into main (labelled, or from a `hotfix/…` branch) gets the patch bump commit.
 * PRs from forks (we cannot push there), bot pushes (our own bump) and PRs already carrying
 * the marker are skipped before any API call beyond the config.
 */
export const handleHotfixPullRequest = async (
  deps: AppDeps,
  context: Context<HotfixEvent>,
): Promise<void> => {
  const { pull_request: pr, sender } = context.payload;
  if (pr.state !== "open" || sender.type === "Bot") return;
  const facts = pullFactsOf(pr);
  if (!facts.sameRepo) return;
  if (parseShipMarker(pr.body)?.kind === "hotfix") return;
  // Before any API call: a hotfix PR has a label or a branch naming it a hotfix.
  if (facts.labels.length === 0 && !/hotfix/i.test(facts.head)) return;
  const ports = deps.portsFor(context);
  const config = await loadPolicyConfig(ports.readFile, ports.repo, context.log);
  if (!config || !isHotfixPull(facts, config.release, config.ship.hotfix.label)) return;
  if (pr.head.ref.startsWith(config.release.releaseBranchPrefix)) return;
  const result = await bumpHotfix(
    { ...ports.github, clock: deps.clock },
    {
      config,
      pull: {
        number: pr.number,
        title: pr.title,
        body: pr.body,
        head: pr.head.ref,
        headSha: pr.head.sha,
        labels: facts.labels,
      },
    },
  );
  logOutcome(context.log, "hotfix bump", result);
};
