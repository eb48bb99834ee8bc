import { z } from "zod";
import type { EnvironmentTargetSettings, ServiceSettings } from "../../domain/deploy/deploy-settings.js";
import type { Conforms } from "../conforms.js";
import { permissionLevels } from "../../domain/commands/permission.js";
import { canaryAnalysis } from "./canary-analysis-section.js";

/** One service of an environment: which project it runs, and where its Deployment is. */
const serviceEntry = z
  .object({
    name: z.string().min(1).describe("Project name (release.projects[].name), e.g. BankChurn-Predictor."),
    deployment: z.string().min(1).describe("Kubernetes Deployment name, e.g. bankchurn."),
    container: z.string().min(1).describe("Container whose image is set, e.g. bankchurn."),
    image: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/, "an image repository without a tag, e.g. ghcr.io/org/api")
      .optional()
      .describe("Image repository (absent: the project's `image`)."),
  })
  .strict();

const gates = z
  .object({
    releasedOnly: z
      .boolean()
      .default(false)
      .describe("Deploy only versions that have a release tag (production: set true)."),
    readiness: z
      .boolean()
      .default(false)
      .describe("Every commit status and check of the deployed ref must be green (GitHub verifies it)."),
    approvals: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        "Approving reviews needed on the PR that shipped the version (the merged release PR, or the hotfix PR carrying it) before /deploy, /canary or /promote: one per person with write access or more, their latest review only. /rollback is never gated (emergency path).",
      ),
  })
  .strict()
  .prefault({});

const canary = z
  .object({
    suffix: z.string().min(1).default("-canary").describe("Canary Deployment name = main name + suffix."),
    replicas: z.number().int().min(1).optional().describe("Canary replicas (absent: from `weight`)."),
    weight: z
      .number()
      .gt(0)
      .lt(100)
      .default(10)
      .describe("Traffic share in percent, by pod count, when no replicas are given."),
    analysis: canaryAnalysis
      .optional()
      .describe(
        "Analyse the canary and promote or abort it by itself (absent: /promote and /abort by hand). Needs a Prometheus server in the operator's settings.",
      ),
  })
  .strict()
  .prefault({});

/** Deploying through a GitHub Actions workflow instead of the cluster API. */
const workflowDriver = z
  .object({
    workflow: z
      .string()
      .regex(/^[\w.-]+\.ya?ml$/, "a workflow file name such as deploy.yml")
      .describe(
        "Deploy with this workflow (under .github/workflows) instead of the cluster: dispatched for /deploy and /rollback with the inputs environment, version and deployment_id; its conclusion decides the Deployment's status. No `cluster` or `services` then.",
      ),
    ref: z
      .string()
      .min(1)
      .optional()
      .describe("Branch or tag the workflow runs on (absent: release.mainBranch)."),
  })
  .strict();

/** Deploys nobody asked for: each new release, and/or develop's head once its images exist. */
const autoDeploy = z
  .object({
    releases: z
      .boolean()
      .default(false)
      .describe(
        "Deploy each new release (or hotfix) here once its image workflow run succeeds (the moment its images exist). The environment's gates apply.",
      ),
    develop: z
      .object({
        workflow: z
          .string()
          .regex(/^[\w.-]+\.ya?ml$/, "a workflow file name such as build-images.yml")
          .optional()
          .describe(
            "Workflow whose successful push run on release.developBranch means develop's images exist (absent: ship.images.workflow).",
          ),
        imageTag: z
          .string()
          .regex(
            /^(?:[\w.-]|\{(?:sha|shortSha|branch)\})+$/,
            "an image tag template of letters, digits, . _ - and {sha}, {shortSha} or {branch}",
          )
          .default("sha-{shortSha}")
          .describe(
            "Image tag deployed for develop's head: {sha} (full commit), {shortSha} (its first 7 characters), {branch} (the branch name).",
          ),
      })
      .strict()
      .optional()
      .describe("Deploy develop's head each time it moves, once that push's image workflow run succeeds."),
  })
  .strict()
  .prefault({});

/** One deploy target. Cluster credentials are NOT here: `cluster` names a connection the operator set up. */
export const environmentEntry = z
  .object({
    cluster: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, "a cluster name such as staging or in-cluster")
      .optional()
      .describe(
        "Cluster name the app's operator mapped to a connection (KUBECONFIG_<NAME>); required unless `driver` is set.",
      ),
    driver: workflowDriver
      .optional()
      .describe(
        "Deploy with a GitHub Actions workflow instead of the cluster (then no `cluster`, `services` or canary; /canary, /promote, /abort and /scale are refused).",
      ),
    namespace: z.string().min(1).default("default").describe("Namespace of the services."),
    permission: z
      .enum(permissionLevels)
      .optional()
      .describe("Permission needed for commands on this environment (production default: maintain)."),
    url: z.url().optional().describe("Environment URL shown on the GitHub Deployment."),
    services: z
      .array(serviceEntry)
      .min(1)
      .optional()
      .describe("The services deployed together; required unless `driver` is set."),
    gates,
    healthChecks: z.array(z.url()).default([]).describe("URLs that must answer 2xx after the rollout."),
    smokeWorkflow: z
      .string()
      .regex(/^[\w.-]+\.ya?ml$/, "a workflow file name such as smoke-tests.yml")
      .optional()
      .describe("Workflow dispatched after the health checks; its conclusion must be success."),
    autoRollback: z.boolean().default(true).describe("Roll back to the last good revision on failure."),
    canary,
    autoDeploy,
    timeoutSeconds: z
      .number()
      .int()
      .min(10)
      .default(600)
      .describe(
        "Overall timeout of a rollout watch (or of the driver's workflow run), all services together.",
      ),
  })
  .strict()
  .superRefine((env, ctx) => {
    const driven = env.driver !== undefined;
    for (const key of ["cluster", "services"] as const) {
      if (driven && env[key] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `not used with \`driver.workflow\`: the workflow deploys (remove \`${key}\`, or remove \`driver\` to deploy through the cluster)`,
        });
      if (!driven && env[key] === undefined)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `required: ${key === "cluster" ? "name the cluster connection to deploy to" : "list the services deployed together"}, or set \`driver.workflow\` to deploy with a GitHub Actions workflow`,
        });
    }
    if (env.autoDeploy.develop && (env.gates.releasedOnly || env.gates.approvals > 0))
      ctx.addIssue({
        code: "custom",
        path: ["autoDeploy", "develop"],
        message:
          "develop's head is no release: it cannot pass `gates.releasedOnly` or `gates.approvals` (turn those off here, or auto-deploy releases only)",
      });
  });

/** Deploy environments keyed by name (`staging`, `production`, …). */
export const environmentsSection = z
  .record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "an environment name such as staging"), environmentEntry)
  .default({});

export type EnvironmentConfig = Conforms<z.infer<typeof environmentEntry>, EnvironmentTargetSettings>;
export type EnvironmentService = Conforms<z.infer<typeof serviceEntry>, ServiceSettings>;
export type WorkflowDriver = z.infer<typeof workflowDriver>;
/** An environment deployed through its cluster (no `driver`): cluster and services are set. */
export type ClusterEnvironment = EnvironmentConfig & { cluster: string; services: EnvironmentService[] };
