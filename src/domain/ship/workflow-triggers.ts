import { parseDocument } from "yaml";

/** What a workflow file's `on:` says, as far as dispatching it goes. */
export interface WorkflowTriggers {
  /** The events that start it (`push`, `release`, `workflow_dispatch`, …). */
  events: ReadonlySet<string>;
  /** The inputs its `workflow_dispatch` declares (GitHub refuses a dispatch with any other). */
  dispatchInputs: ReadonlySet<string>;
}

/** Workflow files are small; a bigger text is not read as one (it costs parse time only). */
const MAX_WORKFLOW_CHARS = 512 * 1024;

const keysOf = (value: unknown): string[] =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];

/**
 * The triggers of a GitHub Actions workflow file, or undefined when the text is not a workflow
 * this can read (then the caller just tries). `on` is a string, a list of event names or a map of
 * event → filters ("Workflow syntax for GitHub Actions", `on` and
 * `on.workflow_dispatch.inputs`). The file is read from the released commit, which write users
 * control: the YAML parser runs with alias expansion capped and the text bounded.
 */
export const parseWorkflowTriggers = (text: string): WorkflowTriggers | undefined => {
  if (text.length > MAX_WORKFLOW_CHARS) return undefined;
  let data: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) return undefined;
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  // YAML 1.1 reads a bare `on` key as true; the yaml package (YAML 1.2 core) keeps "on".
  const on = (data as Record<string, unknown>).on;
  let events: string[];
  if (typeof on === "string") events = [on];
  else if (Array.isArray(on)) events = on.filter((e): e is string => typeof e === "string");
  else if (on !== null && typeof on === "object") events = Object.keys(on);
  else return undefined;
  const dispatch =
    on !== null && typeof on === "object" && !Array.isArray(on)
      ? (on as Record<string, unknown>).workflow_dispatch
      : undefined;
  const inputs =
    dispatch !== null && typeof dispatch === "object"
      ? keysOf((dispatch as Record<string, unknown>).inputs)
      : [];
  return { events: new Set(events), dispatchInputs: new Set(inputs) };
};
