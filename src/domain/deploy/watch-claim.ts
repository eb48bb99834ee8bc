/**
 * A rollout's watch claim as people read it in the repository (the message of the commit the ref
 * `refs/release-pilot/watch/<key>` points at): which app instance drives the rollout, and until
 * when. Past `expires` the driver has given up anyway (its rollout watch and verification are
 * bounded by the environment's timeout), so another instance may take the claim over.
 */
import { parseRefMessage, renderRefMessage } from "./ref-message.js";

export interface WatchClaim {
  key: string;
  holder: string;
  /** ISO timestamp. */
  expires: string;
}

const HEADER = "release-pilot watch: ";

export const renderWatchClaim = (claim: WatchClaim): string =>
  renderRefMessage(HEADER, claim.key, [
    ["holder", claim.holder],
    ["expires", claim.expires],
  ]);

/**
 * The claim a commit message describes, or undefined when it is not one of ours. Claims written
 * before claims expired carry no `expires`: the caller dates them (see `decideClaim`).
 */
export function parseWatchClaim(text: string): { key: string; holder: string; expires?: string } | undefined {
  const message = parseRefMessage(text, HEADER);
  if (!message) return undefined;
  const { field } = message;
  const holder = field("holder");
  if (!holder) return undefined;
  const expires = field("expires");
  const valid = expires !== undefined && !Number.isNaN(Date.parse(expires));
  return { key: message.name, holder, ...(valid ? { expires } : {}) };
}

/** Time to verify a finished rollout (health checks, smoke tests), on top of the watch's timeout. */
export const DEFAULT_CLAIM_MARGIN_SECONDS = 60;

/** How long a claim taken now lasts: one rollout watch (the timeout) plus a margin for verifying it. */
export const claimExpiry = (now: Date, timeoutSeconds: number, marginSeconds: number): string =>
  new Date(now.getTime() + (timeoutSeconds + marginSeconds) * 1000).toISOString();

/** A claim as found: its holder, its expiry when written, and when it was written. */
export interface FoundClaim {
  holder: string;
  expires?: string | undefined;
  /** ISO timestamp of the claim's commit. */
  claimedAt: string;
}

export type ClaimDecision =
  | { kind: "free" }
  /** Left by this same instance before a restart: take it back now. */
  | { kind: "own" }
  /** Its holder is gone or has given up: take it over. */
  | { kind: "expired"; holder: string }
  /** Someone is watching: look again at `until` (or sooner, should it be released). */
  | { kind: "held"; holder: string; until: Date };

/**
 * What a resumer does about a rollout's claim. A claim without `expires` (written by an older
 * version) lasts `ttlMs` from its commit.
 */
export function decideClaim(
  claim: FoundClaim | undefined,
  instance: string,
  now: Date,
  ttlMs: number,
): ClaimDecision {
  if (!claim) return { kind: "free" };
  if (claim.holder === instance) return { kind: "own" };
  const until = claim.expires ? Date.parse(claim.expires) : Date.parse(claim.claimedAt) + ttlMs;
  if (Number.isNaN(until) || now.getTime() >= until) return { kind: "expired", holder: claim.holder };
  return { kind: "held", holder: claim.holder, until: new Date(until) };
}
