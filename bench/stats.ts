/** The q-quantile (0..1) of the samples, nearest-rank; NaN when there are none. */
export const quantile = (samples: readonly number[], q: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
};

export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** The fastest of `runs` timings of `fn` in milliseconds (the least disturbed by the machine). */
export const bestOf = async (runs: number, fn: () => unknown): Promise<number> => {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
};

/** A small seeded generator (mulberry32), so generated inputs are the same on every run. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** The median of the samples (the lower middle one for an even count); NaN when there are none. */
export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** The lowest and highest sample. */
export const range = (samples: readonly number[]): [number, number] => [
  Math.min(...samples),
  Math.max(...samples),
];
