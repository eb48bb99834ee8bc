import { createHmac, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { quantile, round } from "./stats.js";

export interface SignedEvent {
  event: string;
  body: string;
  signature: string;
}

export const signEvent = (event: string, payload: unknown, secret: string): SignedEvent => {
  const body = JSON.stringify(payload);
  return { event, body, signature: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` };
};

export interface LoadResult {
  sent: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  throughputPerSec: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export const closeAgent = () => agent.destroy();

/**
 * One signed delivery; resolves with its latency in ms, or -1 when not answered 2xx. A kept-alive
 * socket the server closed just as it was reused is reset before the request reaches the server:
 * that delivery is sent again on a fresh socket (as Node's documentation of `reusedSocket` does).
 */
const send = (url: string, e: SignedEvent, retried = false): Promise<number> =>
  new Promise((resolve) => {
    const started = performance.now();
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(e.body),
          "x-github-event": e.event,
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": e.signature,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
          resolve(ok ? performance.now() - started : -1);
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && error.code === "ECONNRESET") resolve(send(url, e, true));
      else resolve(-1);
    });
    req.end(e.body);
  });

const summarize = (latencies: number[], elapsedMs: number): LoadResult => {
  const ok = latencies.filter((l) => l >= 0);
  return {
    sent: latencies.length,
    failed: latencies.length - ok.length,
    p50Ms: round(quantile(ok, 0.5), 3),
    p99Ms: round(quantile(ok, 0.99), 3),
    throughputPerSec: round((ok.length / elapsedMs) * 1000, 1),
  };
};

/** Open loop: `rate` deliveries a second for `seconds`, cycling through the mix. */
export const paced = async (
  url: string,
  mix: SignedEvent[],
  rate: number,
  seconds: number,
): Promise<LoadResult> => {
  const total = Math.round(rate * seconds);
  const pending: Promise<number>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(url, mix[i % mix.length]!));
  }
  const latencies = await Promise.all(pending);
  return summarize(latencies, performance.now() - started);
};

/** Closed loop: `concurrency` senders back to back for `seconds` (or `maxRequests`). */
export const saturate = async (
  url: string,
  mix: SignedEvent[],
  concurrency: number,
  seconds: number,
  maxRequests = 200_000,
): Promise<LoadResult> => {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline && next < maxRequests) {
      latencies.push(await send(url, mix[next++ % mix.length]!));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize(latencies, performance.now() - started);
};
