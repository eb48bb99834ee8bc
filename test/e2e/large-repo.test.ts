import { describe, expect, it } from "@jest/globals";
import { benchLargeRepo } from "../../bench/large-repo.js";

/**
 * `/release` with data files committed on develop (a quarter in large CSVs, the rest in 16 KB
 * shards, 500 a directory under `data/shards/`), the app in its own process. The release lists
 * only the directories that can hold version files, so what it downloads does not grow with the
 * data: neither with its size (before, the whole repository came as one archive) nor with the
 * number of files (before, a recursive tree listing held one entry per file: 3.9 MB at 300 MB,
 * about 14,000 files). Bytes (on the wire, gzip as the app asks) and calls are asserted, never
 * time.
 */
describe("/release on a repository with data files committed", () => {
  it("transfers the same bytes and makes the same calls with 20 MB or 80 MB of data", async () => {
    const small = await benchLargeRepo(20);
    const large = await benchLargeRepo(80);
    expect([small.mbCommitted, large.mbCommitted]).toEqual([20, 80]);
    // The listing of the configured services, the commits since the tag, the CHANGELOG and the
    // version files, and the answers to the writes: tens of KB, whatever the data.
    for (const f of [small, large]) {
      expect(f.bytesTransferred).toBeGreaterThan(0);
      expect(f.bytesTransferred).toBeLessThan(64 * 1024);
      expect(f.calls).toBeLessThanOrEqual(16);
      expect(f.appPeakRssMb).toBeGreaterThan(0);
    }
    // Four times the data and files: the same calls, and the same bytes but for the compare's
    // entries of the data commits themselves (3 commits at 20 MB, 10 at 80 MB, about 200 bytes
    // each once compressed): 1.3 KB apart when measured, where a listing of every file would
    // differ by megabytes.
    expect(large.calls).toBe(small.calls);
    expect(Math.abs(large.bytesTransferred - small.bytesTransferred)).toBeLessThan(4 * 1024);
  }, 900_000);
});
