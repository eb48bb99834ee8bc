import { createHash } from "node:crypto";
import type { CheckRunOutput } from "../checklist/render-check-run-output.js";
import { renderUserText } from "../user-text.js";

export const CONFIG_CHECK_NAME = "release-pilot config";

/** GitHub rejects check-run summaries longer than 65535 characters (POST /repos/{owner}/{repo}/check-runs). */
const MAX_SUMMARY = 65000;
const EXTERNAL_ID_PREFIX = "release-pilot:config:";

/** What loading the pushed config file found. */
export interface ConfigCheckFacts {
  path: string;
  valid: boolean;
  /** The problems found, worded for people (when the file is not valid). */
  errors: readonly string[];
  /** Every file read, the config file first and then what it `_extends`. */
  files: readonly string[];
}

/** One line per problem, whole lines only, cut with a count of the rest before GitHub's limit. */
const problemList = (errors: readonly string[]): string => {
  const lines: string[] = [];
  let length = 0;
  for (const [index, error] of errors.entries()) {
    const line = `- ${renderUserText(error, { max: 500 })}`;
    if (length + line.length + 1 > MAX_SUMMARY - 100) {
      lines.push(`- … and ${errors.length - index} more problem(s)`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join("\n");
};

/**
 * The completed check run that says whether a pushed config file is valid. Each problem is shown
 * as user text (a pushed file is written by anyone with write access, a fork PR's author included),
 * and the summary is cut to what GitHub takes whatever the number of problems.
 */
export const renderConfigCheckRun = (facts: ConfigCheckFacts): CheckRunOutput => {
  const { valid } = facts;
  const title = valid
    ? "The release-pilot config is valid"
    : `${facts.errors.length} problem(s) in ${facts.path}`;
  const summary = valid
    ? `\`${facts.path}\` is valid${facts.files.length > 1 ? ` (with ${facts.files.slice(1).join(", ")})` : ""}.`
    : problemList(facts.errors);
  const conclusion = valid ? "success" : "failure";
  const digest = createHash("sha256")
    .update(JSON.stringify([CONFIG_CHECK_NAME, conclusion, title, summary]))
    .digest("hex")
    .slice(0, 32);
  return {
    name: CONFIG_CHECK_NAME,
    status: "completed",
    conclusion,
    externalId: `${EXTERNAL_ID_PREFIX}${digest}`,
    output: { title, summary },
  };
};
