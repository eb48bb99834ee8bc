/**
 * A path or URL without its trailing slashes. The look-behind starts the match at the first slash
 * of the final run only, so a long run of slashes is not rescanned from every position (the
 * `regexp/no-super-linear-move` lint rule).
 */
export const trimTrailingSlashes = (text: string): string => text.replace(/(?<!\/)\/+$/, "");
