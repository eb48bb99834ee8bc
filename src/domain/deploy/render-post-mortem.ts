/**
 * The post-mortem issue the guide's emergency procedure asks for after a rollback: what happened,
 * who did what and when (the timeline, rollout events included), and links.
 */
export interface TimelineEntry {
  /** ISO timestamp. */
  at: string;
  text: string;
}

export interface PostMortemInput {
  env: string;
  fromVersion: string;
  toVersion: string;
  trigger: "automatic" | "manual";
  actor: string;
  cause: string;
  timeline: readonly TimelineEntry[];
  links: readonly { title: string; url: string }[];
}

export const renderPostMortemTitle = (
  p: Pick<PostMortemInput, "env" | "fromVersion" | "toVersion">,
): string => `Post-mortem: ${p.env} rolled back from ${p.fromVersion} to ${p.toVersion}`;

export function renderPostMortem(p: PostMortemInput): string {
  const lines = [
    `## Summary`,
    "",
    `\`${p.env}\` was rolled back from **${p.fromVersion}** to **${p.toVersion}** (${p.trigger} rollback, started by @${p.actor}).`,
    "",
    `**Cause as seen by release-pilot:** ${p.cause}`,
    "",
    `## Timeline (UTC)`,
    "",
    ...p.timeline.map((e) => `- \`${e.at}\` ${e.text}`),
    "",
    `## Links`,
    "",
    ...(p.links.length ? p.links.map((l) => `- [${l.title}](${l.url})`) : ["- none"]),
    "",
    `## To fill in`,
    "",
    "- [ ] Root cause",
    "- [ ] Impact (users, duration)",
    "- [ ] Hotfix plan (`hotfix/` branch from `main`)",
    "- [ ] Follow-up actions",
    "",
  ];
  return lines.join("\n");
}
