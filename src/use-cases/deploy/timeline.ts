/** A running log of what a deploy did, with times, for replies and post-mortems. */
import type { TimelineEntry } from "../../domain/deploy/render-post-mortem.js";
import type { Clock } from "../../ports/clock.js";

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  constructor(private readonly clock: Clock) {}
  add(text: string): void {
    const at = this.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
    if (this.entries.at(-1)?.text !== text) this.entries.push({ at, text });
  }
}
