/** The one place client-node and network errors become typed ClusterErrors. */
import { ApiException } from "@kubernetes/client-node";
import { ClusterError, type ClusterErrorKind } from "../../ports/cluster.js";

const byStatus = (status: number): ClusterErrorKind => {
  if (status === 404 || status === 410) return "not-found";
  if (status === 409) return "conflict";
  if (status === 401 || status === 403) return "forbidden";
  if (status === 400 || status === 415 || status === 422) return "invalid";
  if (status === 408 || status === 504) return "timeout";
  return "unavailable";
};

/** The API server's Status message, when the body carries one. */
const statusMessage = (body: unknown): string | undefined => {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return body || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : undefined;
};

export function toClusterError(e: unknown, what: string): ClusterError {
  if (e instanceof ClusterError) return e;
  if (e instanceof ApiException) {
    const code = (e as ApiException<unknown>).code;
    return new ClusterError(
      byStatus(code),
      `${what}: ${statusMessage((e as ApiException<unknown>).body) ?? `HTTP ${code}`}`,
      code,
      { cause: e },
    );
  }
  const err = e as
    { name?: string; message?: string; statusCode?: number; cause?: { code?: string } } | undefined;
  if (typeof err?.statusCode === "number")
    return new ClusterError(byStatus(err.statusCode), `${what}: HTTP ${err.statusCode}`, err.statusCode, {
      cause: e,
    });
  if (err?.name === "TimeoutError" || err?.name === "AbortError")
    return new ClusterError("timeout", `${what}: timed out`, undefined, { cause: e });
  return new ClusterError(
    "unavailable",
    `${what}: ${err?.cause?.code ?? err?.message ?? String(e)}`,
    undefined,
    { cause: e },
  );
}
