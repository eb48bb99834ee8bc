import { describe, expect, it } from "@jest/globals";
import { ProbotOctokit } from "probot";
import { instrumentOctokit } from "../../../src/adapters/metrics/instrument-octokit.js";
import type { Octokit } from "../../../src/adapters/github/octokit.js";
import type { Metrics } from "../../../src/ports/metrics.js";

interface Call {
  installationId: number;
  route?: string;
  status?: number;
  remaining?: number;
}

/** A Metrics port that remembers what it was told. */
const recorder = (): Pick<Metrics, "githubRequest" | "rateLimitRemaining"> & { calls: Call[] } => {
  const calls: Call[] = [];
  return {
    calls,
    githubRequest: (installationId, route, status) => calls.push({ installationId, route, status }),
    rateLimitRemaining: (installationId, remaining) => calls.push({ installationId, remaining }),
  };
};

/** The app's real Octokit class, answered by a local fetch instead of the network. */
const octokitAnswering = (respond: (url: string) => Response | Promise<Response>): Octokit =>
  new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: false },
    throttle: { enabled: false },
    request: { fetch: (url: string) => respond(url) },
  });

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("instrumentOctokit", () => {
  it("records the route template, not the expanded URL, and the rate-limit headroom", async () => {
    const urls: string[] = [];
    const metrics = recorder();
    const octokit = instrumentOctokit(
      octokitAnswering((url) => {
        urls.push(url);
        return json(200, [], { "x-ratelimit-remaining": "4321" });
      }),
      99,
      metrics,
    );

    await octokit.rest.pulls.list({ owner: "acme", repo: "ml-portfolio", per_page: 100 });

    expect(urls).toEqual(["https://api.github.com/repos/acme/ml-portfolio/pulls?per_page=100"]);
    expect(metrics.calls).toEqual([
      { installationId: 99, route: "GET /repos/{owner}/{repo}/pulls", status: 200 },
      { installationId: 99, remaining: 4321 },
    ]);
  });

  it("records failed calls with their status and still throws them", async () => {
    const metrics = recorder();
    const octokit = instrumentOctokit(
      octokitAnswering(() =>
        json(422, { message: "Reference already exists" }, { "x-ratelimit-remaining": "17" }),
      ),
      5,
      metrics,
    );

    await expect(
      octokit.rest.git.createRef({ owner: "acme", repo: "app", ref: "refs/heads/lock", sha: "a".repeat(40) }),
    ).rejects.toMatchObject({ status: 422 });
    expect(metrics.calls).toEqual([
      { installationId: 5, route: "POST /repos/{owner}/{repo}/git/refs", status: 422 },
      { installationId: 5, remaining: 17 },
    ]);
  });

  it("records a call that got no answer as status 0, not as a GitHub 500", async () => {
    const metrics = recorder();
    const octokit = instrumentOctokit(
      octokitAnswering(() => Promise.reject(new TypeError("connection refused"))),
      5,
      metrics,
    );

    await expect(octokit.rest.repos.get({ owner: "acme", repo: "app" })).rejects.toThrow();
    expect(metrics.calls).toEqual([{ installationId: 5, route: "GET /repos/{owner}/{repo}", status: 0 }]);
  });
});
