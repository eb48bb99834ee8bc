/** The deploy feature's composition pieces: the environments config, the cluster provider, the job tracker. */
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JobTracker } from "../../../src/adapters/jobs/job-tracker.js";
import { KubeClusterProvider } from "../../../src/adapters/kubernetes/kube-cluster-provider.js";
import { clusterSourcesFromEnv } from "../../../src/composition/settings.js";
import { parseConfigText } from "../../../src/config/parse-config.js";
import { configSchema } from "../../../src/config/schema.js";
import { environmentPermission } from "../../../src/domain/commands/environment-permission.js";
import { startFakeCluster } from "../../../sandbox/kubernetes/index.js";

const env = (extra: Record<string, unknown> = {}) => ({
  cluster: "staging",
  services: [{ name: "BankChurn-Predictor", deployment: "bankchurn", container: "bankchurn" }],
  ...extra,
});

describe("environments config", () => {
  it("fills the defaults of an environment", () => {
    const config = configSchema.parse({ environments: { staging: env() } });
    expect(config.environments.staging).toEqual({
      ...env(),
      namespace: "default",
      gates: { releasedOnly: false, readiness: false, approvals: 0 },
      healthChecks: [],
      autoRollback: true,
      canary: { suffix: "-canary", weight: 10 },
      autoDeploy: { releases: false },
      timeoutSeconds: 600,
    });
    expect(configSchema.parse({}).environments).toEqual({});
  });

  it("rejects credentials and server URLs: only a cluster name is accepted", () => {
    expect(
      configSchema.safeParse({ environments: { staging: env({ server: "https://evil" }) } }).success,
    ).toBe(false);
    expect(
      configSchema.safeParse({ environments: { staging: env({ cluster: "https://evil:6443" }) } }).success,
    ).toBe(false);
    expect(configSchema.safeParse({ environments: { Staging: env() } }).success).toBe(false);
    expect(configSchema.safeParse({ environments: { staging: env({ services: [] }) } }).success).toBe(false);
    expect(
      configSchema.safeParse({ environments: { staging: env({ canary: { weight: 100 } }) } }).success,
    ).toBe(false);
  });

  it("feeds the per-environment permission the comment handler reads", () => {
    const config = configSchema.parse({
      environments: { staging: env({ permission: "admin" }), production: env() },
    });
    expect(environmentPermission(config.environments, "staging")).toBe("admin");
    expect(environmentPermission(config.environments, "production")).toBe("maintain");
  });

  it("parses the sample monorepo's environments", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync("sandbox/sample/monorepo/.github/release-pilot.yml", "utf8");
    const parsed = parseConfigText(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(Object.keys(parsed.config.environments)).toEqual(["staging", "production"]);
      expect(parsed.config.environments.production?.gates.releasedOnly).toBe(true);
    }
  });
});

describe("cluster provider from the app's environment", () => {
  it("maps KUBECONFIG_<NAME> (YAML or path) and in-cluster to cluster names", () => {
    expect(
      clusterSourcesFromEnv({
        KUBECONFIG_STAGING: "/etc/kube/staging",
        KUBECONFIG_EU_PROD: "apiVersion: v1\nkind: Config\n",
        KUBECONFIG: "/ignored",
        RELEASE_PILOT_IN_CLUSTER: "1",
      }),
    ).toEqual({
      staging: { kind: "kubeconfig-file", path: "/etc/kube/staging" },
      "eu-prod": { kind: "kubeconfig", yaml: "apiVersion: v1\nkind: Config\n" },
      "in-cluster": { kind: "in-cluster" },
    });
  });

  it("builds a working client from a kubeconfig file, once, and knows nothing else", async () => {
    const fake = await startFakeCluster({ tickMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), "kube-"));
    try {
      fake.addDeployment({ namespace: "ml", name: "web", image: "web:1", replicas: 1 });
      const path = join(dir, "config");
      writeFileSync(
        path,
        [
          "apiVersion: v1",
          "kind: Config",
          "clusters: [{name: c, cluster: {server: '" + fake.url + "', insecure-skip-tls-verify: true}}]",
          "users: [{name: u, user: {}}]",
          "contexts: [{name: x, context: {cluster: c, user: u}}]",
          "current-context: x",
        ].join("\n"),
      );
      const provider = new KubeClusterProvider(clusterSourcesFromEnv({ KUBECONFIG_STAGING: path }));
      expect(provider.names()).toEqual(["staging"]);
      const cluster = provider.get("staging");
      expect(cluster).toBe(provider.get("staging"));
      expect((await cluster?.getDeployment("ml", "web"))?.metadata.name).toBe("web");
      expect(provider.get("production")).toBeUndefined();
      expect(provider.get("constructor")).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fake.close();
    }
  });
});

describe("JobTracker", () => {
  it("keeps jobs until they end, logs failures, and waits for jobs started by jobs", async () => {
    const errors: unknown[] = [];
    const jobs = new JobTracker({ error: (fields) => errors.push(fields) });
    const done: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    jobs.run("outer", async () => {
      await gate;
      jobs.run("inner", async () => void done.push("inner"));
      done.push("outer");
    });
    jobs.run("broken", async () => {
      throw new Error("boom");
    });
    expect(jobs.size).toBe(2);
    release();
    await jobs.idle();
    expect(done).toEqual(["outer", "inner"]);
    expect(errors).toEqual([{ err: new Error("boom"), job: "broken" }]);
    expect(jobs.size).toBe(0);
  });
});
