/**
 * What a failed command's reply says went wrong, named after the system that failed: GitHub (an
 * Octokit RequestError), Kubernetes (ClusterError), MLflow (MlflowError). Only the status or kind
 * is shown; the details stay in the logs.
 */
import { ClusterError } from "../ports/cluster.js";

const statusOf = (error: object): number | undefined => {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
};

export function describeFailure(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  if (error instanceof ClusterError)
    return error.status !== undefined
      ? `: Kubernetes answered ${error.status}`
      : `: Kubernetes ${error.kind === "timeout" ? "did not answer in time" : "could not be reached"}`;
  const status = statusOf(error);
  if ((error as { name?: unknown }).name === "MlflowError")
    return status !== undefined ? `: MLflow answered ${status}` : ": MLflow could not be reached";
  // Octokit's RequestError (name "HttpError") carries the status GitHub answered.
  if ((error as { name?: unknown }).name === "HttpError" && status !== undefined)
    return `: GitHub answered ${status}`;
  return "";
}
