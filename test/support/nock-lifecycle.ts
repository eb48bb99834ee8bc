import { afterEach, beforeEach, expect } from "@jest/globals";
import nock from "nock";
import { openApiViolations } from "./test-octokit.js";

/** Every test: no real network, every mock used, every request GitHub's OpenAPI accepts. */
export const useNockLifecycle = (): void => {
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
};
