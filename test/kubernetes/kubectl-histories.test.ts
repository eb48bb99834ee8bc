/**
 * Random release histories (set image, undo [--to-revision], scale, pause/resume) replayed by
 * kubectl on one fake cluster and by our adapter + domain logic on another: same final state.
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { buildImagePatch } from "../../src/domain/deploy/build-image-patch.js";
import { buildRollback } from "../../src/domain/deploy/build-rollback.js";
import { startFakeCluster, type FakeCluster } from "../../sandbox/kubernetes/index.js";
import { adapterFor, kubectlAvailable, kubectlFor, observable, type Kubectl } from "./kubectl.js";

const describeKubectl = kubectlAvailable ? describe : describe.skip;
const NS = "staging";

type Op =
  | { kind: "set-image"; image: string }
  | { kind: "undo"; toRevision: number }
  | { kind: "scale"; replicas: number }
  | { kind: "pause" | "resume" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom("api:1", "api:2", "api:3", "api:4")
      .map((image) => ({ kind: "set-image" as const, image })),
  },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: 5 }).map((toRevision) => ({ kind: "undo" as const, toRevision })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 4 }).map((replicas) => ({ kind: "scale" as const, replicas })),
  },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "pause" as const }, { kind: "resume" as const }) },
);

async function viaKubectl(kubectl: Kubectl, o: Op): Promise<boolean> {
  const args: Record<Op["kind"], string[]> = {
    "set-image": ["set", "image", "deployment/api", `api=${o.kind === "set-image" ? o.image : ""}`],
    undo: [
      "rollout",
      "undo",
      "deployment/api",
      ...(o.kind === "undo" && o.toRevision > 0 ? [`--to-revision=${o.toRevision}`] : []),
    ],
    scale: ["scale", "deployment/api", `--replicas=${o.kind === "scale" ? o.replicas : 0}`],
    pause: ["rollout", "pause", "deployment/api"],
    resume: ["rollout", "resume", "deployment/api"],
  };
  return (await kubectl.run(...args[o.kind])).code === 0;
}

async function viaAdapter(cluster: FakeCluster, o: Op): Promise<boolean> {
  const adapter = adapterFor(cluster);
  const d = await adapter.getDeployment(NS, "api");
  if (o.kind === "set-image") {
    const patch = buildImagePatch(d, "api", o.image);
    if (!patch.ok) throw new Error(patch.error.message);
    if (patch.value) await adapter.patchDeployment(NS, "api", patch.value, "strategic");
    return true;
  }
  if (o.kind === "undo") {
    const plan = buildRollback(d, await adapter.listReplicaSets(NS, "app=api"), o.toRevision);
    if (plan.kind === "patch") await adapter.patchDeployment(NS, "api", plan.patch, "json");
    return plan.kind === "patch" || plan.reason === "already-current";
  }
  if (o.kind === "scale") {
    await adapter.scale(NS, "api", o.replicas);
    return true;
  }
  // kubectl rollout pause/resume fail when already in that state.
  const wanted = o.kind === "pause";
  if (Boolean(d.spec?.paused) === wanted) return false;
  await adapter.patchDeployment(NS, "api", { spec: { paused: wanted } }, "strategic");
  return true;
}

describeKubectl("random histories: kubectl and our adapter end in the same state", () => {
  it("agrees on outcome and state after every step", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const theirs = await startFakeCluster({ tickMs: 0 });
        const ours = await startFakeCluster({ tickMs: 0 });
        const kubectl = kubectlFor(theirs, NS);
        try {
          for (const c of [theirs, ours])
            c.addDeployment({ namespace: NS, name: "api", image: "api:1", replicas: 2 });
          for (const o of ops) {
            const [a, b] = [await viaKubectl(kubectl, o), await viaAdapter(ours, o)];
            expect({ op: o, ok: b }).toEqual({ op: o, ok: a });
            theirs.settle();
            ours.settle();
            expect(observable(ours, NS, "api")).toEqual(observable(theirs, NS, "api"));
          }
        } finally {
          kubectl.cleanup();
          await theirs.close();
          await ours.close();
        }
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});
