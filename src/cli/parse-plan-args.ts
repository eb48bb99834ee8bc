import { parseArgs } from "node:util";
import type { ReleaseRequest } from "../domain/release/release-plan.js";
import { bumpKinds, type BumpKind } from "../domain/version/version.js";
import { UsageError } from "./usage-error.js";

export interface PlanArgs {
  dir: string;
  request: ReleaseRequest;
  config: string | undefined;
  /** Where the release's commits start when no tag marks the previous release. */
  from: string | undefined;
  date: string | undefined;
  json: boolean;
  write: boolean;
}

const isDate = (text: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
};

/** `plan`'s options for node:util parseArgs; a new option is one entry here and one in PLAN_HELP. */
const planOptions = {
  dir: { type: "string", default: "." },
  version: { type: "string" },
  pre: { type: "string" },
  config: { type: "string" },
  from: { type: "string" },
  date: { type: "string" },
  json: { type: "boolean", default: false },
  write: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const PLAN_HELP = `Usage: release-pilot plan [--dir <git checkout>] [--version X.Y.Z|major|minor|patch] [--pre rc]
                         [--config FILE] [--from REF] [--date YYYY-MM-DD] [--json] [--write]

The release plan of a local checkout, as /release would make it: each version file's diff, the
CHANGELOG section and the warnings. Nothing is written without --write.

Options:
  --dir DIR        the git checkout (default: .)
  --version V      X.Y.Z (a leading v is accepted), or major|minor|patch; default: from the
                   conventional commits since the latest release tag
  --pre ID         a pre-release of the bump (rc, beta ...), with major|minor|patch or no --version
  --config FILE    the config file (default: DIR/.github/release-pilot.yml, else the defaults)
  --from REF       where the release's commits start when no release tag marks the previous one
  --date DATE      the release date, YYYY-MM-DD (default: today, UTC)
  --json           the plan as JSON on stdout; errors too ({"error": {...}})
  --write          write the changed files into the checkout
  -h, --help       this text

Exit status: 0 done, 1 failure, 2 usage error, 3 plan refused.`;

/** `plan --help`: nothing else is parsed. */
export const wantsHelp = (argv: readonly string[]): boolean => argv.includes("--help") || argv.includes("-h");

/** `plan` options → typed arguments; throws UsageError with a one-line reason. */
export const parsePlanArgs = (argv: readonly string[]): PlanArgs => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: planOptions,
    }));
  } catch (error) {
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code; its first line is the reason.
    const [reason = ""] = (error instanceof Error ? error.message : String(error)).split("\n");
    throw new UsageError(reason);
  }
  const { pre, date } = values;
  // `v1.2.0` as `/release v1.2.0` takes it (a tag name); only a `v` before a digit is dropped.
  const version =
    values.version !== undefined && /^v\d/.test(values.version) ? values.version.slice(1) : values.version;
  if (date !== undefined && !isDate(date))
    throw new UsageError(`--date "${date}" is not a date (YYYY-MM-DD)`);
  let request: ReleaseRequest;
  if (version === undefined) request = { kind: "auto", pre };
  else if ((bumpKinds as readonly string[]).includes(version))
    request = { kind: "bump", bump: version as BumpKind, pre };
  else if (pre !== undefined)
    throw new UsageError("--pre goes with major|minor|patch or no --version, not an exact version");
  else request = { kind: "exact", version };
  if (values.from !== undefined && !/^(?!-)[\w./@^~-]{1,255}$/.test(values.from))
    throw new UsageError(`--from "${values.from}" is not a git ref`);
  return {
    // @types/node's parseArgs types leave a defaulted option optional: the default is restated.
    dir: values.dir ?? planOptions.dir.default,
    request,
    config: values.config,
    from: values.from,
    date,
    json: values.json ?? planOptions.json.default,
    write: values.write ?? planOptions.write.default,
  };
};
