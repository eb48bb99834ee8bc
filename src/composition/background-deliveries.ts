/**
 * The work of accepted webhook deliveries, run after the delivery is answered. GitHub's best
 * practices ask a receiver to answer with a 2XX within 10 seconds (a slower answer is a failed
 * delivery) and to process the payload asynchronously, from a queue, once it is received
 * (https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks#respond-within-10-seconds).
 * So the server verifies, parses and reads once, routes, hands the delivery (with that reading)
 * here and answers; Probot's listeners (the routing table) then run it, with the reading, as a
 * background job that `idle()`, tests' `settle()` and a graceful stop wait for.
 *
 * What the synchronous answer used to guarantee is kept here:
 * - a failure is told: logged with the delivery id, and, when the delivery belongs to an issue or
 *   a pull request, said in that thread (a fixed sentence, no error text);
 * - a redelivery of a delivery still running (the same `X-GitHub-Delivery`: a delivery's `guid`
 *   is "shared with all deliveries ... for this event", redeliveries included, in the REST API's
 *   hook-delivery schema, https://docs.github.com/en/rest/apps/webhooks#get-a-delivery-for-an-app-webhook)
 *   is answered and not started twice; one redelivered after its work is done goes through the
 *   handlers' own guards (the 👀 reaction on a comment, the lock and record refs of a deploy), as
 *   before;
 * - a payload a route cannot read is not taken here: it goes to Probot's middleware, which fails
 *   it with the status it always did.
 *
 * The work of one repository's deliveries runs one at a time, in the order they were answered
 * (other repositories' alongside): ten `/release` comments sent at once are taken one after
 * another, each seeing what the one before it did, as when each delivery was answered only
 * after its work. GitHub itself promises no order and may deliver at once, so the handlers'
 * own guards still hold across replicas.
 */
import type { Probot } from "probot";
import type { Logger } from "pino";
import { GitHubIssues } from "../adapters/github/github-issues.js";
import { JobTracker } from "../adapters/jobs/job-tracker.js";
import { type DeliveryReading, readDelivery, type Route, routesFor } from "../handlers/routes.js";
import type { ReadingHandOff } from "./compose-app.js";

export interface Delivery {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  /**
   * What the routes it reaches made of its payload, when the webhook pre-filter read it already
   * (src/handlers/routes.ts `readDelivery`); read here otherwise.
   */
  reading?: DeliveryReading;
}

export interface BackgroundDeliveries {
  /** Takes a delivery's work (true), or leaves it to Probot's middleware (false). */
  take(delivery: Delivery): Promise<boolean>;
  /** Resolves once no delivery's work is running (work started meanwhile included). */
  idle(): Promise<void>;
  /** Waits at most `ms` for the running work: the deliveries still running then. */
  settle(ms: number): Promise<string[]>;
  /** How many deliveries' work is running now. */
  readonly running: number;
}

/** How many running deliveries' ids are kept for the redelivery check. */
const IN_FLIGHT_CAP = 10_000;

/** The issue or pull request a delivery belongs to, when it names one. */
const threadOf = (payload: Record<string, unknown>): number | undefined => {
  const of = (key: string) => (payload[key] as { number?: unknown } | null | undefined)?.number;
  const number = of("issue") ?? of("pull_request");
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0 ? number : undefined;
};

const repoOf = (payload: Record<string, unknown>) => {
  const repository = payload.repository as { name: string; owner: { login: string }; html_url?: unknown };
  return {
    repo: { owner: repository.owner.login, repo: repository.name },
    repoUrl: typeof repository.html_url === "string" ? repository.html_url : "",
  };
};

/** The sentence a thread gets when the work of one of its deliveries failed. */
export const deliveryFailedMessage = (delivery: Pick<Delivery, "id" | "name" | "payload">): string => {
  const action = typeof delivery.payload.action === "string" ? `.${delivery.payload.action}` : "";
  return (
    `release-pilot could not finish the work of this \`${delivery.name}${action}\` event. ` +
    `The app's logs hold the details under delivery \`${delivery.id}\`; redelivering it from the ` +
    `App's "Recent Deliveries" tries again.`
  );
};

export const createBackgroundDeliveries = (options: {
  probot: Probot;
  routes: readonly Route[];
  /** Where a delivery's reading is handed to the app's listeners (compose-app.ts). */
  readings: ReadingHandOff;
  log: Pick<Logger, "error" | "info">;
}): BackgroundDeliveries => {
  const { probot, routes, readings, log } = options;
  const jobs = new JobTracker({ error: (fields, message) => log.error(fields, message) });
  const inFlight = new Set<string>();
  // The last work queued per repository; a repository's entry goes once its queue is empty.
  const queues = new Map<string, Promise<void>>();

  const tell = async (delivery: Delivery): Promise<void> => {
    const number = threadOf(delivery.payload);
    const installation = (delivery.payload.installation as { id?: unknown } | undefined)?.id;
    if (number === undefined || typeof installation !== "number") return;
    const octokit = await probot.auth(installation);
    // Only the issues adapter: the repository ports (every GitHub adapter) load with the handlers.
    await new GitHubIssues(octokit, repoOf(delivery.payload).repo).postComment(
      number,
      deliveryFailedMessage(delivery),
    );
  };

  const work = async (delivery: Delivery, reading: DeliveryReading): Promise<void> => {
    try {
      // Probot's own path from a verified delivery to its listeners, minus the second
      // verification and parse its middleware would make; the listeners take the reading
      // handed over with the payload instead of reading it again.
      readings.give(delivery.payload, reading);
      await probot.receive({ id: delivery.id, name: delivery.name, payload: delivery.payload } as Parameters<
        Probot["receive"]
      >[0]);
    } catch (err) {
      log.error({ err, delivery: delivery.id, event: delivery.name }, "webhook work failed");
      await tell(delivery).catch((tellErr: unknown) =>
        log.error(
          { err: tellErr, delivery: delivery.id },
          "could not tell the thread a webhook's work failed",
        ),
      );
    } finally {
      readings.drop(delivery.payload);
      inFlight.delete(delivery.id);
    }
  };

  return {
    take: async (delivery) => {
      // A route's reader is loaded with its module on first use (src/handlers/routes.ts).
      const reading =
        delivery.reading ??
        (await readDelivery(routesFor(routes, delivery.name, delivery.payload.action), delivery.payload));
      for (const r of reading.values()) if (r.kind === "unreadable") return false;
      if (inFlight.has(delivery.id)) {
        log.info(
          { delivery: delivery.id, event: delivery.name },
          "redelivery of a delivery still running; not started again",
        );
        return true;
      }
      // Bounded: a flood of distinct ids beyond it only loses the in-progress de-duplication.
      if (inFlight.size < IN_FLIGHT_CAP) inFlight.add(delivery.id);
      const { repo } = repoOf(delivery.payload);
      const key = `${repo.owner}/${repo.repo}`;
      // `work` never rejects: its failure is logged and told.
      const mine = (queues.get(key) ?? Promise.resolve()).then(() => work(delivery, reading));
      queues.set(key, mine);
      void mine.finally(() => {
        if (queues.get(key) === mine) queues.delete(key);
      });
      jobs.run(`webhook ${delivery.name} ${delivery.id}`, () => mine);
      return true;
    },
    idle: () => jobs.idle(),
    settle: (ms) => jobs.settle(ms),
    get running() {
      return jobs.size;
    },
  };
};
