import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KubernetesCluster } from "../../../src/adapters/kubernetes/kubernetes-cluster.js";
import { loadKubeConfig } from "../../../src/adapters/kubernetes/load-kube-config.js";
import { startFakeCluster, type FakeCluster } from "../../../sandbox/kubernetes/index.js";
import { kubectlAvailable, kubectlFor } from "../../kubernetes/kubectl.js";

// https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions: a read from a
// resourceVersion newer than the server's waits for it, then answers 504 Timeout "Too large
// resource version" with a ResourceVersionTooLarge cause (the Status client-go's reflector and
// the Java client recognise: reason Timeout, details.causes, retryAfterSeconds 1).
const WAIT_MS = 150;
const base = "/apis/apps/v1/namespaces/prod/deployments";

let fake: FakeCluster;
beforeEach(async () => {
  fake = await startFakeCluster({ tickMs: 0, tooLargeResourceVersionWaitMs: WAIT_MS });
  fake.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
});
afterEach(async () => {
  await fake.close();
});

const current = (): number => Number(fake.getDeployment("prod", "web")!.metadata.resourceVersion);
const tooLarge = (asked: number) => ({
  kind: "Status",
  apiVersion: "v1",
  status: "Failure",
  reason: "Timeout",
  code: 504,
  message: `Timeout: Too large resource version: ${asked}, current: ${current()}`,
  details: {
    causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
    retryAfterSeconds: 1,
  },
});
const scale = (replicas: number) =>
  fetch(`${fake.url}${base}/web/scale`, {
    method: "PATCH",
    headers: { "content-type": "application/merge-patch+json" },
    body: JSON.stringify({ spec: { replicas } }),
  });

describe("fake API server: a resourceVersion from the future", () => {
  it("answers a watch 504 Too large resource version after waiting, never a hanging stream", async () => {
    const asked = current() + 1000;
    const started = Date.now();
    const res = await fetch(`${fake.url}${base}?watch=true&resourceVersion=${asked}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 10);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject(tooLarge(asked));
  });

  it("answers a list from a future resourceVersion the same way, and serves resourceVersion 0 at once", async () => {
    const asked = current() + 5;
    const res = await fetch(`${fake.url}${base}?resourceVersion=${asked}`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject(tooLarge(asked));
    expect((await fetch(`${fake.url}${base}?resourceVersion=0`)).status).toBe(200);
  });

  it("starts the watch once the server reaches that version, with only the events after it", async () => {
    await fake.close();
    fake = await startFakeCluster({ tickMs: 0, tooLargeResourceVersionWaitMs: 5000 });
    fake.addDeployment({ namespace: "prod", name: "web", image: "web:1", replicas: 1 });
    const asked = current() + 1;
    const watching = fetch(`${fake.url}${base}?watch=true&timeoutSeconds=1&resourceVersion=${asked}`);
    await new Promise((r) => setTimeout(r, 50));
    await scale(2); // reaches `asked`: not sent, the watch starts after it
    await scale(3);
    const res = await watching;
    expect(res.status).toBe(200);
    const events = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: { spec: { replicas: number } } });
    expect(events.map((e) => [e.type, e.object.spec.replicas])).toEqual([["MODIFIED", 3]]);
  });

  it("stops waiting when the server closes, without holding it open for the wait", async () => {
    await fake.close();
    fake = await startFakeCluster({ tickMs: 0, tooLargeResourceVersionWaitMs: 10_000 });
    const watching = fetch(`${fake.url}${base}?watch=true&resourceVersion=99999`).then(
      (r) => r.status,
      () => "cut",
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await fake.close();
    expect(await watching).toBe("cut");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  (kubectlAvailable ? it : it.skip)(
    "gives the real kubectl the 504 on a watch from a future resourceVersion",
    async () => {
      const kubectl = kubectlFor(fake, "prod");
      try {
        // kubectl get dropped --resource-version; --raw sends the same watch request.
        const r = await kubectl.run("get", "--raw", `${base}?watch=true&resourceVersion=${current() + 1000}`);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(
          /Error from server \(Timeout\): Timeout: Too large resource version: \d+, current: \d+/,
        );
      } finally {
        kubectl.cleanup();
      }
    },
    30_000,
  );
});

/**
 * A proxy that bumps the resourceVersion of the first GET of the Deployment, as an API server
 * behind a load balancer that is ahead of the one the watch lands on would answer.
 */
async function aheadProxy(target: string, onWatch: () => void): Promise<{ url: string; server: Server }> {
  let bumped = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", target);
    const isGet = req.method === "GET" && url.pathname === `${base}/web`;
    if (url.searchParams.get("watch") === "true") onWatch();
    const out = request(url, { method: req.method, headers: req.headers }, (upstream) => {
      if (!isGet || bumped) {
        res.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(res);
        return;
      }
      bumped = true;
      const chunks: Buffer[] = [];
      upstream.on("data", (c: Buffer) => chunks.push(c));
      upstream.on("end", () => {
        const d = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          metadata: { resourceVersion: string };
        };
        d.metadata.resourceVersion = String(Number(d.metadata.resourceVersion) + 1_000_000);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(d));
      });
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("the app's watch from a future resourceVersion", () => {
  it("takes the 504 as a broken watch, reads again and follows the rollout to its end", async () => {
    const proxy = await aheadProxy(fake.url, () => fake.startTicking(20));
    try {
      const app = new KubernetesCluster(loadKubeConfig({ kind: "server", server: proxy.url }), {
        retry: { retries: 2, backoffMs: 5 },
      });
      await app.patchDeployment(
        "prod",
        "web",
        { spec: { template: { spec: { containers: [{ name: "web", image: "web:2" }] } } } },
        "strategic",
      );
      const final = await app.watchRollout("prod", "web", { timeoutMs: 15_000 });
      expect(final).toEqual({ kind: "done", message: 'deployment "web" successfully rolled out' });
      const reads = fake.requests.filter((r) => r.path === `${base}/web` || r.query.watch === "true");
      const future = reads.findIndex((r) => Number(r.query.resourceVersion) > 1_000_000);
      expect(future).toBeGreaterThan(0);
      // After the 504: a fresh read, and any later watch from a version the server has.
      expect(reads[future + 1]).toMatchObject({ method: "GET", path: `${base}/web` });
      for (const later of reads.slice(future + 1).filter((r) => r.query.watch === "true"))
        expect(Number(later.query.resourceVersion)).toBeLessThan(1_000_000);
    } finally {
      proxy.server.closeAllConnections();
      await new Promise((r) => proxy.server.close(r));
    }
  }, 30_000);
});
