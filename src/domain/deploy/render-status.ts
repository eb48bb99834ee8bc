/** `/status`: what runs where, per service, with locks, the last deploy and what is in flight. */
import type { EnvironmentLock } from "./lock-message.js";
import { renderLogin, renderUserText } from "../user-text.js";

export interface ServiceStatus {
  deployment: string;
  image: string | undefined;
  version: string | undefined;
  revision: number | undefined;
  ready: number;
  desired: number;
  rollout: "done" | "progressing" | "failed";
  canary?: { image: string | undefined; replicas: number };
}

export interface DeployEntry {
  id: number;
  version: string;
  action: string;
  state: string;
  actor: string;
  at: string;
}

export interface EnvironmentStatus {
  env: string;
  namespace: string;
  lock: EnvironmentLock | undefined;
  /** How long the lock has been held ("for 12 min"), when there is one. */
  lockAge?: string;
  /** Why the lock is stale (its holder is gone); the next command clears it. */
  lockStale?: string;
  services: ServiceStatus[];
  /** The workflow that deploys it, for an environment with a workflow driver (no services read). */
  workflow?: string;
  /** Set when the cluster could not be read. */
  clusterError?: string;
  lastSuccess: DeployEntry | undefined;
  inFlight: DeployEntry[];
}

const rolloutIcon = { done: "✅", progressing: "⏳", failed: "❌" } as const;

function renderEnvironment(s: EnvironmentStatus): string[] {
  const where = s.workflow ? `deployed by the workflow \`${s.workflow}\`` : `namespace \`${s.namespace}\``;
  const lines = [`### \`${s.env}\` (${where})`, ""];
  // One list item per fact: consecutive lines of a Markdown paragraph render as one line on GitHub.
  lines.push(
    s.lock
      ? `- 🔒 Locked by ${renderLogin(s.lock.holder)} since ${renderUserText(s.lock.since)} (${[s.lockAge, s.lock.kind === "deploy" ? "taken by a deploy" : "manual lock"].filter(Boolean).join(", ")}): ${s.lock.reason ? renderUserText(s.lock.reason) : "no reason given"}`
      : "- 🔓 Not locked",
  );
  if (s.lock && s.lockStale)
    lines.push(
      `⚠️ This lock is stale: ${s.lockStale}. The next \`/deploy\`, \`/rollback\`, \`/canary\`, \`/promote\`, \`/abort\` or \`/lock\` here clears it; \`/unlock ${s.env}\` does now.`,
    );
  if (s.lastSuccess)
    lines.push(
      `- Last successful deploy: **${s.lastSuccess.version}** (${s.lastSuccess.action}, deployment ${s.lastSuccess.id}) by ${renderLogin(s.lastSuccess.actor)} at ${s.lastSuccess.at}`,
    );
  for (const d of s.inFlight)
    lines.push(
      `- In flight: **${d.version}** (${d.action}, deployment ${d.id}, ${d.state}) by ${renderLogin(d.actor)}`,
    );
  lines.push("");
  if (s.workflow) return lines;
  if (s.clusterError) {
    lines.push(`⚠️ Could not read the cluster: ${s.clusterError}`, "");
    return lines;
  }
  lines.push(
    "| Service | Version | Image | Revision | Ready | Rollout | Canary |",
    "|---|---|---|---|---|---|---|",
  );
  for (const svc of s.services) {
    const canary =
      svc.canary && svc.canary.replicas > 0 ? `\`${svc.canary.image ?? "?"}\` × ${svc.canary.replicas}` : "—";
    lines.push(
      `| \`${svc.deployment}\` | ${svc.version ?? "?"} | \`${svc.image ?? "?"}\` | ${svc.revision ?? "?"} | ${svc.ready}/${svc.desired} | ${rolloutIcon[svc.rollout]} ${svc.rollout} | ${canary} |`,
    );
  }
  lines.push("");
  return lines;
}

export function renderStatus(environments: readonly EnvironmentStatus[]): string {
  if (environments.length === 0)
    return "No environments are configured (`environments` in `.github/release-pilot.yml`).";
  return ["## Deploy status", "", ...environments.flatMap(renderEnvironment)].join("\n").trimEnd();
}
