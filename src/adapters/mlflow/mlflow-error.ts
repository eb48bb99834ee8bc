export type MlflowErrorKind = "unreachable" | "unauthorized" | "not-found" | "http" | "bad-response";

/** Every failure of the MLflow client, typed so callers can say what went wrong. */
export class MlflowError extends Error {
  override readonly name = "MlflowError";
  constructor(
    readonly kind: MlflowErrorKind,
    message: string,
    readonly status?: number,
    /** MLflow's own code, e.g. RESOURCE_DOES_NOT_EXIST. */
    readonly errorCode?: string,
  ) {
    super(message);
  }
}
