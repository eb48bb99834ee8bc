import { describe, it } from "@jest/globals";

/**
 * `/deploy` has no runner in the app yet (it answers "not enabled yet"), so there is no rollout
 * to interrupt. These are the checks to write once `AppDeps.clusters`/`jobs` are wired; the
 * harness (test/reliability/support/harness.ts) already runs several app servers on one sandbox,
 * and `RunningServer.close()` stops one the way a killed pod stops taking webhooks.
 */
describe("the app process killed during a rollout and restarted", () => {
  it.todo(
    "a deployment left in_progress by a killed app is concluded (success or failure) after the restart",
  );
  it.todo("the conclusion is reported once: one deployment status, one comment on the /deploy thread");
  it.todo("a rollout that failed while the app was down is rolled back and reported after the restart");
  it.todo("webhooks delivered while the app was down, redelivered after the restart, change nothing twice");
});
