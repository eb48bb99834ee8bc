import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createTempRepo } from "./temp-repo.js";

const BIN = join(import.meta.dirname, "../../bin/release-pilot.js");

describe("bin/release-pilot.js", () => {
  it("runs the CLI (TypeScript source through tsx when lib/ is not built)", () => {
    const repo = createTempRepo();
    try {
      repo.git(["tag", "v1.1.0"]);
      repo.commit("fix: small thing", { "BankChurn-Predictor/x.py": "1\n" });
      const ok = spawnSync(
        process.execPath,
        [BIN, "plan", "--dir", repo.dir, "--json", "--date", "2025-01-15"],
        { encoding: "utf8" },
      );
      expect(ok.status).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ version: "1.1.1", previousVersion: "1.1.0" });
      const bad = spawnSync(process.execPath, [BIN, "plan", "--dir", repo.dir, "--version", "x.y"], {
        encoding: "utf8",
      });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe('release-pilot: "x.y" is not a SemVer version (X.Y.Z).\n');
    } finally {
      repo.cleanup();
    }
  });
});
