import { noopMetrics } from "../../src/ports/metrics.js";
import nock from "nock";
import { Probot } from "probot";
import { pino } from "pino";
import { FileCache } from "../../src/adapters/github/read-repo-file.js";
import type { AppDeps } from "../../src/handlers/app-deps.js";
import { createApp } from "../../src/index.js";
import { testPrivateKey as keys } from "../../sandbox/harness/keys.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";

export const GITHUB = "https://api.github.com";

/** A Probot instance running the real app with test dependencies; no network, no retries. */
export const createTestProbot = (deps: Partial<AppDeps> = {}): { probot: Probot; deps: AppDeps } => {
  const full: AppDeps = {
    clock: { now: () => new Date("2025-01-15T10:00:00Z") },
    fileCache: new FileCache(),
    runners: {},
    metrics: noopMetrics,
    ...deps,
  };
  const probot = new Probot({
    appId: 1,
    privateKey: keys(),
    secret: "test-secret",
    Octokit: TestOctokit,
    log: pino({ level: "fatal" }),
  });
  void probot.load(createApp(full));
  return { probot, deps: full };
};

/** The installation token exchange every event's first API call makes. */
export const nockToken = (installationId: number): nock.Scope =>
  nock(GITHUB)
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, { token: "test-token", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
