// Shared test helpers: an Octokit like the app's, without retries or throttling.
import { ProbotOctokit } from "probot";

const Quiet = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object), enabled: false },
}));

export function octokitFor(url: string, token = "x"): InstanceType<typeof ProbotOctokit> {
  return new Quiet({ auth: { token }, baseUrl: url }) as InstanceType<typeof ProbotOctokit>;
}

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  event: string;
  delivery: string;
  signatureValid: boolean;
  payload: Record<string, unknown> & { action?: string };
}

/** A tiny webhook receiver that checks each delivery's HMAC the way Probot does. */
export async function startReceiver(
  secret: string,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
      received.push({
        event: String(req.headers["x-github-event"]),
        delivery: String(req.headers["x-github-delivery"]),
        signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
        payload: JSON.parse(body.toString("utf8")) as Received["payload"],
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
