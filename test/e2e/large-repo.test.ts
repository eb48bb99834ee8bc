import { describe, expect, it } from "@jest/globals";
import { benchLargeRepo } from "../../bench/large-repo.js";

/**
 * `/release` with 20 MB of data files committed on develop, the app in its own process: what the
 * app downloads does not grow with the data (before, the whole repository came as one archive,
 * several MB at this size). Bytes and calls are asserted, never time.
 */
describe("/release on a repository with data files committed", () => {
  it("transfers a bounded number of bytes and makes the usual calls, whatever the data", async () => {
    const figures = await benchLargeRepo(20);
    expect(figures.mbCommitted).toBe(20);
    // The tree listing (one entry per file), the commits since the tag, the version files and
    // the answers to the writes; the data files themselves are never read.
    expect(figures.bytesTransferred).toBeGreaterThan(0);
    expect(figures.bytesTransferred).toBeLessThan(1024 * 1024);
    expect(figures.calls).toBeLessThanOrEqual(16);
    expect(figures.appPeakRssMb).toBeGreaterThan(0);
  }, 600_000);
});
