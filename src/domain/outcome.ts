/**
 * Every run of a command or event ends in exactly one outcome from this closed list,
 * logged with the delivery id, counted in metrics and shown to the user.
 */
export const reasonCodes = [
  "done",
  "ignored",
  "already-done",
  "in-progress",
  "refused-permission",
  "refused-locked",
  "refused-gate",
  "bad-command",
  "bad-config",
  "not-enabled",
  "not-found",
  "conflict",
  "failed",
] as const;

export type ReasonCode = (typeof reasonCodes)[number];

export interface Outcome {
  reason: ReasonCode;
  /** Markdown shown to the user (reply body); empty when nothing is said. */
  message: string;
}

export const outcome = (reason: ReasonCode, message = ""): Outcome => ({ reason, message });

/** Whether the run ended in success, for the 🚀 / 😕 reaction. */
export const isSuccess = (o: Outcome): boolean =>
  o.reason === "done" || o.reason === "already-done" || o.reason === "in-progress";
