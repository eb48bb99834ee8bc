/**
 * Why a value could not be parsed: the error of a parser's `Result<T, ParseError>`, returned,
 * never thrown, so user text can't crash a run.
 */
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
