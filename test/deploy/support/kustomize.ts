import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

/** A rendered Kubernetes object, as plain data straight from the YAML. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export const kubectlAvailable = (): boolean =>
  spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

/**
 * Renders a kustomization with the real kubectl, cut off from any cluster and from the user's
 * own kubectl config (KUBECONFIG=/dev/null, a throwaway HOME).
 */
export const renderKustomization = (dir: string): K8sObject[] => {
  const home = mkdtempSync(join(tmpdir(), "kustomize-home-"));
  try {
    const run = spawnSync("kubectl", ["kustomize", dir], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: home, KUBECONFIG: "/dev/null" },
    });
    if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr}`);
    return parseObjects(run.stdout);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
};

const parseObjects = (text: string): K8sObject[] =>
  parseAllDocuments(text).map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`document ${index}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (!isK8sObject(value)) throw new Error(`document ${index} is not a Kubernetes object`);
    return value;
  });

const isK8sObject = (value: unknown): value is K8sObject => {
  if (typeof value !== "object" || value === null) return false;
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  return (
    typeof apiVersion === "string" &&
    typeof kind === "string" &&
    typeof metadata === "object" &&
    metadata !== null &&
    typeof (metadata as Record<string, unknown>).name === "string"
  );
};
