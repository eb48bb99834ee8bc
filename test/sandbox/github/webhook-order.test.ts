// The shuffled delivery mode: GitHub guarantees no delivery order
// (https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks), so the
// sandbox can send a burst concurrently, in an order a seed replays.
import { describe, expect, it } from "@jest/globals";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startGitHubSandbox } from "../../../sandbox/github/index.js";
import { shuffled } from "../../../sandbox/github/webhooks.js";

const seeded = (seed: number) => {
  let a = seed;
  return () => ((a = (a * 16807) % 2147483647) - 1) / 2147483646;
};

describe("shuffled", () => {
  it("is a permutation, and the same source of randomness gives the same order", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const once = shuffled(items, seeded(3));
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, seeded(3))).toEqual(once);
    expect(once).not.toEqual(items);
  });
});

describe("a sandbox delivering in shuffled bursts", () => {
  it("sends a burst at once, out of order, and the same seed replays the order", async () => {
    let inFlight = 0;
    let most = 0;
    const received: string[] = [];
    const server = createServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const payload = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { issue?: { title?: string } };
        received.push(String(payload.issue?.title));
        setTimeout(() => {
          inFlight--;
          res.writeHead(200).end();
        }, 100);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const orders: string[][] = [];
    try {
      for (const _ of [1, 2]) {
        const sandbox = await startGitHubSandbox({ webhook: { url, secret: "s" } });
        try {
          await sandbox.createRepo({ owner: "acme", name: "ml", branches: { main: { "README.md": "x\n" } } });
          await sandbox.settled();
          received.length = 0;
          sandbox.webhooks.setOrder({ order: "shuffled", seed: 42, holdMs: 400 });
          for (let i = 0; i < 8; i++) await sandbox.openIssue("acme/ml", "alice", { title: `#${i}` });
          await sandbox.settled({ quietMs: 200 });
          const burst = sandbox.webhooks.bursts.at(-1) ?? [];
          expect(burst).toHaveLength(8);
          expect([...received].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `#${i}`));
          const title = (id: string) =>
            String(
              (sandbox.deliveries.find((d) => d.id === id)?.payload as { issue?: { title?: string } }).issue
                ?.title,
            );
          orders.push(burst.map(title));
        } finally {
          await sandbox.close();
        }
      }
    } finally {
      server.close();
    }
    const inOrder = Array.from({ length: 8 }, (_, i) => `#${i}`);
    expect([...(orders[0] ?? [])].sort()).toEqual(inOrder);
    expect(orders[0]).not.toEqual(inOrder);
    expect(orders[1]).toEqual(orders[0]);
    expect(most).toBeGreaterThan(1);
  });
});
