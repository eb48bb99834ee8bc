import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startGitHubSandbox, type GitHubSandbox } from "../../../sandbox/github/index.js";
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

  // https://docs.github.com/en/rest/git/refs#create-a-reference and #update-a-reference: 422
  // carries several meanings, told apart only by the message.
  it("answers each of GitHub's 422s on ref writes: its own, and the injected ones by name", async () => {
    const main = (await gh.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    const refusal = async (write: Promise<unknown>) => {
      const e = (await write.catch((error: unknown) => error)) as {
        status: number;
        response: { data: unknown };
      };
      expect(e.status).toBe(422);
      return (e.response.data as { message: string }).message;
    };
    const create = (ref: string, sha = main) => gh.rest.git.createRef({ ...repo, ref, sha });
    expect(await refusal(create("refs/heads/main"))).toBe("Reference already exists");
    expect(await refusal(create("refs/heads/x", "0".repeat(40)))).toBe("Object does not exist");
    expect(await refusal(gh.rest.git.updateRef({ ...repo, ref: "heads/nope", sha: main }))).toBe(
      "Reference does not exist",
    );

    sandbox.faults.add({
      method: "POST",
      path: "/repos/acme/svc/git/refs",
      refusal: "reference-update-failed",
      times: 1,
    });
    expect(await refusal(create("refs/heads/flaky"))).toBe("Reference update failed");
    await expect(create("refs/heads/flaky")).resolves.toMatchObject({ status: 201 }); // intermittent

    sandbox.faults.add({
      method: "POST",
      path: "/repos/acme/svc/git/refs",
      refusal: "creations-restricted",
      times: 1,
    });
    expect(await refusal(create("refs/heads/release/v9"))).toContain(
      "Cannot create ref due to creations being restricted.",
    );
    sandbox.faults.add({
      method: "PATCH",
      path: /\/git\/refs\/heads(\/|%2F)flaky$/,
      refusal: "updates-restricted",
      times: 1,
    });
    expect(await refusal(gh.rest.git.updateRef({ ...repo, ref: "heads/flaky", sha: main }))).toContain(
      "Cannot update this protected ref.",
    );
    expect(await sandbox.getRef(NAME, "heads/release/v9")).toBeUndefined();
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
        bytes: expect.any(Number),
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
