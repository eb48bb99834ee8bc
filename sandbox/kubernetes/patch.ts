/**
 * The three patch flavours the API server accepts for built-in kinds: JSON patch (RFC 6902),
 * JSON merge patch (RFC 7386) and strategic merge patch (lists merged by their merge key).
 * Each returns a new document; a bad patch throws a PatchError (the server answers 422).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = Record<string, Json>;

export class PatchError extends Error {
  override readonly name = "PatchError";
}

const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

// ---------- RFC 6902 ----------

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

const pointer = (path: string): string[] => {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
};

const parentOf = (doc: Json, tokens: string[]): { parent: Json; key: string } => {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(cur) ? cur[Number(t)] : isMap(cur) ? cur[t] : undefined;
    if (next === undefined) throw new PatchError(`doc is missing path: /${tokens.join("/")}`);
    cur = next;
  }
  return { parent: cur, key: tokens[tokens.length - 1] ?? "" };
};

const getAt = (doc: Json, tokens: string[]): Json => {
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens);
  const v = Array.isArray(parent) ? parent[Number(key)] : isMap(parent) ? parent[key] : undefined;
  if (v === undefined) throw new PatchError(`doc is missing key: /${tokens.join("/")}`);
  return v;
};

const removeAt = (doc: Json, tokens: string[]): Json => {
  const { parent, key } = parentOf(doc, tokens);
  const old = getAt(doc, tokens);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isMap(parent)) delete parent[key];
  return old;
};

const addAt = (doc: Json, tokens: string[], value: Json): Json => {
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const idx = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length)
      throw new PatchError(`index out of range: ${key}`);
    parent.splice(idx, 0, value);
  } else if (isMap(parent)) parent[key] = value;
  else throw new PatchError(`cannot add under a scalar at /${tokens.join("/")}`);
  return doc;
};

export function applyJsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new PatchError("a JSON patch must be an array of operations");
  let out = clone(doc);
  for (const raw of ops as JsonPatchOp[]) {
    const path = pointer(raw.path);
    switch (raw.op) {
      case "add":
        out = addAt(out, path, clone(raw.value ?? null));
        break;
      case "remove":
        removeAt(out, path);
        break;
      case "replace":
        // Like the API server (evanphx/json-patch): replacing a missing key is an error.
        getAt(out, path);
        if (path.length === 0) out = clone(raw.value ?? null);
        else {
          removeAt(out, path);
          out = addAt(out, path, clone(raw.value ?? null));
        }
        break;
      case "move": {
        const v = removeAt(out, pointer(raw.from ?? ""));
        out = addAt(out, path, v);
        break;
      }
      case "copy":
        out = addAt(out, path, clone(getAt(out, pointer(raw.from ?? ""))));
        break;
      case "test":
        if (JSON.stringify(getAt(out, path)) !== JSON.stringify(raw.value))
          throw new PatchError(`testing value /${path.join("/")} failed`);
        break;
      default:
        throw new PatchError(`unexpected kind of patch operation: ${String(raw.op)}`);
    }
  }
  return out;
}

// ---------- RFC 7386 ----------

export function applyMergePatch(doc: Json, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const out: JsonMap = isMap(doc) ? clone(doc) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k] ?? null, v);
  }
  return out;
}

// ---------- strategic merge ----------

/** Merge keys of the list fields a Deployment/ReplicaSet carries (from the Go struct tags). */
const mergeKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  imagePullSecrets: "name",
  ports: "containerPort",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  conditions: "type",
  ownerReferences: "uid",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

const ORDER = "$setElementOrder/";
const DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

function mergeList(field: string, base: Json[], patch: Json[], order: Json[] | undefined): Json[] {
  const key = mergeKeys[field];
  if (!key) return clone(patch);
  const out = clone(base);
  for (const item of patch) {
    if (!isMap(item)) continue;
    const id = item[key];
    const idx = out.findIndex((o) => isMap(o) && JSON.stringify(o[key]) === JSON.stringify(id));
    const directive = item.$patch;
    if (directive === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (directive === "replace") return patch.filter((p) => !(isMap(p) && p.$patch === "replace"));
    if (idx >= 0) out[idx] = strategicMerge(out[idx] ?? null, item);
    else out.push(strategicMerge(null, item));
  }
  if (!order) return out;
  // $setElementOrder: listed items first in the given order, then the rest as they were.
  const rank = (o: Json): number => {
    const i = order.findIndex(
      (e) => isMap(e) && isMap(o) && JSON.stringify(e[key]) === JSON.stringify(o[key]),
    );
    return i < 0 ? order.length : i;
  };
  return out
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map((x) => x.o);
}

export function strategicMerge(doc: Json, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _drop, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === "delete") return {};
  const out: JsonMap = isMap(doc) ? clone(doc) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith(ORDER)) continue;
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const order = patch[ORDER + k];
    const cur = out[k];
    if (Array.isArray(v))
      out[k] = mergeList(k, Array.isArray(cur) ? cur : [], v, Array.isArray(order) ? order : undefined);
    else out[k] = strategicMerge(cur ?? null, v);
  }
  // An element order without a matching list in the patch still reorders the existing list.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(ORDER) || !Array.isArray(v)) continue;
    const field = k.slice(ORDER.length);
    const cur = out[field];
    if (!(field in patch) && Array.isArray(cur)) out[field] = mergeList(field, cur, [], v);
  }
  return out;
}

export const patchContentTypes = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
} as const;

/** Apply a patch given its Content-Type; throws PatchError for an unknown type (415). */
export function applyPatch(doc: Json, contentType: string, patch: Json): Json {
  const type = contentType.split(";")[0]?.trim();
  if (type === patchContentTypes.json) return applyJsonPatch(doc, patch);
  if (type === patchContentTypes.merge) return applyMergePatch(doc, patch);
  if (type === patchContentTypes.strategic) return strategicMerge(doc, patch);
  throw new PatchError(
    `the body of the request was in an unknown format - accepted media types include: ${Object.values(patchContentTypes).join(", ")}`,
  );
}
