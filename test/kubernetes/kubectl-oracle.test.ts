/**
 * kubectl is the oracle: the same starting state goes to two fake clusters; kubectl acts on one,
 * our adapter + domain logic on the other; the resulting cluster states must be identical.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { buildImagePatch } from "../../src/domain/deploy/build-image-patch.js";
import { buildRollback } from "../../src/domain/deploy/build-rollback.js";
import { evaluateRolloutStatus } from "../../src/domain/deploy/evaluate-rollout-status.js";
import type { Deployment } from "../../src/domain/deploy/workload.js";
import { startFakeCluster, type DeploymentSeed, type FakeCluster } from "../../sandbox/kubernetes/index.js";
import { adapterFor, kubectlAvailable, kubectlFor, observable, type Kubectl } from "./kubectl.js";

if (!kubectlAvailable) console.warn("kubectl is not on PATH: skipping the kubectl oracle tests");
const describeKubectl = kubectlAvailable ? describe : describe.skip;

const NS = "prod";
const seed: DeploymentSeed = { namespace: NS, name: "web", image: "web:1", replicas: 3 };

let theirs: FakeCluster;
let ours: FakeCluster;
let kubectl: Kubectl;

beforeEach(async () => {
  theirs = await startFakeCluster({ tickMs: 0 });
  ours = await startFakeCluster({ tickMs: 0 });
  kubectl = kubectlFor(theirs, NS);
});
afterEach(async () => {
  kubectl.cleanup();
  await theirs.close();
  await ours.close();
});

const both = (f: (c: FakeCluster) => void): void => [theirs, ours].forEach(f);
const settle = (): void => both((c) => c.settle());
const same = (): void => expect(observable(ours, NS, "web")).toEqual(observable(theirs, NS, "web"));

async function oursSetImage(image: string): Promise<void> {
  const adapter = adapterFor(ours);
  const patch = buildImagePatch(await adapter.getDeployment(NS, "web"), "web", image);
  if (!patch.ok) throw new Error(patch.error.message);
  if (patch.value) await adapter.patchDeployment(NS, "web", patch.value, "strategic");
}

/** Our rollback; returns the message kubectl would print (or its error). */
async function oursUndo(toRevision = 0): Promise<string> {
  const adapter = adapterFor(ours);
  const d = await adapter.getDeployment(NS, "web");
  const selector = Object.entries(d.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const plan = buildRollback(d, await adapter.listReplicaSets(NS, selector), toRevision);
  if (plan.kind === "refused") return plan.message;
  await adapter.patchDeployment(NS, "web", plan.patch, "json");
  return plan.message;
}

const kubectlUndoMessage = (r: { code: number; stdout: string; stderr: string }): string =>
  r.code === 0
    ? r.stdout.trim().replace(/^deployment\.apps\/web /, "")
    : r.stderr.trim().replace(/^error: /, "");

describeKubectl("kubectl as the oracle for the fake cluster and our adapter", () => {
  it("set image: same strategic patch effect", async () => {
    both((c) => c.addDeployment(seed));
    const r = await kubectl.run("set", "image", "deployment/web", "web=web:2");
    expect(r).toMatchObject({ code: 0, stdout: "deployment.apps/web image updated\n" });
    const sent = theirs.requests.find((q) => q.method === "PATCH");
    expect(sent?.contentType).toBe("application/strategic-merge-patch+json");
    await oursSetImage("web:2");
    expect(ours.requests.find((q) => q.method === "PATCH")?.body).toEqual(sent?.body);
    same();
    settle();
    same();
    expect(theirs.listReplicaSets(NS)).toHaveLength(2);
  });

  it("rollout undo, undo --to-revision and history agree with buildRollback", async () => {
    both((c) => c.addDeployment(seed));
    for (const image of ["web:2", "web:3"]) {
      await kubectl.run("set", "image", "deployment/web", `web=${image}`);
      await oursSetImage(image);
      settle();
    }
    const undo = await kubectl.run("rollout", "undo", "deployment/web");
    expect(kubectlUndoMessage(undo)).toBe(await oursUndo());
    settle();
    same();
    const to1 = await kubectl.run("rollout", "undo", "deployment/web", "--to-revision=1");
    expect(kubectlUndoMessage(to1)).toBe(await oursUndo(1));
    settle();
    same();
    expect(theirs.getDeployment(NS, "web")?.spec.template.spec.containers[0]?.image).toBe("web:1");

    const history = await kubectl.run("rollout", "history", "deployment/web");
    const revisions = [...history.stdout.matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
    const ourRevisions = ours
      .listReplicaSets(NS)
      .map((rs) => Number(rs.metadata.annotations?.["deployment.kubernetes.io/revision"]))
      .sort((a, b) => a - b);
    expect(revisions).toEqual(ourRevisions);
    expect(revisions).toEqual([3, 4, 5]);
  });

  it("refuses like kubectl: missing revision, same template, paused", async () => {
    both((c) => c.addDeployment(seed));
    const missing = await kubectl.run("rollout", "undo", "deployment/web", "--to-revision=7");
    expect(missing.code).not.toBe(0);
    expect(kubectlUndoMessage(missing)).toBe(await oursUndo(7));
    expect(kubectlUndoMessage(missing)).toBe("unable to find specified revision 7 in history");

    const noHistory = await kubectl.run("rollout", "undo", "deployment/web");
    expect(kubectlUndoMessage(noHistory)).toBe(await oursUndo());

    await kubectl.run("set", "image", "deployment/web", "web=web:2");
    await oursSetImage("web:2");
    settle();
    const skipped = await kubectl.run("rollout", "undo", "deployment/web", "--to-revision=2");
    expect(skipped.code).toBe(0);
    expect(kubectlUndoMessage(skipped)).toBe(await oursUndo(2));

    await kubectl.run("rollout", "pause", "deployment/web");
    await adapterFor(ours).patchDeployment(NS, "web", { spec: { paused: true } }, "merge");
    same();
    const paused = await kubectl.run("rollout", "undo", "deployment/web");
    expect(paused.code).not.toBe(0);
    expect(kubectlUndoMessage(paused)).toBe(await oursUndo());
    same();
  });

  it("scale: the scale subresource, same result", async () => {
    both((c) => c.addDeployment(seed));
    const r = await kubectl.run("scale", "deployment/web", "--replicas=5");
    expect(r).toMatchObject({ code: 0, stdout: "deployment.apps/web scaled\n" });
    await adapterFor(ours).scale(NS, "web", 5);
    expect(theirs.requests.find((q) => q.method === "PATCH")?.path).toBe(
      `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`,
    );
    settle();
    same();
    expect(theirs.getDeployment(NS, "web")?.status.availableReplicas).toBe(5);
  });
});

describeKubectl("kubectl rollout status against the live controller", () => {
  it("waits for the rollout; its last line is our evaluateRolloutStatus and watchRollout result", async () => {
    theirs.addDeployment(seed);
    theirs.startTicking();
    await kubectl.run("set", "image", "deployment/web", "web=web:2");
    const r = await kubectl.run("rollout", "status", "deployment/web", "--timeout=30s");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out');
    const final = evaluateRolloutStatus(theirs.getDeployment(NS, "web") as Deployment);
    expect(final).toEqual({ kind: "done", message: lines.at(-1) });
    await expect(adapterFor(theirs).watchRollout(NS, "web", { timeoutMs: 10_000 })).resolves.toEqual(final);
    // Every intermediate line kubectl printed is one our evaluator can produce.
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^Waiting for deployment/);
  });

  it("reports a progress deadline failure the same way", async () => {
    await theirs.close();
    theirs = await startFakeCluster({ tickMs: 20, secondsPerTick: 30 });
    kubectl.cleanup();
    kubectl = kubectlFor(theirs, NS);
    theirs.addDeployment({ ...seed, progressDeadlineSeconds: 90 });
    theirs.failImages("web:bad");
    const adapter = adapterFor(theirs);
    await kubectl.run("set", "image", "deployment/web", "web=web:bad");
    const [r, ourStatus] = await Promise.all([
      kubectl.run("rollout", "status", "deployment/web", "--timeout=30s"),
      adapter.watchRollout(NS, "web", { timeoutMs: 10_000 }),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(`error: ${ourStatus.message}`);
    expect(ourStatus).toEqual({ kind: "failed", message: 'deployment "web" exceeded its progress deadline' });
  });
});
