/**
 * An environment lock as people read it in the repository (the message of the commit a lock ref
 * points at): who holds it, why, since when, and whether a running deploy took it.
 */
import { parseRefMessage, renderRefMessage } from "./ref-message.js";
import { renderLogin, renderUserText } from "../user-text.js";

export interface EnvironmentLock {
  env: string;
  holder: string;
  reason: string;
  /** ISO timestamp. */
  since: string;
  kind: "manual" | "deploy";
  /**
   * A deploy's or rollback's lock is a bare ref onto an existing commit, this one: who, why and
   * since when are in the payload of the Deployment record that carries the same `at`.
   */
  at?: string | undefined;
}

const HEADER = "release-pilot lock: ";

export const renderLockMessage = (lock: EnvironmentLock): string =>
  renderRefMessage(HEADER, lock.env, [
    ["holder", lock.holder],
    ["reason", lock.reason.replace(/(?<!\s)\s*\n\s*/g, " ")],
    ["since", lock.since],
    ["kind", lock.kind],
  ]);

/** The lock a commit message describes, or undefined when it is not one of ours. */
export function parseLockMessage(text: string): EnvironmentLock | undefined {
  const message = parseRefMessage(text, HEADER);
  if (!message) return undefined;
  const { field } = message;
  const holder = field("holder");
  const since = field("since");
  const kind = field("kind");
  if (!holder || !since || (kind !== "manual" && kind !== "deploy")) return undefined;
  return { env: message.name, holder, reason: field("reason") ?? "", since, kind };
}

/** The refusal people see when an environment is locked. */
export const renderLockRefusal = (lock: EnvironmentLock | undefined, env: string): string =>
  lock
    ? `\`${env}\` is locked by ${renderLogin(lock.holder)} since ${renderUserText(lock.since)} (${lock.kind === "deploy" ? "a deploy is running" : "manual lock"}): ${lock.reason ? renderUserText(lock.reason) : "no reason given"}. ${lock.kind === "manual" ? `\`/unlock ${env}\` releases it.` : "Try again when it finishes."}`
    : `\`${env}\` is locked (the lock is being changed right now); try again in a moment.`;
