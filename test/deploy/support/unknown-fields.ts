import * as k8s from "@kubernetes/client-node";

interface Attribute {
  baseName: string;
  type: string;
}
interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

const modelClass = (type: string): ModelClass | undefined => {
  const candidate = (k8s as unknown as Record<string, unknown>)[type];
  return typeof candidate === "function" && "getAttributeTypeMap" in candidate
    ? (candidate as unknown as ModelClass)
    : undefined;
};

const arrayOf = /^Array<(.+)>$/;
const mapOf = /^\{ \[key: string\]: (.+); \}$/;

/**
 * Field paths the Kubernetes API would not recognise (a typo such as `redinessProbe`).
 * The OpenAPI schemas allow extra fields, so schema validation alone lets typos through;
 * the client library's model attribute maps list the real field names.
 */
export const findUnknownFields = (value: unknown, type: string, path = ""): string[] => {
  if (value === null || value === undefined) return [];
  const array = arrayOf.exec(type);
  if (array?.[1] !== undefined && Array.isArray(value)) {
    const item = array[1];
    return value.flatMap((entry, index) => findUnknownFields(entry, item, `${path}[${index}]`));
  }
  const map = mapOf.exec(type);
  if (map?.[1] !== undefined && typeof value === "object") {
    const item = map[1];
    return Object.entries(value).flatMap(([key, entry]) => findUnknownFields(entry, item, `${path}.${key}`));
  }
  const model = modelClass(type);
  if (model === undefined || typeof value !== "object") return [];
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, entry]) => {
    const fieldType = attributes.get(key);
    const fieldPath = path === "" ? key : `${path}.${key}`;
    return fieldType === undefined ? [fieldPath] : findUnknownFields(entry, fieldType, fieldPath);
  });
};

/** The client library's model name for a kind, e.g. apps/v1 Deployment → V1Deployment. */
export const modelTypeOf = (apiVersion: string, kind: string): string => {
  const version = apiVersion.split("/").at(-1) ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
};
