import { describe, expect, it } from "@jest/globals";
import { buildRollback } from "../../../src/domain/deploy/build-rollback.js";
import { deployment, replicaSet, template } from "./fixtures.js";

const history = [
  replicaSet(1, "web:1"),
  replicaSet(2, "web:2"),
  replicaSet(3, "web:3", { replicas: 3, available: 3 }),
];

describe("buildRollback (kubectl rollout undo)", () => {
  it("goes to the previous revision by default, without the hash label, as a JSON patch", () => {
    const plan = buildRollback(deployment("web:3"), history);
    expect(plan).toMatchObject({ kind: "patch", toRevision: 2, message: "rolled back" });
    if (plan.kind !== "patch") throw new Error("expected a patch");
    expect(plan.template).toEqual(template("web:2"));
    expect(plan.patch[0]).toEqual({ op: "replace", path: "/spec/template", value: template("web:2") });
  });

  it("keeps the deployment's own annotations and copies the others from the target ReplicaSet", () => {
    const d = deployment("web:3", {
      annotations: {
        "deployment.kubernetes.io/revision": "3",
        "kubernetes.io/change-cause": "now",
        team: "ml",
      },
    });
    const rs = replicaSet(1, "web:1", {
      annotations: { "kubernetes.io/change-cause": "then", "deployment.kubernetes.io/desired-replicas": "3" },
    });
    const plan = buildRollback(d, [rs, ...history.slice(1)], 1);
    expect(plan.kind === "patch" && plan.patch[1]).toEqual({
      op: "replace",
      path: "/metadata/annotations",
      value: { "deployment.kubernetes.io/revision": "3", "kubernetes.io/change-cause": "then" },
    });
  });

  it("refuses a revision that does not exist, and negative ones", () => {
    expect(buildRollback(deployment("web:3"), history, 9)).toEqual({
      kind: "refused",
      reason: "revision-not-found",
      message: "unable to find specified revision 9 in history",
    });
    expect(buildRollback(deployment("web:3"), history, -1)).toMatchObject({ reason: "revision-not-found" });
  });

  it("ignores ReplicaSets another deployment controls", () => {
    const foreign = replicaSet(2, "other:2", { owner: "someone-else" });
    expect(buildRollback(deployment("web:3"), [foreign, history[2]!])).toMatchObject({
      reason: "no-history",
    });
  });

  it("refuses a paused deployment and skips when the template already matches", () => {
    expect(buildRollback(deployment("web:3", {}, { paused: true }), history)).toMatchObject({
      kind: "refused",
      reason: "paused",
    });
    expect(buildRollback(deployment("web:3"), history, 3)).toEqual({
      kind: "refused",
      reason: "already-current",
      message: "skipped rollback (current template already matches revision 3)",
    });
  });
});
