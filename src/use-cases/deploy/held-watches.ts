/**
 * The watch claims this instance holds for the rollouts it is driving, so that a stopping app can
 * hand the unfinished ones over: their claims released, the next instance (or this one restarted)
 * takes them at once, and the drivers left behind write no more state.
 */
export interface HeldWatch {
  readonly key: string;
  /** Set once the claim was handed over: the driver must leave the lock and the claim alone. */
  handedOver: boolean;
}

export class HeldWatches {
  /** Each held watch and how to release its claim. */
  private readonly held = new Map<HeldWatch, () => Promise<void>>();

  hold(key: string, release: () => Promise<void>): HeldWatch {
    const entry: HeldWatch = { key, handedOver: false };
    this.held.set(entry, release);
    return entry;
  }

  drop(watch: HeldWatch): void {
    this.held.delete(watch);
  }

  get keys(): string[] {
    return [...this.held.keys()].map((w) => w.key);
  }

  /** Release every claim still held: the keys released (a failed release is left to expire). */
  async handOver(onError: (key: string, err: unknown) => void = () => undefined): Promise<string[]> {
    const entries = [...this.held];
    this.held.clear();
    for (const [entry] of entries) entry.handedOver = true;
    const released: string[] = [];
    await Promise.all(
      entries.map(async ([entry, release]) => {
        try {
          await release();
          released.push(entry.key);
        } catch (err) {
          onError(entry.key, err);
        }
      }),
    );
    return released;
  }
}
