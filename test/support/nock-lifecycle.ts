import { afterAll, afterEach, beforeAll, beforeEach, expect } from "@jest/globals";
import nock from "nock";
import { openApiViolations } from "../../sandbox/harness/test-octokit.js";

/**
 * Every test: no real network, every mock used, every request GitHub's OpenAPI accepts.
 * Nock patches Node's http module for the whole worker process, so it is switched on for this
 * file only and restored after it: later files in the same worker (the sandbox servers, the
 * webhooks they post) then talk to loopback untouched.
 */
export const useNockLifecycle = (): void => {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
  });
  beforeEach(() => {
    nock.disableNetConnect();
    openApiViolations.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(pending).toEqual([]);
    expect(openApiViolations).toEqual([]);
  });
  afterAll(() => {
    nock.restore();
  });
};
