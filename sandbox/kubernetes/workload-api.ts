/**
 * The REST semantics of apps/v1 workloads, without HTTP: validation, defaulting, optimistic
 * concurrency on resourceVersion, generation bumps on spec changes, patches and the scale and
 * status subresources. Errors are thrown as ApiError and rendered as a v1 Status.
 */
import { canonical, defaultWorkload, dropNulls, type Kind, type Workload } from "./objects.js";
import { applyPatch, PatchError, type Json } from "./patch.js";
import type { Store } from "./store.js";

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: number;
  readonly reason: string;
  readonly details: Record<string, unknown>;
  constructor(code: number, reason: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

export const statusBody = (e: ApiError): object => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: e.message,
  reason: e.reason,
  details: e.details,
  code: e.code,
});

export const plural = (kind: Kind): string => (kind === "Deployment" ? "deployments" : "replicasets");

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export interface Scale {
  kind: "Scale";
  apiVersion: "autoscaling/v1";
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
  };
  spec: { replicas: number };
  status: { replicas: number; selector: string };
}

export class WorkloadApi {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  private notFound(kind: Kind, name: string): ApiError {
    return new ApiError(404, "NotFound", `${plural(kind)}.apps "${name}" not found`, {
      name,
      group: "apps",
      kind: plural(kind),
    });
  }

  private conflict(kind: Kind, name: string): ApiError {
    return new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${plural(kind)}.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: "apps", kind: plural(kind) },
    );
  }

  private invalid(kind: Kind, name: string, cause: string): ApiError {
    return new ApiError(422, "Invalid", `${kind}.apps "${name}" is invalid: ${cause}`, {
      name,
      group: "apps",
      kind,
    });
  }

  get(kind: Kind, ns: string, name: string): Workload {
    const w = this.store.get(kind, ns, name);
    if (!w) throw this.notFound(kind, name);
    return w;
  }

  private validate(w: Workload): void {
    const name = w.metadata.name;
    if (!name)
      throw new ApiError(422, "Invalid", `${w.kind}.apps "" is invalid: metadata.name: Required value`);
    const spec = w.spec as Partial<Workload["spec"]> | undefined;
    if (!spec || !isMap(spec.selector)) throw this.invalid(w.kind, name, "spec.selector: Required value");
    if (
      !isMap(spec.template) ||
      !Array.isArray(spec.template.spec?.containers) ||
      spec.template.spec.containers.length === 0
    )
      throw this.invalid(w.kind, name, "spec.template.spec.containers: Required value");
    for (const c of spec.template.spec.containers)
      if (!c.name || !c.image)
        throw this.invalid(w.kind, name, "spec.template.spec.containers[0]: name and image are required");
    if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0))
      throw this.invalid(w.kind, name, "spec.replicas: Invalid value: must be greater than or equal to 0");
    const labels = spec.template.metadata?.labels ?? {};
    const want = spec.selector.matchLabels ?? {};
    if (Object.entries(want).some(([k, v]) => labels[k] !== v))
      throw this.invalid(
        w.kind,
        name,
        "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`",
      );
  }

  create(kind: Kind, ns: string, body: unknown): Workload {
    if (!isMap(body) || !isMap(body.metadata))
      throw new ApiError(400, "BadRequest", "the object has no metadata");
    const w = dropNulls(structuredClone(body)) as unknown as Workload;
    w.apiVersion = "apps/v1";
    w.kind = kind;
    w.metadata.namespace = ns;
    this.validate(w);
    if (this.store.get(kind, ns, w.metadata.name))
      throw new ApiError(409, "AlreadyExists", `${plural(kind)}.apps "${w.metadata.name}" already exists`, {
        name: w.metadata.name,
        group: "apps",
        kind: plural(kind),
      });
    defaultWorkload(w);
    w.status = {};
    return this.store.create(w);
  }

  /** Store `next` over `current` as the main resource: status and identity come from `current`. */
  private commit(current: Workload, next: Workload): Workload {
    const rv = next.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion)
      throw this.conflict(current.kind, current.metadata.name);
    if (next.metadata?.name && next.metadata.name !== current.metadata.name)
      throw new ApiError(400, "BadRequest", "the name of the object does not match the name on the URL");
    const w = dropNulls(structuredClone(next));
    w.apiVersion = "apps/v1";
    w.kind = current.kind;
    w.metadata = {
      ...w.metadata,
      name: current.metadata.name,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: current.metadata.generation,
      resourceVersion: current.metadata.resourceVersion,
    };
    this.validate(w);
    defaultWorkload(w);
    if (canonical(w.spec.selector) !== canonical(current.spec.selector))
      throw this.invalid(
        current.kind,
        current.metadata.name,
        "spec.selector: Invalid value: field is immutable",
      );
    w.status = current.status;
    if (canonical(w) === canonical(current)) return current;
    if (canonical(w.spec) !== canonical(current.spec)) w.metadata.generation += 1;
    return this.store.update(w);
  }

  update(kind: Kind, ns: string, name: string, body: unknown): Workload {
    if (!isMap(body)) throw new ApiError(400, "BadRequest", "the body is not an object");
    return this.commit(this.get(kind, ns, name), body as unknown as Workload);
  }

  patch(kind: Kind, ns: string, name: string, contentType: string, patch: Json): Workload {
    const current = this.get(kind, ns, name);
    const next = this.applyPatch(current as unknown as Json, contentType, patch);
    return this.commit(current, next as unknown as Workload);
  }

  private applyPatch(doc: Json, contentType: string, patch: Json): Json {
    try {
      return applyPatch(doc, contentType, patch);
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      const unsupported = e.message.startsWith("the body of the request was in an unknown format");
      throw new ApiError(
        unsupported ? 415 : 422,
        unsupported ? "UnsupportedMediaType" : "Invalid",
        e.message,
      );
    }
  }

  /** The status subresource: only status changes, no generation bump. */
  writeStatus(kind: Kind, ns: string, name: string, contentType: string | undefined, body: Json): Workload {
    const current = this.get(kind, ns, name);
    const next = (contentType
      ? this.applyPatch(current as unknown as Json, contentType, body)
      : body) as unknown as Workload;
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== current.metadata.resourceVersion)
      throw this.conflict(kind, name);
    return this.store.update({ ...current, status: next.status ?? {} });
  }

  getScale(kind: Kind, ns: string, name: string): Scale {
    const w = this.get(kind, ns, name);
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name: w.metadata.name,
        namespace: w.metadata.namespace,
        uid: w.metadata.uid,
        resourceVersion: w.metadata.resourceVersion,
        creationTimestamp: w.metadata.creationTimestamp,
      },
      spec: { replicas: w.spec.replicas },
      status: {
        replicas: w.status.replicas ?? 0,
        selector: Object.entries(w.spec.selector.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      },
    };
  }

  /** PUT (contentType undefined) or PATCH of the scale subresource. */
  writeScale(kind: Kind, ns: string, name: string, contentType: string | undefined, body: Json): Scale {
    const scale = this.getScale(kind, ns, name);
    const next = (contentType
      ? this.applyPatch(scale as unknown as Json, contentType, body)
      : body) as unknown as Partial<Scale>;
    const replicas = next.spec?.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
      throw this.invalid(kind, name, "spec.replicas: Invalid value: must be greater than or equal to 0");
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== scale.metadata.resourceVersion)
      throw this.conflict(kind, name);
    const current = this.get(kind, ns, name);
    this.commit(current, { ...current, spec: { ...current.spec, replicas } });
    return this.getScale(kind, ns, name);
  }

  delete(kind: Kind, ns: string, name: string): Workload {
    const w = this.store.delete(kind, ns, name);
    if (!w) throw this.notFound(kind, name);
    // Garbage collection of dependents (background propagation, done at once).
    for (const rs of this.store.list("ReplicaSet", ns))
      if (rs.metadata.ownerReferences?.some((o) => o.uid === w.metadata.uid))
        this.store.delete("ReplicaSet", ns, rs.metadata.name);
    return w;
  }
}
