/**
 * GitHub refuses a comment body longer than 65,536 characters ("body is too long (maximum is
 * 65536 characters)", REST `POST /repos/{owner}/{repo}/issues/{issue_number}/comments`), so a
 * longer one did not come from GitHub: it holds no command and costs no Markdown parse.
 */
export const MAX_COMMENT_LENGTH = 65_536;

/**
 * What can start a command line (parse-command.ts's `COMMAND_LINE`, after `trimEnd`): `/` in the
 * first column of a source line (CommonMark's line endings `\r\n`, `\r`, `\n`), a letter, up to 30
 * letters, digits or `-`, then a blank or the end of the line. The name's length is bounded, so
 * the scan is linear in the body.
 */
const COMMAND_START = /(?:^|[\r\n])\/[A-Za-z][A-Za-z0-9-]{0,30}(?:\s|$)/;

/**
 * Cheap and linear, and imports nothing: whether some line could be a command (the Markdown
 * parse then says whether GitHub shows it as text). A comment that cannot hold a command (nearly
 * every comment, `See /api/v1` and `/tmp/x is full` included) is never parsed as Markdown.
 */
export const mayHoldCommand = (body: string): boolean =>
  body.length <= MAX_COMMENT_LENGTH && COMMAND_START.test(body);
