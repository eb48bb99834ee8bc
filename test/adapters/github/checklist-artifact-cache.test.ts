import { describe, expect, it } from "@jest/globals";
import { ArtifactCache } from "../../../src/adapters/github/checklist-artifact-cache.js";

const files = (path: string) => [{ path, bytes: new TextEncoder().encode(path) }];

describe("ArtifactCache", () => {
  it("keeps the most recently used entries up to its bound", () => {
    const cache = new ArtifactCache(2);
    cache.set("o/r#1", files("a"));
    cache.set("o/r#2", files("b"));
    expect(cache.get("o/r#1")?.[0]?.path).toBe("a"); // 1 is now the most recent
    cache.set("o/r#3", files("c"));
    expect(cache.size).toBe(2);
    expect(cache.get("o/r#2")).toBeUndefined();
    expect(cache.get("o/r#1")?.[0]?.path).toBe("a");
    expect(cache.get("o/r#3")?.[0]?.path).toBe("c");
  });
});
