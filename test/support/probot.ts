import { noopMetrics } from "../../src/ports/metrics.js";
import nock from "nock";
import { Probot } from "probot";
import { pino } from "pino";
import { type AppOverrides, type ComposedApp, composeApp } from "../../src/composition/compose-app.js";
import { settingsFromEnv } from "../../src/composition/settings.js";
import { routes } from "../../src/index.js";
import { testPrivateKey as keys } from "../../sandbox/harness/keys.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";

export const GITHUB = "https://api.github.com";

/**
 * A Probot instance running the real app, composed by production's composition root from an
 * empty environment with test fakes at its seams (a fixed clock, no metrics, and whatever
 * `overrides` swaps in); no network, no retries.
 */
export const createTestProbot = async (
  overrides: AppOverrides = {},
): Promise<{ probot: Probot; app: ComposedApp }> => {
  const app = composeApp(routes, await settingsFromEnv({}), {
    clock: { now: () => new Date("2025-01-15T10:00:00Z") },
    metrics: noopMetrics,
    ...overrides,
  });
  const probot = new Probot({
    appId: 1,
    privateKey: keys(),
    secret: "test-secret",
    Octokit: TestOctokit,
    log: pino({ level: "fatal" }),
  });
  void probot.load(app.app);
  return { probot, app };
};

/** The installation token exchange every event's first API call makes. */
export const nockToken = (installationId: number): nock.Scope =>
  nock(GITHUB)
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, { token: "test-token", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
