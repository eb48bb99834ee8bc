// Webhook deliveries: signed, asynchronous, recorded, droppable and redeliverable; in order by
// default, or concurrently and shuffled (a seeded order), since GitHub promises neither: "GitHub
// does not guarantee the order of webhook deliveries" and a receiver should expect duplicates
// ("Best practices for using webhooks",
// https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks).
// A restart of the app under test is exercised by stopping its server while the sandbox keeps
// running: deliveries sent meanwhile fail (status 0 or 5xx), stay recorded, and can be
// redelivered with sandbox.redeliver(id) once the app is back.
import { createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";

export interface Delivery {
  id: string;
  event: string;
  action: string | undefined;
  status: number; // HTTP status from the receiver; 0 = not delivered (dropped or unreachable)
  payload: Record<string, unknown>;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface Emitter {
  emit(event: string, payload: Record<string, unknown>): void;
}

function post(target: WebhookTarget, delivery: Delivery): Promise<number> {
  const body = JSON.stringify(delivery.payload);
  const signature = `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
  return new Promise((resolve) => {
    const req = request(
      target.url,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "GitHub-Hookshot/sandbox",
          "x-github-event": delivery.event,
          "x-github-delivery": delivery.id,
          "x-github-hook-id": "1",
          "x-github-hook-installation-target-type": "integration",
          "x-hub-signature-256": signature,
          connection: "close",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/**
 * How deliveries leave: one after another in the order their events happened (the default), or
 * in bursts: what is queued within `holdMs` is shuffled by a PRNG seeded with `seed` (so a
 * failing order can be replayed) and sent all at once.
 */
export type DeliveryOrder = { order: "serial" } | { order: "shuffled"; seed: number; holdMs?: number };

/** mulberry32: a small seeded PRNG, enough to replay an order. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given source of randomness. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export class Webhooks implements Emitter {
  readonly deliveries: Delivery[] = [];
  private queue: Delivery[] = [];
  private running = false;
  private dropNext = 0;
  private mode: DeliveryOrder = { order: "serial" };
  private random: () => number = Math.random;
  /** Every burst sent in shuffled mode, as delivery ids in the order they were sent. */
  readonly bursts: string[][] = [];

  constructor(
    private readonly target: WebhookTarget | undefined,
    private readonly decorate: (payload: Record<string, unknown>) => Record<string, unknown>,
    private readonly touch: () => void,
    /** Sees each payload as it will be sent (the sandbox checks it against GitHub's schemas). */
    private readonly inspect: (event: string, payload: Record<string, unknown>) => void = () => undefined,
  ) {}

  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Switch between serial and shuffled, concurrent deliveries (reseeding the order). */
  setOrder(mode: DeliveryOrder): void {
    this.mode = mode;
    if (mode.order === "shuffled") this.random = seededRandom(mode.seed);
  }

  /** The next n deliveries are recorded but never sent (status 0). */
  drop(n: number): void {
    this.dropNext += n;
  }

  emit(event: string, payload: Record<string, unknown>): void {
    if (!this.target) return;
    const full = this.decorate(payload);
    this.inspect(event, full);
    const delivery: Delivery = {
      id: randomUUID(),
      event,
      action: full.action as string | undefined,
      status: 0,
      payload: full,
    };
    this.deliveries.push(delivery);
    this.touch();
    if (this.dropNext > 0) {
      this.dropNext -= 1;
      return;
    }
    this.queue.push(delivery);
    void this.pump();
  }

  redeliver(id: string): void {
    const original = this.deliveries.find((d) => d.id === id);
    if (!original) throw new Error(`no delivery ${id}`);
    const again: Delivery = { ...original, id: randomUUID(), status: 0 };
    this.deliveries.push(again);
    this.queue.push(again);
    this.touch();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running || !this.target) return;
    this.running = true;
    // Yield once so the API response that caused the event is written first.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const mode = this.mode;
      if (mode.order === "shuffled") {
        // Gather the burst, then send it shuffled and all at once.
        await new Promise((r) => setTimeout(r, mode.holdMs ?? 25));
        const burst = shuffled(this.queue.splice(0), this.random);
        this.bursts.push(burst.map((d) => d.id));
        const target = this.target;
        await Promise.all(
          burst.map(async (d) => {
            d.status = await post(target, d);
            this.touch();
          }),
        );
        continue;
      }
      const next = this.queue.shift()!;
      next.status = await post(this.target, next);
      this.touch();
    }
    this.running = false;
  }
}
