/**
 * The operator settings' schema (operator-settings.ts says what they are): the source of their
 * types, defaults and errors. Loaded only when a settings file is named, so a start without one
 * does not load zod before it listens.
 *
 * Operator settings: what the person running the app decides, never a repository. Outbound
 * endpoints (MLflow, Prometheus) with their credentials, which repositories may use each, what
 * outbound addresses are allowed, and which namespaces each cluster may be deployed to.
 *
 * They are read once at start from the YAML file named by `RELEASE_PILOT_SETTINGS` (absent: the
 * defaults: no outbound integrations, no private addresses, every non-system namespace). No
 * repository config can name a URL that receives credentials, an environment variable or a file:
 * a repository only says *that* it wants a check; this file says *where* and *with what*.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** `owner/repo`, `owner/*` or `*`: the repositories an endpoint serves. */
const repositoryPattern = z
  .string()
  .regex(/^(?:\*|[A-Za-z0-9-]{1,39}\/(?:\*|[A-Za-z0-9._-]{1,100}))$/, "expected owner/repo, owner/* or *");

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, "expected an environment variable name");

const endpoint = (what: string) =>
  z
    .object({
      url: z.url({ protocol: /^https?$/ }).describe(`${what} base URL.`),
      tokenEnv: envName
        .optional()
        .describe("Environment variable of the app's process holding the bearer token (none: no token)."),
      repositories: z
        .array(repositoryPattern)
        .min(1)
        .describe(
          `Repositories allowed to use this ${what} (owner/repo, owner/* or *); the first match wins.`,
        ),
    })
    .strict();

export const operatorSettingsSchema = z
  .object({
    mlflow: z.array(endpoint("MLflow tracking server")).default([]).describe("MLflow tracking servers."),
    prometheus: z
      .array(endpoint("Prometheus server"))
      .default([])
      .describe("Prometheus servers for canary analysis."),
    outbound: z
      .object({
        allowPrivateAddresses: z
          .boolean()
          .default(false)
          .describe(
            "Allow outbound requests to loopback, link-local (cloud metadata) and private addresses.",
          ),
      })
      .strict()
      .prefault({})
      .describe("Rules for every outbound request the app makes on a repository's behalf."),
    clusters: z
      .record(
        z.string(),
        z
          .object({
            namespaces: z
              .array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "expected a namespace name"))
              .min(1)
              .describe("The only namespaces deploys may touch on this cluster."),
          })
          .strict(),
      )
      .default({})
      .describe(
        "Per cluster name: the namespaces deploys may touch. A cluster not listed allows every namespace but the system ones (kube-system, kube-public, kube-node-lease).",
      ),
  })
  .strict();

export type OperatorSettings = z.infer<typeof operatorSettingsSchema>;
export type OutboundEndpoint = OperatorSettings["mlflow"][number];

/** The defaults as the schema makes them (operator-settings.ts keeps them as a constant). */
export const schemaDefaultOperatorSettings = (): OperatorSettings => operatorSettingsSchema.parse({});

/** Parses the settings file's text; a bad file is a start-up error naming each bad key. */
export const parseOperatorSettings = (text: string, label = "RELEASE_PILOT_SETTINGS"): OperatorSettings => {
  const value: unknown = parseYaml(text, { maxAliasCount: 100 });
  const result = operatorSettingsSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new Error(`${label}: ${problems.join("; ")}`);
};
