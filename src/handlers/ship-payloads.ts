import type { Logger } from "probot";
import type { Outcome } from "../domain/outcome.js";
import type { PullFacts } from "../domain/ship/recognize-ship-pull.js";

interface PullPayload {
  number: number;
  title: string;
  body: string | null;
  merged?: boolean | null;
  head: { ref: string; sha: string; repo: { id: number } | null };
  base: { ref: string; repo: { id: number } };
  labels?: readonly { name?: string }[];
}

/** The facts the ship recognisers read, straight from a pull_request payload. */
export const pullFactsOf = (pr: PullPayload): PullFacts => ({
  number: pr.number,
  title: pr.title,
  body: pr.body,
  head: pr.head.ref,
  base: pr.base.ref,
  labels: (pr.labels ?? []).flatMap((l) => (l.name ? [l.name] : [])),
  merged: pr.merged === true,
  sameRepo: pr.head.repo?.id === pr.base.repo.id,
});

export const logOutcome = (log: Logger, step: string, result: Outcome): void =>
  log.info({ step, reason: result.reason, detail: result.message.slice(0, 300) }, `${step} finished`);
