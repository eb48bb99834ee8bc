/**
 * What was last done in an environment, in one line, for a canary command that finds nothing to
 * act on (`/abort` after a promotion, `/promote` with no canary). One cheap read: the newest
 * Deployment record. A record's payload can be written by anyone who may create deployments, so
 * its fields are shown as inert text (no mention, no markup); a failed read says nothing.
 */
import { renderUserText } from "../../domain/user-text.js";
import type { DeployDeps } from "./deploy-deps.js";

export async function lastDone(deps: Pick<DeployDeps, "records">, env: string): Promise<string | undefined> {
  const [newest] = await deps.records.list({ environment: env, limit: 1 }).catch(() => []);
  if (!newest) return undefined;
  const version = newest.payload?.version ?? newest.ref;
  const action = newest.payload?.action ?? newest.task;
  const actor = newest.payload?.actor ?? newest.creator;
  return `The last change recorded on \`${env}\`: ${renderUserText(action, { max: 40 })} of ${renderUserText(version, { max: 80 })} (deployment ${newest.id}, ${newest.state ?? "no status"}) by ${renderUserText(actor, { max: 60 })} at ${renderUserText(newest.createdAt, { max: 40 })}.`;
}
