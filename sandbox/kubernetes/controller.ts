/**
 * A simulated deployment + replicaset controller, one step per tick. It keeps the parts kubectl
 * and our adapter observe: ReplicaSet per template (`<deploy>-<hash>`, reused on rollback with
 * its revision bumped), revision annotations, rolling replica moves with maxSurge/maxUnavailable,
 * Available/Progressing conditions and the progress deadline measured in simulated seconds.
 */
import {
  DESIRED_REPLICAS,
  HASH_LABEL,
  MAX_REPLICAS,
  REVISION,
  REVISION_HISTORY,
  canonical,
  equalIgnoreHash,
  revisionOf,
  templateHash,
  type Condition,
  type StringMap,
  type Workload,
} from "./objects.js";
import type { Store } from "./store.js";

export interface ControllerOptions {
  /** Simulated seconds per tick, which the progress deadline is counted in. */
  secondsPerTick: number;
  /** Whether a pod running this image can never become available. */
  isFailing(image: string): boolean;
}

const SKIP_COPY = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);

const resolve = (v: number | string | undefined, total: number, roundUp: boolean): number => {
  if (typeof v === "number") return v;
  const pct = Number(String(v ?? "25%").replace("%", "")) / 100;
  return roundUp ? Math.ceil(pct * total) : Math.floor(pct * total);
};

const sum = (xs: Workload[], f: (w: Workload) => number | undefined): number =>
  xs.reduce((n, w) => n + (f(w) ?? 0), 0);

export class DeploymentController {
  private simSeconds = 0;
  private readonly store: Store;
  private readonly options: ControllerOptions;
  readonly epoch: number;

  constructor(store: Store, options: ControllerOptions, epoch: number) {
    this.store = store;
    this.options = options;
    this.epoch = epoch;
  }

  /** The simulated clock, which timestamps and deadlines use. */
  now(): Date {
    return new Date(this.epoch + this.simSeconds * 1000);
  }

  tick(): void {
    this.simSeconds += this.options.secondsPerTick;
    for (const rs of this.store.list("ReplicaSet", undefined)) this.syncPods(rs);
    for (const d of this.store.list("Deployment", undefined)) this.reconcile(d);
  }

  /** Pods created on an earlier tick become available now, unless their image cannot start. */
  private syncPods(rs: Workload): void {
    const before = canonical(rs);
    const created = rs.status.replicas ?? 0;
    const failing = rs.spec.template.spec.containers.some((c) => this.options.isFailing(c.image ?? ""));
    const available = failing ? 0 : Math.min(rs.spec.replicas, created);
    rs.status = {
      ...rs.status,
      replicas: rs.spec.replicas,
      fullyLabeledReplicas: rs.spec.replicas,
      readyReplicas: available,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    };
    if (canonical(rs) !== before) this.store.update(rs);
  }

  private owned(d: Workload): Workload[] {
    return this.store
      .list("ReplicaSet", d.metadata.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid))
      .sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  private reconcile(d: Workload): void {
    const before = canonical(d);
    const all = this.owned(d);
    const maxRev = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let newRS = all.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
    let created = false;
    if (!d.spec.paused) {
      if (!newRS) {
        newRS = this.createReplicaSet(d, maxRev + 1, all.length === 0 ? d.spec.replicas : 0);
        created = true;
      } else if (revisionOf(newRS) < maxRev) {
        newRS = this.bumpRevision(newRS, d, maxRev + 1);
      }
      d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: String(revisionOf(newRS)) };
      this.rollingStep(
        d,
        newRS,
        all.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid),
      );
    } else if (newRS) {
      // A paused deployment still scales, but does not roll.
      if (newRS.spec.replicas !== d.spec.replicas && all.length === 1) this.scaleRS(newRS, d.spec.replicas);
    }
    const fresh = this.owned(d);
    const current = newRS && fresh.find((rs) => rs.metadata.uid === newRS?.metadata.uid);
    this.cleanup(d, fresh, current);
    this.setStatus(d, current, fresh, created);
    if (canonical(d) !== before) this.store.update(d);
  }

  private createReplicaSet(d: Workload, revision: number, replicas: number): Workload {
    let collisions = 0;
    let hash = templateHash(d.spec.template, collisions);
    while (this.store.get("ReplicaSet", d.metadata.namespace, `${d.metadata.name}-${hash}`))
      hash = templateHash(d.spec.template, ++collisions);
    const template = structuredClone(d.spec.template);
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [HASH_LABEL]: hash },
    };
    return this.store.create({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        uid: "",
        resourceVersion: "",
        generation: 1,
        creationTimestamp: "",
        labels: { ...template.metadata.labels },
        annotations: { ...this.copyAnnotations(d), [REVISION]: String(revision) },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: d.metadata.name,
            uid: d.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: { matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash } },
        template,
      },
      status: { replicas: 0 },
    });
  }

  private copyAnnotations(d: Workload): StringMap {
    const out: StringMap = {};
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP_COPY.has(k)) out[k] = v;
    out[DESIRED_REPLICAS] = String(d.spec.replicas);
    out[MAX_REPLICAS] = String(
      d.spec.replicas + resolve(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas, true),
    );
    return out;
  }

  /** Rolling back to an old template reuses its ReplicaSet under the next revision number. */
  private bumpRevision(rs: Workload, d: Workload, revision: number): Workload {
    const old = rs.metadata.annotations?.[REVISION];
    const history = [rs.metadata.annotations?.[REVISION_HISTORY], old].filter(Boolean).join(",");
    rs.metadata.annotations = {
      ...rs.metadata.annotations,
      ...this.copyAnnotations(d),
      [REVISION]: String(revision),
    };
    if (history) rs.metadata.annotations[REVISION_HISTORY] = history;
    return this.store.update(rs);
  }

  private scaleRS(rs: Workload, replicas: number): void {
    if (rs.spec.replicas === replicas) return;
    rs.spec.replicas = replicas;
    rs.metadata.generation += 1;
    rs.status.replicas = replicas;
    rs.status.availableReplicas = Math.min(rs.status.availableReplicas ?? 0, replicas);
    rs.status.readyReplicas = rs.status.availableReplicas;
    this.store.update(rs);
  }

  private rollingStep(d: Workload, newRS: Workload, olds: Workload[]): void {
    const replicas = d.spec.replicas;
    if (d.spec.strategy?.type === "Recreate") {
      for (const rs of olds) this.scaleRS(rs, 0);
      if (olds.every((rs) => (rs.status.replicas ?? 0) === 0)) this.scaleRS(newRS, replicas);
      return;
    }
    const surge = resolve(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true);
    let unavailable = resolve(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false);
    if (surge === 0 && unavailable === 0) unavailable = 1;
    const total = newRS.spec.replicas + sum(olds, (rs) => rs.spec.replicas);
    if (newRS.spec.replicas > replicas) this.scaleRS(newRS, replicas);
    else if (newRS.spec.replicas < replicas)
      this.scaleRS(newRS, Math.min(replicas, newRS.spec.replicas + Math.max(0, replicas + surge - total)));

    const minAvailable = replicas - unavailable;
    const newUnavailable = newRS.spec.replicas - (newRS.status.availableReplicas ?? 0);
    let budget = newRS.spec.replicas + sum(olds, (rs) => rs.spec.replicas) - minAvailable - newUnavailable;
    // Unhealthy old pods go first; they do not count towards availability anyway.
    for (const rs of olds) {
      const cut = Math.max(0, Math.min(rs.spec.replicas - (rs.status.availableReplicas ?? 0), budget));
      if (cut > 0) {
        this.scaleRS(rs, rs.spec.replicas - cut);
        budget -= cut;
      }
    }
    let canDown =
      (newRS.status.availableReplicas ?? 0) + sum(olds, (rs) => rs.status.availableReplicas) - minAvailable;
    for (const rs of olds) {
      const cut = Math.max(0, Math.min(rs.spec.replicas, canDown));
      if (cut > 0) {
        this.scaleRS(rs, rs.spec.replicas - cut);
        canDown -= cut;
      }
    }
  }

  /** Keep at most revisionHistoryLimit scaled-down old ReplicaSets, oldest removed first. */
  private cleanup(d: Workload, all: Workload[], current: Workload | undefined): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = all.filter(
      (rs) =>
        rs !== current &&
        rs.metadata.uid !== current?.metadata.uid &&
        rs.spec.replicas === 0 &&
        (rs.status.replicas ?? 0) === 0,
    );
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
      this.store.delete("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
  }

  private setStatus(d: Workload, newRS: Workload | undefined, all: Workload[], created: boolean): void {
    const prev = d.status;
    const replicas = d.spec.replicas;
    const available = sum(all, (rs) => rs.status.availableReplicas);
    const total = sum(all, (rs) => rs.spec.replicas);
    const status = {
      observedGeneration: d.metadata.generation,
      replicas: sum(all, (rs) => rs.status.replicas),
      updatedReplicas: newRS?.status.replicas ?? 0,
      readyReplicas: available,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
    };
    const unavailable = resolve(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false);
    const conditions = new Map((prev.conditions ?? []).map((c) => [c.type, c]));
    const set = (
      type: string,
      s: Condition["status"],
      reason: string,
      message: string,
      touch = true,
    ): void => {
      const old = conditions.get(type);
      const now = this.now().toISOString();
      const changed = !old || old.status !== s;
      conditions.set(type, {
        type,
        status: s,
        lastUpdateTime: touch || changed || old.reason !== reason ? now : old.lastUpdateTime,
        lastTransitionTime: changed ? now : old.lastTransitionTime,
        reason,
        message,
      });
    };
    const minOk = available >= replicas - (d.spec.strategy?.type === "Recreate" ? 0 : unavailable);
    const avail = conditions.get("Available");
    if (!avail || (avail.status === "True") !== minOk)
      set(
        "Available",
        minOk ? "True" : "False",
        minOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
      );
    this.setProgressing(d, newRS, status, created, conditions.get("Progressing"), set);
    d.status = { ...status, conditions: [...conditions.values()] };
  }

  private setProgressing(
    d: Workload,
    newRS: Workload | undefined,
    status: Required<
      Pick<Workload["status"], "replicas" | "updatedReplicas" | "availableReplicas" | "readyReplicas">
    >,
    created: boolean,
    cond: Condition | undefined,
    set: (type: string, s: Condition["status"], reason: string, message: string, touch?: boolean) => void,
  ): void {
    const rsName = newRS?.metadata.name ?? "";
    const prev = d.status;
    if (d.spec.paused) {
      if (cond?.reason !== "DeploymentPaused")
        set("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused");
      return;
    }
    if (cond?.reason === "DeploymentPaused") {
      set("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed");
      return;
    }
    const replicas = d.spec.replicas;
    const complete =
      status.updatedReplicas === replicas &&
      status.replicas === replicas &&
      status.availableReplicas === replicas;
    if (created) set("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${rsName}"`);
    else if (complete) {
      if (cond?.reason !== "NewReplicaSetAvailable")
        set(
          "Progressing",
          "True",
          "NewReplicaSetAvailable",
          `ReplicaSet "${rsName}" has successfully progressed.`,
        );
    } else if (
      status.updatedReplicas > (prev.updatedReplicas ?? 0) ||
      status.readyReplicas > (prev.readyReplicas ?? 0) ||
      status.availableReplicas > (prev.availableReplicas ?? 0) ||
      status.replicas - status.updatedReplicas < (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0)
    ) {
      set("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`);
    } else if (
      cond &&
      cond.reason !== "ProgressDeadlineExceeded" &&
      cond.reason !== "NewReplicaSetAvailable"
    ) {
      // A Progressing condition left by a finished rollout never times out: the controller's
      // DeploymentTimedOut returns false for NewRSAvailableReason, since a later template change
      // (a rollback onto an old ReplicaSet) may be synced before the condition catches up
      // (kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go, DeploymentTimedOut).
      const since = Date.parse(cond.lastUpdateTime);
      const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
      if (this.now().getTime() - since >= deadline)
        set(
          "Progressing",
          "False",
          "ProgressDeadlineExceeded",
          `ReplicaSet "${rsName}" has timed out progressing.`,
        );
    }
  }
}
