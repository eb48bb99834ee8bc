/**
 * Runs the real kubectl against a fake cluster, isolated from the developer's setup:
 * KUBECONFIG=/dev/null, a temporary HOME and cache dir, `--server <url>`. Asynchronous, since the
 * fake server answers from this same process.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubernetesCluster } from "../../src/adapters/kubernetes/kubernetes-cluster.js";
import { loadKubeConfig } from "../../src/adapters/kubernetes/load-kube-config.js";
import type { FakeCluster, Workload } from "../../sandbox/kubernetes/index.js";

export const kubectlAvailable =
  spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  run(...args: string[]): Promise<KubectlResult>;
  cleanup(): void;
}

export function kubectlFor(cluster: FakeCluster, namespace: string): Kubectl {
  const home = mkdtempSync(join(tmpdir(), "kubectl-home-"));
  return {
    run: (...args) =>
      new Promise((resolve) => {
        execFile(
          "kubectl",
          ["--server", cluster.url, "--cache-dir", join(home, "cache"), "-n", namespace, ...args],
          { env: { PATH: process.env.PATH ?? "", KUBECONFIG: "/dev/null", HOME: home }, timeout: 60_000 },
          (error, stdout, stderr) =>
            resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
        );
      }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

export const adapterFor = (cluster: FakeCluster): KubernetesCluster =>
  new KubernetesCluster(loadKubeConfig({ kind: "server", server: cluster.url }), {
    retry: { retries: 2, backoffMs: 5 },
  });

/** What must match between two clusters: no uids, resourceVersions or timestamps. */
export function observable(cluster: FakeCluster, namespace: string, name: string): unknown {
  const d = cluster.getDeployment(namespace, name);
  if (!d) return undefined;
  const rs = (w: Workload) => ({
    name: w.metadata.name,
    annotations: w.metadata.annotations,
    replicas: w.spec.replicas,
    template: w.spec.template,
  });
  return {
    generation: d.metadata.generation,
    annotations: d.metadata.annotations,
    spec: d.spec,
    status: { ...d.status, conditions: d.status.conditions?.map((c) => [c.type, c.status, c.reason]) },
    replicaSets: cluster.listReplicaSets(namespace).map(rs),
  };
}
