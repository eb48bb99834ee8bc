/**
 * Text that someone other than the app wrote (a `/lock` reason, a command argument, a check or
 * branch name, a PR title, a config value in an error), shown back in a comment, a check-run
 * summary, a PR body or an issue. GitHub renders all of those as Markdown and turns `@user` and
 * `@org/team` into mentions (with notifications), HTML into markup (`<img>` loads a URL), and
 * `[x](url)` or a bare `www.` into links; none of that happens inside a code span
 * (https://docs.github.com/en/get-started/writing-on-github, "Quoting code"; GitHub Flavored
 * Markdown spec §6.1 code spans, §6.9 autolinks only outside code).
 *
 * So user text is shown inside a code span whose backtick fence is longer than any run of
 * backticks in the text (CommonMark §6.1: a span closes only on a run of the same length), on
 * one line (control, format and separator characters, newlines included, become a space or
 * U+FFFD), and bounded in length.
 */

const DEFAULT_MAX = 200;

// \p{Cf} holds the bidirectional overrides and zero-width joiners that disguise text.
const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const BLANK = /[\t\n\r\v\f\u0085\u2028\u2029]/u;

const oneLine = (text: string, max: number): string => {
  const chars = [...text];
  const clean = chars
    .slice(0, max)
    .map((ch) => (BLANK.test(ch) ? " " : UNSHOWABLE.test(ch) ? "\uFFFD" : ch))
    .join("");
  return chars.length > max ? `${clean}…` : clean;
};

const longestBacktickRun = (text: string): number => {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    run = ch === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
};

export interface UserTextOptions {
  /** Characters kept (longer text ends in `…`); 200 unless told. */
  max?: number;
  /** In a GFM table cell a `|` ends the cell even inside a code span unless escaped (GFM §4.10). */
  inTable?: boolean;
}

/** User text as an inert code span: no mention, no HTML, no link, no way out of the span. */
export const renderUserText = (text: string, options: UserTextOptions = {}): string => {
  let body = oneLine(text, options.max ?? DEFAULT_MAX);
  if (body.trim() === "") return "(empty)";
  if (options.inTable) body = body.replaceAll("|", "\\|");
  const fence = "`".repeat(longestBacktickRun(body) + 1);
  // CommonMark strips one space from each end when both ends have one; a backtick at an end
  // would merge with the fence. A space on each side keeps the text as it is in both cases.
  const pad = body.startsWith("`") || body.endsWith("`") || body.startsWith(" ") || body.endsWith(" ");
  return pad ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
};

// GitHub logins: letters, digits and single hyphens, not at either end, 39 at most.
const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?!-)){0,38}$/;

/**
 * `@login` for a GitHub login, which mentions exactly that account; anything else (a team
 * `org/team`, text from a forged record) is shown as inert text instead.
 */
export const renderLogin = (login: string): string =>
  LOGIN.test(login) && !login.endsWith("-") ? `@${login}` : renderUserText(login, { max: 60 });

// A mention as GitHub links it: `@` after a line start or a non-word character, then a login
// and an optional `/team`.
const MENTION = /(^|[^\w`])@([A-Za-z\d][\w-]*(?:\/[\w.-]+)?)/g;

/**
 * User text kept as prose where a code span would read badly (a commit subject or a PR title in
 * release notes, a CHANGELOG or a release PR body), made inert all the same: each `@mention` in a
 * code span (no notification), `<` escaped so no HTML starts (an `<img>` would load a URL;
 * CommonMark §2.4 backslash escapes), `![` escaped so no image loads, on one line. A bare URL
 * stays a link, as GitHub shows it in the commit itself.
 */
export const renderUserProse = (text: string, options: { max?: number } = {}): string =>
  oneLine(text, options.max ?? 500)
    .replaceAll("<", "\\<")
    .replaceAll("![", "!\\[")
    .replace(MENTION, (_all, before: string, name: string) => `${before}\`@${name}\``);
