import { describe, expect, it } from "@jest/globals";
import {
  findLastGoodRevision,
  isFullyAvailable,
} from "../../../src/domain/deploy/find-last-good-revision.js";
import { replicaSet } from "./fixtures.js";

describe("findLastGoodRevision", () => {
  const good = new Set([1, 3]);
  const isGood = (_rs: unknown, revision: number) => good.has(revision);

  it("skips a bad previous revision for the newest good older one", () => {
    const sets = [
      replicaSet(1, "web:1"),
      replicaSet(2, "web:2"),
      replicaSet(3, "web:3"),
      replicaSet(4, "web:4"),
    ];
    expect(findLastGoodRevision(sets, 4, isGood)?.revision).toBe(3);
    expect(findLastGoodRevision(sets, 3, isGood)?.revision).toBe(1);
    expect(findLastGoodRevision(sets, 1, isGood)).toBeUndefined();
  });

  it("never picks a revision running the current template", () => {
    const sets = [replicaSet(1, "web:1"), replicaSet(3, "web:4"), replicaSet(4, "web:4")];
    expect(findLastGoodRevision(sets, 4, () => true)?.revision).toBe(1);
  });

  it("isFullyAvailable needs every desired pod available", () => {
    expect(isFullyAvailable(replicaSet(1, "a", { replicas: 3, available: 3 }))).toBe(true);
    expect(isFullyAvailable(replicaSet(1, "a", { replicas: 3, available: 2 }))).toBe(false);
    expect(isFullyAvailable(replicaSet(1, "a", { replicas: 0 }))).toBe(false);
  });
});
