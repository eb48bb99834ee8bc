import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { clusterSourcesFromEnv } from "../../src/composition/settings.js";
import { kubectlAvailable, renderKustomization, type K8sObject } from "./support/kustomize.js";
import { validateAgainstSchema } from "./support/schema-validation.js";
import { findUnknownFields, modelTypeOf } from "./support/unknown-fields.js";

const root = join(process.cwd(), "deploy", "kubernetes");
const image = "ghcr.io/release-pilot/release-pilot";
const secretKeys = ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"];
/** src/main.ts force-exits this long after SIGTERM if in-flight webhooks have not drained. */
const appDrainSeconds = 25;

/** Every file under src/, read once: an environment variable the manifests set must be read there. */
const sourceText = (dir: string): string =>
  readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => (statSync(path).isDirectory() ? sourceText(path) : readFileSync(path, "utf8")))
    .join("\n");
/** Read by a library the app runs, not by src/: NODE_ENV by Probot (lib/helpers/is-production.js). */
const readByLibraries = ["NODE_ENV"];

/** Exactly what the deploy capability calls; one more verb here is one more risk. */
const deployerRules = [
  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "patch", "watch"] },
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list"] },
  { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["get", "patch"] },
];

const overlays = [
  { name: "staging", appNamespace: "release-pilot-staging", target: "ml-staging", replicas: 2 },
  { name: "production", appNamespace: "release-pilot", target: "ml-production", replicas: 3 },
];

// Loose views of the rendered data: the schema tests above them prove the shapes.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const haveKubectl = kubectlAvailable();
// In CI a missing kubectl is a failure, not a skip (.ci/run would report the tests as passed).
if (!haveKubectl && process.env.CI)
  throw new Error("kubectl not found on PATH: CI needs it to render the manifests");
if (!haveKubectl) console.warn("kubectl not found on PATH: skipping the Kubernetes manifest tests");
const describeWithKubectl = haveKubectl ? describe : describe.skip;

const only = (objects: K8sObject[], kind: string, name?: string): Any => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

const normalizeRules = (rules: Any[]): Any[] =>
  rules
    .map((r) => ({
      apiGroups: [...r.apiGroups].sort(),
      resources: [...r.resources].sort(),
      verbs: [...r.verbs].sort(),
    }))
    .sort((a, b) => a.resources.join().localeCompare(b.resources.join()));

describeWithKubectl("kustomize output", () => {
  const rendered = new Map<string, K8sObject[]>();
  const render = (dir: string): K8sObject[] => rendered.get(dir) ?? [];

  beforeAll(() => {
    for (const dir of ["base", "overlays/staging", "overlays/production"]) {
      rendered.set(dir, renderKustomization(join(root, dir)));
    }
  });
  afterAll(() => rendered.clear());

  describe.each(["base", "overlays/staging", "overlays/production"])("%s", (dir) => {
    it("renders only objects that pass their Kubernetes schema", () => {
      const objects = render(dir);
      expect(objects.length).toBeGreaterThanOrEqual(5);
      for (const obj of objects) expect(() => validateAgainstSchema(obj)).not.toThrow();
    });

    it("uses no field the Kubernetes API does not know", () => {
      for (const obj of render(dir)) {
        expect(findUnknownFields(obj, modelTypeOf(obj.apiVersion, obj.kind))).toEqual([]);
      }
    });

    it("asks for no cluster-wide permission", () => {
      const kinds = render(dir).map((o) => o.kind);
      expect(kinds).not.toContain("ClusterRole");
      expect(kinds).not.toContain("ClusterRoleBinding");
    });

    it("runs at least two non-root replicas with bounded resources", () => {
      const deployment = only(render(dir), "Deployment", "release-pilot");
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(pod.containers).toHaveLength(1);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      for (const kind of ["requests", "limits"]) {
        expect(Object.keys(container.resources[kind]).sort()).toEqual(["cpu", "memory"]);
      }
    });

    it("probes GET /healthz on port 3000 for readiness and liveness", () => {
      const container = only(render(dir), "Deployment").spec.template.spec.containers[0];
      const named = new Map<string, number>(container.ports.map((p: Any) => [p.name, p.containerPort]));
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect(probe.httpGet.path).toBe("/healthz");
        const port =
          typeof probe.httpGet.port === "string" ? named.get(probe.httpGet.port) : probe.httpGet.port;
        expect(port).toBe(3000);
      }
    });

    it("leaves time for a graceful stop after the preStop pause", () => {
      const pod = only(render(dir), "Deployment").spec.template.spec;
      const pause = Number(pod.containers[0].lifecycle.preStop.exec.command.at(-1));
      expect(pause).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + appDrainSeconds);
      expect(pod.terminationGracePeriodSeconds).toBeLessThanOrEqual(120);
    });

    it("takes the GitHub App secrets from one Secret and listens on all interfaces", () => {
      const container = only(render(dir), "Deployment").spec.template.spec.containers[0];
      const env = new Map<string, Any>(container.env.map((e: Any) => [e.name, e]));
      const secrets = secretKeys.map((key) => env.get(key)?.valueFrom?.secretKeyRef);
      expect(secrets.map((ref) => ref?.key)).toEqual(secretKeys);
      expect(new Set(secrets.map((ref) => ref?.name))).toEqual(new Set(["release-pilot-github"]));
      expect(env.get("HOST")?.value).toBe("0.0.0.0");
      expect(env.get("NODE_ENV")?.value).toBe("production");
    });

    it("sets only environment variables the app reads", () => {
      const src = sourceText(join(process.cwd(), "src"));
      const names: string[] = only(render(dir), "Deployment").spec.template.spec.containers[0].env.map(
        (e: Any) => e.name,
      );
      const unread = names.filter(
        (name) => !readByLibraries.includes(name) && !new RegExp(`\\b${name}\\b`).test(src),
      );
      expect(unread).toEqual([]);
    });

    it("turns in-cluster deploys on, with the ServiceAccount token mounted for them", () => {
      const objects = render(dir);
      const pod = only(objects, "Deployment").spec.template.spec;
      const env = Object.fromEntries(
        pod.containers[0].env.filter((e: Any) => "value" in e).map((e: Any) => [e.name, e.value]),
      );
      // The cluster name a repository's config uses for this pod's own cluster.
      expect(clusterSourcesFromEnv(env)).toEqual({ "in-cluster": { kind: "in-cluster" } });
      const account = only(objects, "ServiceAccount", pod.serviceAccountName);
      expect(pod.automountServiceAccountToken ?? account.automountServiceAccountToken).toBe(true);
    });

    it("pins the image built from the Dockerfile", () => {
      const ref: string = only(render(dir), "Deployment").spec.template.spec.containers[0].image;
      const [name, tag] = ref.split(/:(?=[^/]+$)/);
      expect(name).toBe(image);
      expect(tag).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("runs as its own ServiceAccount in its own namespace", () => {
      const objects = render(dir);
      const deployment = only(objects, "Deployment");
      const account = only(objects, "ServiceAccount", deployment.spec.template.spec.serviceAccountName);
      expect(account.metadata.namespace).toBe(deployment.metadata.namespace);
    });

    it("routes the webhook path through the Service to the pods", () => {
      const objects = render(dir);
      const deployment = only(objects, "Deployment");
      const labels = deployment.spec.template.metadata.labels;
      const service = only(objects, "Service", "release-pilot");
      expect(matches(service.spec.selector, labels)).toBe(true);
      expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
      const portNames = deployment.spec.template.spec.containers[0].ports.map((p: Any) => p.name);
      expect(portNames).toContain(service.spec.ports[0].targetPort);

      const paths = only(objects, "Ingress").spec.rules.flatMap((r: Any) => r.http.paths);
      expect(paths).toEqual([
        expect.objectContaining({
          path: "/api/github/webhooks",
          backend: { service: { name: service.metadata.name, port: { name: service.spec.ports[0].name } } },
        }),
      ]);
    });

    it("keeps one pod through voluntary disruptions", () => {
      const objects = render(dir);
      const pdb = only(objects, "PodDisruptionBudget");
      expect(pdb.spec.minAvailable).toBe(1);
      expect(pdb.metadata.namespace).toBe(only(objects, "Deployment").metadata.namespace);
      expect(
        matches(pdb.spec.selector.matchLabels, only(objects, "Deployment").spec.template.metadata.labels),
      ).toBe(true);
    });
  });

  describe.each(overlays)("overlays/$name", ({ name, appNamespace, target, replicas }) => {
    const objects = (): K8sObject[] => render(`overlays/${name}`);

    it("puts the app in its namespace with the overlay's replica count", () => {
      const deployment = only(objects(), "Deployment");
      expect(deployment.metadata.namespace).toBe(appNamespace);
      expect(deployment.spec.replicas).toBe(replicas);
      expect(only(objects(), "Namespace").metadata.name).toBe(appNamespace);
      for (const kind of ["Service", "Ingress", "PodDisruptionBudget"]) {
        expect(only(objects(), kind).metadata.namespace).toBe(appNamespace);
      }
    });

    it(`grants exactly the deploy verbs in ${target} and nowhere else`, () => {
      const roles = objects().filter((o) => o.kind === "Role");
      expect(roles.map((r) => r.metadata.namespace)).toEqual([target]);
      expect(normalizeRules((roles[0] as Any).rules)).toEqual(normalizeRules(deployerRules));
    });

    it("binds that Role to the app's ServiceAccount and the target's deployer account", () => {
      const binding = only(objects(), "RoleBinding");
      const role = only(objects(), "Role");
      const appAccount = only(objects(), "Deployment").spec.template.spec.serviceAccountName;
      expect(binding.metadata.namespace).toBe(target);
      expect(binding.roleRef).toEqual({
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: role.metadata.name,
      });
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: appAccount, namespace: appNamespace },
        { kind: "ServiceAccount", name: "release-pilot-deployer", namespace: target },
      ]);
      const deployer = only(objects(), "ServiceAccount", "release-pilot-deployer");
      expect(deployer.metadata.namespace).toBe(target);
      expect(deployer.automountServiceAccountToken).toBe(false);
    });

    it("does not create or own the target namespace", () => {
      const namespaces = objects()
        .filter((o) => o.kind === "Namespace")
        .map((o) => o.metadata.name);
      expect(namespaces).not.toContain(target);
    });
  });

  describe("the checks themselves", () => {
    it("reject an object that breaks its schema", () => {
      const deployment = structuredClone(only(render("base"), "Deployment"));
      deployment.spec.template.spec.containers[0].ports[0].containerPort = "three thousand";
      expect(() => validateAgainstSchema(deployment)).toThrow(/containerPort/);
    });

    it("reject a kind with no registered schema", () => {
      const role = { ...only(render("overlays/staging"), "Role"), kind: "ClusterRole" };
      expect(() => validateAgainstSchema(role)).toThrow(/no schema registered/);
    });

    it("report a misspelt field with its path", () => {
      const deployment = structuredClone(only(render("base"), "Deployment"));
      const container = deployment.spec.template.spec.containers[0];
      container.redinessProbe = container.readinessProbe;
      expect(findUnknownFields(deployment, "V1Deployment")).toEqual([
        "spec.template.spec.containers[0].redinessProbe",
      ]);
    });
  });
});
