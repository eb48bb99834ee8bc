import { describeOutboundError, describeStatus } from "../outbound/guarded-fetch.js";
import { MlflowError } from "./mlflow-error.js";
import { trimTrailingSlashes } from "../../domain/trailing-slashes.js";

export interface MlflowModelVersion {
  name: string;
  version: string;
  currentStage?: string | undefined;
  runId?: string | undefined;
  status?: string | undefined;
  aliases: string[];
}

export interface MlflowRun {
  runId: string;
  status?: string | undefined;
  /** The latest value of each logged metric. */
  metrics: Record<string, number>;
}

export interface MlflowClientOptions {
  /** Tracking server base URL, e.g. https://mlflow.example.com (no /api suffix). */
  baseUrl: string;
  /** Bearer token (MLflow behind an auth proxy, Databricks PAT, …). */
  token?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface MlflowClient {
  readonly baseUrl: string;
  getLatestVersions(name: string, stages?: string[]): Promise<MlflowModelVersion[]>;
  getModelVersion(name: string, version: string): Promise<MlflowModelVersion>;
  getModelVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion>;
  getRun(runId: string): Promise<MlflowRun>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;

const toModelVersion = (v: unknown): MlflowModelVersion => {
  const name = isRecord(v) ? str(v["name"]) : undefined;
  const version = isRecord(v) ? str(v["version"]) : undefined;
  if (!isRecord(v) || name === undefined || version === undefined) {
    throw new MlflowError("bad-response", "MLflow returned a model version without name/version");
  }
  return {
    name,
    version,
    currentStage: str(v["current_stage"]),
    runId: str(v["run_id"]) || undefined,
    status: str(v["status"]),
    aliases: Array.isArray(v["aliases"])
      ? v["aliases"].filter((a): a is string => typeof a === "string")
      : [],
  };
};

/** The base URL without credentials (it makes the links shown in check runs and comments). */
const publicBase = (baseUrl: string): string => {
  try {
    const url = new URL(baseUrl);
    url.username = "";
    url.password = "";
    return trimTrailingSlashes(url.toString());
  } catch {
    return trimTrailingSlashes(baseUrl);
  }
};

/** A bearer token is visible ASCII (RFC 6750 token68 and what proxies accept); a PEM is not. */
const isHeaderSafe = (token: string): boolean => /^[\x21-\x7e]{1,4096}$/.test(token);

/**
 * A small client of the MLflow REST API 2.0 (registry + runs), on fetch. Every failure is an
 * MlflowError whose message is built from fixed phrases, the endpoint, the status code and
 * MLflow's error code: never the server's answer nor a thrown error's text (Node's TypeError for
 * an invalid header quotes the header's value, the token included).
 */
export const createMlflowClient = (options: MlflowClientOptions): MlflowClient => {
  const baseUrl = trimTrailingSlashes(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const call = async (
    method: "GET" | "POST",
    endpoint: string,
    params: Record<string, string | string[] | undefined>,
  ): Promise<Json> => {
    const url = new URL(`${baseUrl}/api/2.0/mlflow/${endpoint}`);
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token !== undefined) {
      if (!isHeaderSafe(options.token)) {
        throw new MlflowError(
          "unauthorized",
          "MLflow token is not usable as a bearer token; nothing was sent",
        );
      }
      headers["authorization"] = `Bearer ${options.token}`;
    }
    let body: string | undefined;
    if (method === "GET") {
      for (const [k, v] of Object.entries(params))
        for (const one of [v ?? []].flat()) url.searchParams.append(k, one);
    } else {
      headers["content-type"] = "application/json";
      body = JSON.stringify(params);
    }
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (e) {
      throw new MlflowError("unreachable", `MLflow could not be reached: ${describeOutboundError(e)}`);
    }
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const given = isRecord(json) ? str(json["error_code"]) : undefined;
      // MLflow's codes are an enum (RESOURCE_DOES_NOT_EXIST); anything else is not repeated.
      const code = given !== undefined && /^[A-Z][A-Z_]{0,63}$/.test(given) ? given : undefined;
      const kind =
        res.status === 401 || res.status === 403
          ? "unauthorized"
          : res.status === 404 || code === "RESOURCE_DOES_NOT_EXIST"
            ? "not-found"
            : "http";
      throw new MlflowError(
        kind,
        `MLflow ${endpoint} ${describeStatus(res.status)}${code ? ` ${code}` : ""}`,
        res.status,
        code,
      );
    }
    if (!isRecord(json))
      throw new MlflowError("bad-response", `MLflow ${endpoint} answered with non-JSON content`, res.status);
    return json;
  };

  return {
    baseUrl: publicBase(baseUrl),
    async getLatestVersions(name, stages) {
      const json = await call("GET", "registered-models/get-latest-versions", { name, stages });
      // proto3 JSON omits empty lists: no versions means no key at all.
      const list = json["model_versions"] ?? [];
      if (!Array.isArray(list))
        throw new MlflowError("bad-response", "get-latest-versions: model_versions is not a list");
      return list.map(toModelVersion);
    },
    async getModelVersion(name, version) {
      return toModelVersion((await call("GET", "model-versions/get", { name, version }))["model_version"]);
    },
    async getModelVersionByAlias(name, alias) {
      return toModelVersion((await call("GET", "registered-models/alias", { name, alias }))["model_version"]);
    },
    async getRun(runId) {
      const run = (await call("GET", "runs/get", { run_id: runId }))["run"];
      if (!isRecord(run) || !isRecord(run["info"]))
        throw new MlflowError("bad-response", "runs/get: no run in the answer");
      const data = isRecord(run["data"]) ? run["data"] : {};
      const metrics: Record<string, number> = {};
      for (const m of Array.isArray(data["metrics"]) ? data["metrics"] : []) {
        if (isRecord(m) && typeof m["key"] === "string" && typeof m["value"] === "number")
          metrics[m["key"]] = m["value"];
      }
      return { runId: str(run["info"]["run_id"]) ?? runId, status: str(run["info"]["status"]), metrics };
    },
    async setModelVersionTag(name, version, key, value) {
      await call("POST", "model-versions/set-tag", { name, version, key, value });
    },
  };
};
