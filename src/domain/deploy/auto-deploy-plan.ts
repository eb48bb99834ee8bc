/**
 * Which environments a finished image workflow run deploys to by itself, and with what: a
 * release's version (images tagged `1.2.0`), or develop's head (a tag rendered from the
 * environment's template, the commit as the Deployment's ref).
 */
import type { AutoDeploySettings } from "./deploy-settings.js";

export type AutoDeployTrigger =
  | { kind: "release"; version: string; workflowPath: string; runUrl: string }
  | { kind: "develop"; sha: string; branch: string; workflowPath: string; runUrl: string };

export interface AutoDeployTarget {
  env: string;
  /** The image tag deployed (the version for a release). */
  version: string;
  /** The Deployment's ref: undefined for a release (its tag, as `/deploy` does), the commit for develop. */
  ref: string | undefined;
  reason: string;
}

/** `sha-{shortSha}` → `sha-1a2b3c4`. */
export const renderImageTag = (template: string, values: { sha: string; branch: string }): string =>
  template
    .replaceAll("{sha}", values.sha)
    .replaceAll("{shortSha}", values.sha.slice(0, 7))
    .replaceAll("{branch}", values.branch);

const workflowPath = (file: string) => `.github/workflows/${file}`;

export const planAutoDeploys = (config: AutoDeploySettings, trigger: AutoDeployTrigger): AutoDeployTarget[] =>
  Object.entries(config.environments).flatMap(([env, e]): AutoDeployTarget[] => {
    if (trigger.kind === "release") {
      if (!e.autoDeploy.releases || config.ship.images.mode === "off") return [];
      if (trigger.workflowPath !== workflowPath(config.ship.images.workflow)) return [];
      return [
        {
          env,
          version: trigger.version,
          ref: undefined,
          reason: `the images of release ${trigger.version} were published`,
        },
      ];
    }
    const develop = e.autoDeploy.develop;
    if (!develop || trigger.branch !== config.release.developBranch) return [];
    if (trigger.workflowPath !== workflowPath(develop.workflow ?? config.ship.images.workflow)) return [];
    return [
      {
        env,
        version: renderImageTag(develop.imageTag, trigger),
        ref: trigger.sha,
        reason: `${trigger.branch} moved to ${trigger.sha.slice(0, 7)} and its images were built`,
      },
    ];
  });
