/** Bad input on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const USAGE = `Usage: release-pilot plan --dir <git checkout> [--version X.Y.Z|major|minor|patch] [--pre rc]
                         [--config FILE] [--from REF] [--date YYYY-MM-DD] [--json] [--write]`;
