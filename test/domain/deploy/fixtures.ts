import type { Deployment, PodTemplate, ReplicaSet } from "../../../src/domain/deploy/workload.js";

export const template = (image: string, hash?: string): PodTemplate => ({
  metadata: { labels: { app: "web", ...(hash ? { "pod-template-hash": hash } : {}) } },
  spec: { containers: [{ name: "web", image }] },
});

export const deployment = (
  image: string,
  over: Partial<Deployment["metadata"]> = {},
  spec: Partial<NonNullable<Deployment["spec"]>> = {},
): Deployment => ({
  metadata: {
    name: "web",
    namespace: "prod",
    uid: "d-uid",
    annotations: { "deployment.kubernetes.io/revision": "3" },
    ...over,
  },
  spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template(image), ...spec },
});

export const replicaSet = (
  revision: number,
  image: string,
  opts: { replicas?: number; available?: number; owner?: string; annotations?: Record<string, string> } = {},
): ReplicaSet => ({
  metadata: {
    name: `web-${image.replace(/\W/g, "")}`,
    annotations: { "deployment.kubernetes.io/revision": String(revision), ...opts.annotations },
    ownerReferences: [{ uid: opts.owner ?? "d-uid", kind: "Deployment", name: "web", controller: true }],
  },
  spec: { replicas: opts.replicas ?? 0, template: template(image, `h${revision}`) },
  status: { replicas: opts.replicas ?? 0, availableReplicas: opts.available ?? 0 },
});
