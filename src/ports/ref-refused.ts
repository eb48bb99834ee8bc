/**
 * GitHub refused to write a git ref for a reason the caller cannot handle itself: a ruleset or
 * branch protection restricts the ref, the commit is gone, or GitHub's intermittent "Reference
 * update failed" outlasted the retries. The message says what happened and what to do; adapters
 * throw it, handlers show it.
 */
export const refRefusalKinds = [
  "exists",
  "not-fast-forward",
  "missing-ref",
  "missing-object",
  "update-failed",
  "restricted",
  "protected",
  "other",
] as const;
export type RefRefusalKind = (typeof refRefusalKinds)[number];

export class RefRefusedError extends Error {
  override readonly name = "RefRefusedError";
  constructor(
    readonly ref: string,
    readonly kind: RefRefusalKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
