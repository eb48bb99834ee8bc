import { describe, expect, it } from "@jest/globals";
import { evaluateRolloutStatus } from "../../../src/domain/deploy/evaluate-rollout-status.js";
import { type Deployment } from "../../../src/domain/deploy/workload.js";

const d = (
  generation: number,
  status: NonNullable<Deployment["status"]>,
  replicas = 3,
  revision = "2",
): Deployment => ({
  metadata: { name: "web", generation, annotations: { "deployment.kubernetes.io/revision": revision } },
  spec: { replicas },
  status,
});
const progressing = (reason: string) => [
  { type: "Progressing", status: reason === "ProgressDeadlineExceeded" ? "False" : "True", reason },
];

describe("evaluateRolloutStatus (kubectl's DeploymentStatusViewer)", () => {
  it.each([
    [
      "spec not yet observed",
      d(2, { observedGeneration: 1 }),
      "progressing",
      "Waiting for deployment spec update to be observed...",
    ],
    [
      "deadline exceeded wins over counts",
      d(2, {
        observedGeneration: 2,
        updatedReplicas: 1,
        conditions: progressing("ProgressDeadlineExceeded"),
      }),
      "failed",
      'deployment "web" exceeded its progress deadline',
    ],
    [
      "new replicas not all updated",
      d(2, {
        observedGeneration: 2,
        replicas: 4,
        updatedReplicas: 1,
        conditions: progressing("ReplicaSetUpdated"),
      }),
      "progressing",
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      "old replicas pending termination",
      d(2, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
      "progressing",
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      "updated but not available",
      d(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      "progressing",
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    ],
    [
      "done",
      d(2, {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
        conditions: progressing("NewReplicaSetAvailable"),
      }),
      "done",
      'deployment "web" successfully rolled out',
    ],
    [
      "scaled to zero is done",
      d(5, { observedGeneration: 5 }, 0),
      "done",
      'deployment "web" successfully rolled out',
    ],
  ])("%s", (_name, deployment, kind, message) => {
    expect(evaluateRolloutStatus(deployment)).toEqual({ kind, message });
  });

  it("checks the running revision when one is asked for", () => {
    const done = d(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(evaluateRolloutStatus(done, 2).kind).toBe("done");
    expect(evaluateRolloutStatus(done, 3)).toEqual({
      kind: "failed",
      message: "desired revision (3) is different from the running revision (2)",
    });
    expect(evaluateRolloutStatus(d(1, {}, 3, "x"), 1)).toEqual({
      kind: "failed",
      message: 'cannot get the revision of deployment "web"',
    });
  });
});
