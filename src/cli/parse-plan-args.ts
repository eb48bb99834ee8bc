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

/** `plan` options → typed arguments; throws UsageError with a one-line reason. */
export const parsePlanArgs = (argv: readonly string[]): PlanArgs => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        dir: { type: "string", default: "." },
        version: { type: "string" },
        pre: { type: "string" },
        config: { type: "string" },
        from: { type: "string" },
        date: { type: "string" },
        json: { type: "boolean", default: false },
        write: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]!);
  }
  const { version, pre, date } = values;
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
    dir: values.dir!,
    request,
    config: values.config,
    from: values.from,
    date,
    json: values.json!,
    write: values.write!,
  };
};
