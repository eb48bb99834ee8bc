import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "./index.js";
import { octokitFor, startReceiver } from "./helpers.js";

let sandbox: GitHubSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gh: ReturnType<typeof octokitFor>;
const repo = { owner: "acme", repo: "svc" };
const NAME = "acme/svc";

beforeAll(async () => {
  receiver = await startReceiver("k");
  sandbox = await startGitHubSandbox({ webhook: { url: receiver.url, secret: "k" } });
  gh = octokitFor(sandbox.url);
  await sandbox.createRepo({ owner: "acme", name: "svc", branches: { main: { VERSION: "1.0.0\n" } } });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("fault injection, request log and webhook delivery control", () => {
  it("answers injected statuses, with retry-after for secondary rate limits, for the given number of times", async () => {
    sandbox.faults.add({ method: "GET", path: "/repos/acme/svc", status: 403, retryAfter: 7, times: 1 });
    const error = (await gh.rest.repos.get(repo).catch((e: unknown) => e)) as {
      status: number;
      message: string;
      response: { headers: Record<string, string> };
    };
    expect(error.status).toBe(403);
    expect(error.message).toContain("secondary rate limit");
    expect(error.response.headers["retry-after"]).toBe("7");
    const ok = await gh.rest.repos.get(repo);
    expect(ok.status).toBe(200);

    sandbox.faults.add({ path: /\/git\/ref\//, status: 502 });
    await expect(gh.rest.git.getRef({ ...repo, ref: "heads/main" })).rejects.toMatchObject({ status: 502 });
    await expect(gh.rest.git.getRef({ ...repo, ref: "heads/main" })).rejects.toMatchObject({ status: 502 });
    sandbox.faults.clear();
    await expect(gh.rest.git.getRef({ ...repo, ref: "heads/main" })).resolves.toMatchObject({ status: 200 });
  });

  it("drops connections and delays responses", async () => {
    sandbox.faults.add({ path: "/repos/acme/svc", drop: true, times: 1 });
    await expect(gh.rest.repos.get(repo)).rejects.toBeDefined();
    sandbox.faults.add({ path: "/repos/acme/svc", latencyMs: 30, times: 1 });
    await expect(gh.rest.repos.get(repo)).resolves.toMatchObject({ status: 200 });
    expect(
      sandbox.requests
        .filter((r) => r.path === "/repos/acme/svc")
        .map((r) => r.status)
        .slice(-2),
    ).toEqual([0, 200]);
  });

  it("logs requests with their operation and whether the app made them", async () => {
    sandbox.resetRequests();
    await gh.rest.issues.create({ ...repo, title: "x" });
    expect(sandbox.requests).toEqual([
      {
        method: "POST",
        path: "/repos/acme/svc/issues",
        operationId: "issues/create",
        status: 201,
        fromApp: true,
        at: expect.any(Number),
      },
    ]);
  });

  it("drops webhook deliveries on request and redelivers them", async () => {
    await sandbox.settled();
    const before = receiver.received.length;
    sandbox.webhooks.drop(1);
    const number = await sandbox.openIssue(NAME, "alice", { title: "dropped" });
    await sandbox.settled();
    expect(receiver.received.length).toBe(before);
    const dropped = sandbox.deliveries.at(-1)!;
    expect(dropped).toMatchObject({ event: "issues", action: "opened", status: 0 });
    sandbox.redeliver(dropped.id);
    await sandbox.settled();
    expect(receiver.received.at(-1)!.payload).toMatchObject({ action: "opened", issue: { number } });
    expect(sandbox.deliveries.at(-1)!.status).toBe(202);
  });

  it("records deliveries to an app that is down as failed", async () => {
    await receiver.close();
    sandbox.comment(NAME, 1, "alice", "anyone?");
    await sandbox.settled();
    expect(sandbox.deliveries.at(-1)).toMatchObject({ event: "issue_comment", status: 0 });
  });
});

afterAll(() => {
  expect(sandbox.violations).toEqual([]);
});
