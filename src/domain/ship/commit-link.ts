/**
 * A commit named in a comment or release body, as a link to it. GitHub autolinks a bare SHA
 * but not one inside a code span ("Autolinked references and URLs", Commit SHAs), so the short
 * SHA is written as an explicit link: it stays a link on GitHub Enterprise Server and in any
 * template text around it.
 */
export const renderCommitLink = (repoUrl: string, sha: string): string =>
  /^[0-9a-f]{7,64}$/i.test(sha)
    ? `[\`${sha.slice(0, 7)}\`](${repoUrl}/commit/${sha})`
    : `\`${sha.slice(0, 7)}\``;
