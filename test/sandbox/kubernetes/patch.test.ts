import { describe, expect, it } from "@jest/globals";
import {
  applyJsonPatch,
  applyMergePatch,
  applyPatch,
  PatchError,
  strategicMerge,
  type Json,
} from "../../../sandbox/kubernetes/patch.js";

describe("JSON patch (RFC 6902)", () => {
  const doc = { a: { b: 1, list: [1, 2, 3] }, "x/y": { "m~n": 0 } };

  it("adds, removes, replaces, moves, copies and tests", () => {
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/a/c", value: 2 },
      { op: "add", path: "/a/list/1", value: 9 },
      { op: "add", path: "/a/list/-", value: 4 },
      { op: "remove", path: "/a/list/0" },
      { op: "replace", path: "/a/b", value: "one" },
      { op: "copy", from: "/a/b", path: "/copied" },
      { op: "move", from: "/a/c", path: "/moved" },
      { op: "test", path: "/x~1y/m~0n", value: 0 },
    ]);
    expect(out).toEqual({
      a: { b: "one", list: [9, 2, 3, 4] },
      "x/y": { "m~n": 0 },
      copied: "one",
      moved: 2,
    });
    expect(doc.a.list).toEqual([1, 2, 3]);
  });

  it("refuses to replace a missing key and fails a failed test", () => {
    expect(() => applyJsonPatch(doc, [{ op: "replace", path: "/nope", value: 1 }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/a/b", value: 2 }])).toThrow(/testing value/);
    expect(() => applyJsonPatch(doc, { op: "add" })).toThrow(/array/);
  });
});

describe("merge patch (RFC 7386)", () => {
  it("merges maps, deletes nulls and replaces lists", () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });
});

describe("strategic merge patch", () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "api", image: "api:1", env: [{ name: "A", value: "1" }] },
            { name: "sidecar", image: "side:1" },
          ],
          tolerations: [{ key: "a" }],
        },
      },
    },
  };

  it("merges containers by name, keeping the others (what kubectl set image sends)", () => {
    const out = strategicMerge(deployment as unknown as Json, {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "api" }, { name: "sidecar" }],
            containers: [{ name: "sidecar", image: "side:2" }],
          },
        },
      },
    });
    expect(out).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              { name: "api", image: "api:1", env: [{ name: "A", value: "1" }] },
              { name: "sidecar", image: "side:2" },
            ],
            tolerations: [{ key: "a" }],
          },
        },
      },
    });
  });

  it("appends new keyed items, deletes with $patch: delete, replaces lists without a merge key", () => {
    const out = strategicMerge(deployment as unknown as Json, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "sidecar", $patch: "delete" },
              { name: "new", image: "n:1" },
            ],
            tolerations: [{ key: "b" }],
          },
        },
      },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["api", "new"]);
    expect(out.spec.template.spec.tolerations).toEqual([{ key: "b" }]);
  });

  it("merges nested keyed lists (env by name)", () => {
    const out = strategicMerge(deployment as unknown as Json, {
      spec: { template: { spec: { containers: [{ name: "api", env: [{ name: "B", value: "2" }] }] } } },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers[0]?.env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
  });

  it("dispatches on the Content-Type and rejects unknown ones", () => {
    expect(applyPatch({ a: 1 }, "application/merge-patch+json; charset=utf-8", { b: 2 })).toEqual({
      a: 1,
      b: 2,
    });
    expect(() => applyPatch({}, "application/apply-patch+yaml", {})).toThrow(/unknown format/);
  });
});
