/** A value that could not be parsed: returned, never thrown, so user text can't crash a run. */
export interface ParseError {
  readonly kind: "parse-error";
  /** What was being parsed: "version", "tag", "release-branch", … */
  readonly what: string;
  readonly input: string;
  readonly reason: string;
}

export const parseError = (what: string, input: string, reason: string): ParseError => ({
  kind: "parse-error",
  what,
  input: input.length > 200 ? `${input.slice(0, 200)}…` : input,
  reason,
});

export const isParseError = (value: unknown): value is ParseError =>
  typeof value === "object" && value !== null && "kind" in value && value.kind === "parse-error";
