import { renderCommitLink } from "./commit-link.js";

/** The links of one shipment, rendered in the comment left on the PR and on the issue. */
export interface ShippedLinks {
  kind: "release" | "hotfix" | "revert";
  tag: string;
  tagUrl: string;
  /** `https://github.com/owner/repo`, for commit links. */
  repoUrl: string;
  release?: { url: string; draft: boolean } | undefined;
  images?: { runUrl: string } | { note: string } | undefined;
  backMerge?:
    { kind: "merged"; sha: string } | { kind: "pull"; url: string } | { kind: "up-to-date" } | undefined;
  models?: readonly { name: string; version: string; url?: string | undefined }[] | undefined;
  problems?: readonly string[] | undefined;
}

/** The start every shipped comment's marker shares, whatever its tag. */
export const SHIPPED_MARKER_PREFIX = "<!-- release-pilot:shipped:";

export const shippedMarker = (tag: string): string => `${SHIPPED_MARKER_PREFIX}${tag} -->`;

const KIND = { release: "Release", hotfix: "Hotfix", revert: "Rollback" } as const;

export const renderShippedComment = (links: ShippedLinks): string => {
  const lines = [shippedMarker(links.tag), `### 🚢 ${KIND[links.kind]} ${links.tag} shipped`, ""];
  lines.push(`- 🏷️ Tag: [\`${links.tag}\`](${links.tagUrl})`);
  if (links.release)
    lines.push(`- 📝 GitHub release${links.release.draft ? " (draft)" : ""}: ${links.release.url}`);
  if (links.images && "runUrl" in links.images)
    lines.push(`- 🏗️ Images: [publishing run](${links.images.runUrl})`);
  else if (links.images) lines.push(`- 🏗️ Images: ${links.images.note}`);
  const back = links.backMerge;
  if (back?.kind === "merged")
    lines.push(`- ↩️ Back-merged into develop: ${renderCommitLink(links.repoUrl, back.sha)}`);
  else if (back?.kind === "pull") lines.push(`- ↩️ Back-merge PR: ${back.url}`);
  else if (back?.kind === "up-to-date") lines.push("- ↩️ develop already has everything from main");
  for (const m of links.models ?? [])
    lines.push(
      `- 🤖 Model ${m.url ? `[${m.name} v${m.version}](${m.url})` : `${m.name} v${m.version}`} tagged`,
    );
  for (const p of links.problems ?? []) lines.push(`- ⚠️ ${p}`);
  return `${lines.join("\n")}\n`;
};
