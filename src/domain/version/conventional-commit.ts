import { CommitParser } from "conventional-commits-parser";

/** A commit message read with the Conventional Commits grammar. */
export interface ConventionalCommit {
  /** `feat`, `fix`, …; undefined when the header is not conventional. */
  type: string | undefined;
  scope: string | undefined;
  subject: string;
  breaking: boolean;
  /** A merge commit header (`Merge pull request #1 …`, `Merge branch …`). */
  merge: boolean;
}

// `feat!:` / `feat(api)!:` mark a breaking change in the header; footers use BREAKING CHANGE.
const parser = new CommitParser({
  headerPattern: /^(\w*)(?:\(([^)]*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\(([^)]*)\))?!: (.*)$/,
  noteKeywords: ["BREAKING CHANGE", "BREAKING-CHANGE"],
});

const MERGE_HEADER = /^Merge (?:pull request|branch|remote-tracking branch) /;

/** Parses one commit message (or PR title) with conventional-commits-parser. */
export const parseConventionalCommit = (message: string): ConventionalCommit => {
  const header = message.split("\n", 1)[0]?.trim() ?? "";
  // Merge commits carry no change of their own; their PR title is read separately.
  if (MERGE_HEADER.test(header))
    return { type: undefined, scope: undefined, subject: header, breaking: false, merge: true };
  const merge = false;
  let parsed;
  try {
    parsed = parser.parse(message);
  } catch {
    return { type: undefined, scope: undefined, subject: header, breaking: false, merge };
  }
  const type = parsed.type ?? undefined;
  const subject = parsed.subject ?? parsed.header ?? header;
  return {
    type: type ? type.toLowerCase() : undefined,
    scope: parsed.scope ?? undefined,
    subject: subject.trim(),
    breaking: parsed.notes.some((n) => /^BREAKING[ -]CHANGE$/.test(n.title)),
    merge,
  };
};
