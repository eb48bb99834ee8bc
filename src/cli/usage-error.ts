/**
 * The CLI's exit codes (documented in the README's CLI section):
 * 0 done; 1 failure (something broke: git, the file system); 2 usage (bad command line or config
 * file: fix the input and run again); 3 refused (the input is well-formed but the plan is refused:
 * the version is not greater than the latest release, already released, nothing to release, a
 * write outside the checkout).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, refused: 3 } as const;

/** Bad input on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A well-formed request the plan refuses: printed as one line, exit code 3. */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
}

export const USAGE = `Usage: release-pilot <command> [options]

Commands:
  plan    the release plan of a local checkout: each file's diff, the CHANGELOG section, warnings

Run "release-pilot <command> --help" for a command's options.
Exit status: 0 done, 1 failure, 2 usage error, 3 plan refused.`;
