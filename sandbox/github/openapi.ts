// GitHub's own OpenAPI description, used to check that fakes (the sandbox, nock scopes) only
// answer requests GitHub would accept, with bodies GitHub would send.
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  pathTemplate: string;
  method: string;
  segments: string[];
  literalCount: number;
  greedy: boolean;
  spec: Json;
}

export interface FoundOperation {
  operationId: string;
  pathTemplate: string;
  params: Record<string, string>;
}

const GREEDY_PARAMS = new Set(["ref", "path", "basehead"]);
const SPEC_ID = "gh";

let loaded: { spec: Json; ops: Map<string, Operation[]>; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction | null>();

function specPath(): string {
  const require = createRequire(`${process.cwd()}/package.json`);
  const pkgJson = require.resolve("@octokit/openapi/package.json");
  return pkgJson.replace(/package\.json$/, "generated/api.github.com.json");
}

/**
 * OpenAPI 3.0 `nullable` is not JSON Schema; rewrite it in place (the spec is ours, parsed once)
 * so ajv understands it everywhere. Returns the node to put where this one was.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = toJsonSchema(node[i]);
    return node;
  }
  if (node === null || typeof node !== "object") return node;
  const out = node as Json;
  for (const key of Object.keys(out)) out[key] = toJsonSchema(out[key]);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string" && out.$ref === undefined) {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  delete out.nullable;
  return out;
}

const DOC_KEYS = new Set([
  "description",
  "example",
  "examples",
  "summary",
  "x-github",
  "externalDocs",
  "tags",
]);

/** Drop documentation-only keys (but never property names inside `properties`). */
function stripDocs(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((v) => stripDocs(v));
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (!isPropertyMap && DOC_KEYS.has(key)) continue;
    out[key] = stripDocs(value, !isPropertyMap && key === "properties");
  }
  return out;
}

/**
 * The spec without examples and prose, converted to JSON Schema, cached in the temp dir: the
 * 13 MB original takes seconds to read and parse in every Jest worker, the cache a fraction.
 */
function readSpec(): Json {
  const source = specPath();
  const { size, mtimeMs } = statSync(source);
  const cache = join(tmpdir(), `release-pilot-openapi-${size}-${Math.floor(mtimeMs)}-v1.json`);
  try {
    return JSON.parse(readFileSync(cache, "utf8")) as Json;
  } catch {
    const raw = JSON.parse(readFileSync(source, "utf8")) as Json;
    const components = raw.components as Json;
    const slim = toJsonSchema(
      stripDocs({
        paths: raw.paths,
        components: {
          schemas: components.schemas,
          parameters: components.parameters,
          responses: components.responses,
          headers: components.headers,
        },
      }),
    ) as Json;
    const temp = `${cache}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(slim));
    renameSync(temp, cache);
    return slim;
  }
}

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const spec = readSpec();
  const ops = new Map<string, Operation[]>();
  for (const [pathTemplate, item] of Object.entries(spec.paths as Record<string, Json>)) {
    const segments = pathTemplate.split("/").slice(1);
    const last = segments.at(-1) ?? "";
    const greedy = GREEDY_PARAMS.has(last.replace(/[{}]/g, "")) && last.startsWith("{");
    for (const [method, op] of Object.entries(item)) {
      if (typeof op !== "object" || op === null || !("operationId" in op)) continue;
      const operation: Operation = {
        operationId: String((op as Json).operationId),
        pathTemplate,
        method: method.toUpperCase(),
        segments,
        literalCount: segments.filter((s) => !s.startsWith("{")).length,
        greedy,
        spec: op as Json,
      };
      const list = ops.get(operation.method) ?? [];
      list.push(operation);
      ops.set(operation.method, list);
    }
  }
  // Most specific first: more literal segments, then non-greedy before greedy.
  for (const list of ops.values()) {
    list.sort((a, b) => b.literalCount - a.literalCount || Number(a.greedy) - Number(b.greedy));
  }
  const ajv = new Ajv({
    strict: false,
    validateSchema: false,
    allErrors: true,
    inlineRefs: false,
    validateFormats: true,
    logger: false,
  });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: spec.components, paths: spec.paths });
  loaded = { spec, ops, ajv };
  return loaded;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const parsed = new URL(url, "http://sandbox.invalid");
  let path = parsed.pathname.replace(/\/+$/, "") || "/";
  if (path.startsWith("/api/v3")) path = path.slice("/api/v3".length) || "/";
  return { path, query: parsed.searchParams };
}

function matchOperation(op: Operation, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  if (op.greedy ? parts.length < op.segments.length : parts.length !== op.segments.length) {
    return undefined;
  }
  for (let i = 0; i < op.segments.length; i++) {
    const seg = op.segments[i]!;
    const isLast = i === op.segments.length - 1;
    const raw = op.greedy && isLast ? parts.slice(i).join("/") : parts[i]!;
    if (seg.startsWith("{") && seg.indexOf("}") < seg.length - 1) {
      // A segment mixing parameters and literals, e.g. "{base}...{head}".
      const names = [...seg.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const pattern = seg.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}/g, "(.+?)");
      const m = new RegExp(`^${pattern}$`).exec(decodeURIComponent(raw));
      if (!m) return undefined;
      names.forEach((name, k) => (params[name] = m[k + 1]!));
    } else if (seg.startsWith("{")) {
      if (raw === "") return undefined;
      params[seg.slice(1, -1)] = decodeURIComponent(raw);
    } else if (seg !== raw) {
      return undefined;
    }
  }
  return params;
}

function find(method: string, url: string): { op: Operation; params: Record<string, string> } | undefined {
  const { path } = splitUrl(url);
  const parts = path.split("/").slice(1);
  const ops = load().ops.get(method.toUpperCase()) ?? [];
  for (const op of ops) {
    const params = matchOperation(op, parts);
    if (params) return { op, params };
  }
  // A trailing slash leaves a greedy last parameter empty, and GitHub serves it: `contents/`
  // is the repository's root directory (https://docs.github.com/en/rest/repos/contents#get-repository-content,
  // what Octokit sends for `path: ""`, recorded in @octokit/fixtures' get-content scenario), and
  // `git/matching-refs/` lists every ref (https://docs.github.com/en/rest/git/refs#list-matching-references).
  if (parts.length > 1 && new URL(url, "http://sandbox.invalid").pathname.endsWith("/")) {
    for (const op of ops) {
      if (!op.greedy || op.segments.length !== parts.length + 1) continue;
      const params = matchOperation({ ...op, greedy: false, segments: op.segments.slice(0, -1) }, parts);
      if (params) return { op, params: { ...params, [op.segments.at(-1)!.slice(1, -1)]: "" } };
    }
  }
  return undefined;
}

/** The GitHub REST operation a request targets, with its decoded path parameters. */
export function findOperation(method: string, url: string): FoundOperation | undefined {
  const found = find(method, url);
  if (!found) return undefined;
  return { operationId: found.op.operationId, pathTemplate: found.op.pathTemplate, params: found.params };
}

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

function validatorFor(key: string, ref: string): ValidateFunction | null {
  if (validators.has(key)) return validators.get(key)!;
  const validate = load().ajv.compile({ $ref: `${SPEC_ID}#/${ref}` });
  validators.set(key, validate);
  return validate;
}

function resolveRef(node: unknown): Json | undefined {
  let current = node as Json | undefined;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 10; hops++) {
    const path = (current.$ref as string).replace(/^#\//, "").split("/");
    let target: unknown = load().spec;
    for (const p of path) target = (target as Json)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
    current = target as Json | undefined;
  }
  return current;
}

function schemaErrors(validate: ValidateFunction | null, data: unknown, label: string): string[] {
  if (!validate || validate(data)) return [];
  return (validate.errors ?? []).slice(0, 8).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${label}${e.instancePath || "/"} ${e.message ?? "invalid"}${extra ? ` (${extra})` : ""}`;
  });
}

function jsonSchemaRef(op: Operation, ...rest: string[]): string {
  return pointer("paths", op.pathTemplate, op.method.toLowerCase(), ...rest);
}

/** Problems with a request as GitHub would see them; empty when GitHub would accept it. */
export function validateRequest(req: { method: string; url: string; body?: unknown }): string[] {
  const found = find(req.method, req.url);
  const where = `${req.method.toUpperCase()} ${splitUrl(req.url).path}`;
  if (!found) return [`${where}: unknown operation`];
  const { op } = found;
  const errors: string[] = [];
  const { query } = splitUrl(req.url);
  for (const p of (op.spec.parameters as unknown[] | undefined) ?? []) {
    const param = resolveRef(p);
    if (!param || param.required !== true) continue;
    if (param.in === "query" && !query.has(String(param.name))) {
      errors.push(`${where}: missing required query parameter ${String(param.name)}`);
    }
  }
  const body = op.spec.requestBody as Json | undefined;
  const content = (resolveRef(body)?.content as Record<string, Json> | undefined)?.["application/json"];
  if (content?.schema) {
    const key = `req:${op.method}:${op.pathTemplate}`;
    const validate = validatorFor(
      key,
      jsonSchemaRef(op, "requestBody", "content", "application/json", "schema"),
    );
    if (req.body === undefined && resolveRef(body)?.required === true) {
      errors.push(`${where}: missing request body`);
    } else if (req.body !== undefined) {
      errors.push(...schemaErrors(validate, req.body, `${where} body`));
    }
  }
  return errors;
}

/** Problems with a response: a status GitHub does not declare, or a body off its schema. */
export function validateResponse(res: {
  method: string;
  url: string;
  status: number;
  body: unknown;
}): string[] {
  const found = find(res.method, res.url);
  const where = `${res.method.toUpperCase()} ${splitUrl(res.url).path} -> ${res.status}`;
  if (!found) return [`${where}: unknown operation`];
  const { op } = found;
  const responses = op.spec.responses as Record<string, unknown>;
  const declared = responses[String(res.status)] ?? responses.default;
  if (!declared) return [`${where}: status not declared for ${op.operationId}`];
  const resolved = resolveRef(declared);
  const content = (resolved?.content as Record<string, Json> | undefined)?.["application/json"];
  if (!content?.schema || res.body === undefined || res.status >= 400) return [];
  const statusKey = responses[String(res.status)] ? String(res.status) : "default";
  const ref =
    typeof (declared as Json).$ref === "string"
      ? pointer(
          ...((declared as Json).$ref as string).replace(/^#\//, "").split("/").map(unescape),
          "content",
          "application/json",
          "schema",
        )
      : jsonSchemaRef(op, "responses", statusKey, "content", "application/json", "schema");
  const validate = validatorFor(`res:${op.method}:${op.pathTemplate}:${statusKey}`, ref);
  return schemaErrors(validate, res.body, `${where} body`);
}

function unescape(part: string): string {
  return part.replace(/~1/g, "/").replace(/~0/g, "~");
}
