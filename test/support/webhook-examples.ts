import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

let definitions: Definition[] | undefined;

const load = (): Definition[] => {
  definitions ??= JSON.parse(
    readFileSync(
      join(process.cwd(), "node_modules/@octokit/webhooks-examples/api.github.com/index.json"),
      "utf8",
    ),
  ) as Definition[];
  return definitions;
};

/** A deep copy of a real webhook payload from @octokit/webhooks-examples. */
export const webhookExample = <T = Record<string, unknown>>(event: string, action?: string): T => {
  const definition = load().find((d) => d.name === event);
  const example = definition?.examples.find((e) => action === undefined || e.action === action);
  if (!example)
    throw new Error(`no ${event}${action ? `.${action}` : ""} example in @octokit/webhooks-examples`);
  return structuredClone(example) as T;
};
