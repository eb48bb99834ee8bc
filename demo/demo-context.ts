import type { EndToEnd } from "../sandbox/harness/e2e.js";

/** What every demo step gets: the running stack and a few conveniences. */
export interface DemoContext extends EndToEnd {
  /** Remembered between steps (issue numbers, PR numbers, SHAs). */
  memory: Map<string, unknown>;
  /** The bot's newest comment on an issue or PR. */
  lastBotComment(number: number): string;
}

export interface DemoStep {
  title: string;
  /** Acts as a person would, waits for the bot, then checks what it did; throws on a deviation. */
  run(context: DemoContext): Promise<string>;
}

export class DemoDeviation extends Error {}

export const expectThat = (condition: boolean, message: string): void => {
  if (!condition) throw new DemoDeviation(message);
};
