/**
 * The payload of the GitHub Deployments this app creates: enough to resume watching a rollout
 * after a restart and to know, later, which images were deployed and verified.
 */
import { z } from "zod";

const servicePayload = z.object({
  name: z.string(),
  deployment: z.string(),
  container: z.string(),
  image: z.string(),
  /** Revision running before the change (the rollback fallback when nothing was verified). */
  previousRevision: z.number().int().optional(),
  previousImage: z.string().optional(),
  /** Whether the previous revision was fully rolled out when we replaced it. */
  previousHealthy: z.boolean().optional(),
});

export const deployPayloadSchema = z.object({
  app: z.literal("release-pilot"),
  /** `canary`: a canary under analysis (its record lives in the environment `<env>-canary`). */
  action: z.enum(["deploy", "rollback", "auto-rollback", "canary"]),
  version: z.string(),
  cluster: z.string(),
  namespace: z.string(),
  services: z.array(servicePayload),
  issue: z.number().int(),
  actor: z.string(),
  /** Set on a deploy nobody asked for: what triggered it (the run that published its images). */
  auto: z.object({ trigger: z.enum(["release", "develop"]), reason: z.string(), run: z.string() }).optional(),
  /** Set on a canary under analysis: the config's environment, and the progress comment. */
  analysis: z.object({ environment: z.string(), comment: z.number().int().optional() }).optional(),
  /**
   * The environment lock this run took, when the lock is a bare ref (see ref-locks.ts): who holds
   * it, why, since when, and the commit the ref points at, which ties the ref to this record.
   */
  lock: z.object({ holder: z.string(), reason: z.string(), since: z.string(), at: z.string() }).optional(),
  /**
   * The watch claim of the instance that created the record and drives it (watch-claims.ts): held
   * until `expires` without a claim ref, unless taken over by one.
   */
  watch: z.object({ holder: z.string(), expires: z.string() }).optional(),
  /** Set when a workflow deploys the environment (then no cluster, namespace or services). */
  driver: z.object({ kind: z.literal("workflow"), workflow: z.string(), ref: z.string() }).optional(),
});

export type DeployPayload = z.infer<typeof deployPayloadSchema>;
export type ServicePayload = z.infer<typeof servicePayload>;

/** Our payload, or undefined for deployments made by something else. */
export const parseDeployPayload = (raw: unknown): DeployPayload | undefined => {
  const parsed = deployPayloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};
