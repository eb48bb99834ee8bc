/**
 * How a domain function that can fail says so: it returns a `Result`. It never throws on what it
 * is given (user text, repository files, reports, API answers), so a crafted input cannot crash a
 * run, and the compiler makes every caller look at `ok` before it reaches `value`.
 *
 * `error` is a sentence for people by default; a function whose callers branch on why it failed
 * gives a typed record instead (`buildImagePatch`'s `Result<ImagePatch | undefined, NoSuchContainer>`).
 */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });

export const fail = <E = string>(error: E): Result<never, E> => ({ ok: false, error });
