import { describe, expect, it } from "@jest/globals";
import { shipOnData } from "./ship-on-data.js";

/**
 * `/revert` and a hotfix (its bump, then its merge shipping the tag) on the sample monorepo with
 * 20 MB of data files committed on main (large CSVs and 16 KB shards, before v1.1.0, so they are
 * in every tree read and in no release's changes), and without them. The bump reads the branch's
 * version files as `/release` does, the revert only the files the release changed: what they
 * transfer does not grow with the data (before, each read the whole repository as an archive, the
 * revert three times). The release checklist, which runs on the hotfix PR and on the rollback PR,
 * lists only the version files' directories too (run-checklist.ts `listPaths`), never the whole
 * tree. Bytes (on the wire, gzip as the app asks) and calls are asserted, never time.
 */
describe("the hotfix ship and /revert on a repository with data files committed", () => {
  it("transfer the same bytes, make the same calls and never download an archive, with or without data", async () => {
    const bare = await shipOnData(0);
    const data = await shipOnData(20);
    for (const run of [bare, data]) {
      expect(run.replies[0]).toContain("rollback of v1.2.0 to the v1.1.0 state");
      expect(run.replies[1]).toContain("1.2.0 → **1.2.1**");
      expect(run.replies[1]).toContain("Hotfix v1.2.1 shipped");
      for (const step of [run.revert, run.hotfixBump, run.hotfixShip]) {
        expect(step.archives).toBe(0);
        expect(step.byOperation["repos/download-tarball-archive"]).toBeUndefined();
        expect(step.byOperation["git/get-tree"]).toBeUndefined();
        expect(step.calls).toBeGreaterThan(0);
        // Tens of KB in all: the 20 MB of data would be about 5 MB as an archive.
        expect(step.bytes).toBeLessThan(64 * 1024);
      }
    }
    for (const step of ["revert", "hotfixBump", "hotfixShip"] as const) {
      expect(data[step].calls).toBe(bare[step].calls);
      // The same reads; what differs is SHAs and dates in the answers: bytes, not megabytes.
      expect(Math.abs(data[step].bytes - bare[step].bytes)).toBeLessThan(4 * 1024);
    }
  }, 900_000);
});
