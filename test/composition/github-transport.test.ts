import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { ProbotOctokit } from "probot";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

/**
 * The app's GitHub requests go through the transport the composition root hands Probot
 * (src/composition/github-request.ts), never through Node's fetch, including with the Octokit
 * class a test passes in (TestOctokit here: retries and throttling off).
 */
describe("the app's GitHub requests go through its node:http transport", () => {
  let e2e: EndToEnd;
  /** Calls of Node's fetch that went to the sandbox GitHub while the app worked. */
  const viaGlobalFetch: string[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    // Resume on start: the App's own client lists installations, then installation clients.
    e2e = await startEndToEnd({ resumeDeploys: true });
    await e2e.settle();
    e2e.sandbox.resetRequests();
    globalThis.fetch = jest.fn((input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith(e2e.sandbox.url)) viaGlobalFetch.push(url);
      return realFetch(input, init);
    }) as typeof fetch;
  }, 120_000);

  afterAll(async () => {
    globalThis.fetch = realFetch;
    await e2e?.close();
  });

  it("a command's calls, the installation token's included, reach GitHub without Node's fetch", async () => {
    const { sandbox, repo } = e2e;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "help" });
    sandbox.comment(repo, issue, "maintainer", "/help");
    await e2e.settle({ timeoutMs: 60_000 });
    const fromApp = sandbox.requests.filter((r) => r.fromApp);
    // The reply was written, so the app did call GitHub …
    expect(sandbox.issue(repo, issue).comments.at(-1)?.body).toMatch(/release/i);
    expect(fromApp.some((r) => r.method === "POST" && /\/issues\/\d+\/comments$/.test(r.path))).toBe(true);
    // … and none of those calls went through Node's fetch.
    expect(viaGlobalFetch).toEqual([]);
  }, 90_000);

  it("the App client, an installation client and a test's Octokit class all carry the transport", async () => {
    const { probot } = e2e.app;
    const appClient = (await probot.auth()) as InstanceType<typeof ProbotOctokit>;
    const installation = (await probot.auth(e2e.sandbox.installationId)) as InstanceType<
      typeof ProbotOctokit
    >;
    const fetchOf = (octokit: InstanceType<typeof ProbotOctokit>) =>
      (octokit.request.endpoint.DEFAULTS as { request?: { fetch?: unknown } }).request?.fetch;
    expect(typeof fetchOf(appClient)).toBe("function");
    expect(fetchOf(installation)).toBe(fetchOf(appClient));
    expect(fetchOf(appClient)).not.toBe(realFetch);
    // A call through the installation client, with a per-call `request` option that
    // @octokit/endpoint merges deeply, still goes through it.
    const before = viaGlobalFetch.length;
    const [owner = "", repo = ""] = e2e.repo.split("/");
    const { data } = await installation.request("GET /repos/{owner}/{repo}", {
      owner,
      repo,
      request: { parseSuccessResponseBody: true },
    });
    expect((data as { full_name?: string }).full_name).toBe(e2e.repo);
    expect(viaGlobalFetch.length).toBe(before);
  });

  it("Octokit.defaults merges `request` shallowly: an instance's own `request` replaces the class's", () => {
    const marker = () => Promise.reject(new Error("unused"));
    const WithFetch = ProbotOctokit.defaults({ request: { fetch: marker } });
    const fetchOf = (octokit: InstanceType<typeof ProbotOctokit>) =>
      (octokit.request.endpoint.DEFAULTS as { request?: { fetch?: unknown; timeout?: number } }).request;
    expect(fetchOf(new WithFetch({}))?.fetch).toBe(marker);
    const own = fetchOf(new WithFetch({ request: { timeout: 5 } }));
    expect([own?.fetch, own?.timeout]).toEqual([undefined, 5]);
  });
});
