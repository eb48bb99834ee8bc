import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

describe("starting the app", () => {
  let e2e: EndToEnd;
  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true, resumeDeploys: true, seed: false });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("looks through every installed repository for rollouts to resume, in the background", async () => {
    await e2e.deps.jobs.idle();
    await e2e.sandbox.settled({ timeoutMs: 60_000 });
    const operations = e2e.sandbox.requests.map((r) => r.operationId);
    expect(operations).toContain("apps/list-installations");
    expect(operations).toContain("apps/list-repos-accessible-to-installation");
    expect(e2e.sandbox.violations).toEqual([]);
  });
});
