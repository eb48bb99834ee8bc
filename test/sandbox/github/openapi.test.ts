import { describe, expect, it } from "@jest/globals";
import { findOperation, validateRequest, validateResponse } from "../../../sandbox/github/openapi.js";

describe("openapi", () => {
  it("finds operations, decoding parameters and allowing slashes in a trailing ref/path", () => {
    expect(findOperation("GET", "/api/v3/repos/o/r/git/ref/heads/release/v1.2.0?x=1")).toEqual({
      operationId: "git/get-ref",
      pathTemplate: "/repos/{owner}/{repo}/git/ref/{ref}",
      params: { owner: "o", repo: "r", ref: "heads/release/v1.2.0" },
    });
    expect(findOperation("GET", "/repos/o/r/git/ref/heads%2Fmain")?.params.ref).toBe("heads/main");
    expect(findOperation("GET", "/repos/o/r/contents/services/bank/pyproject.toml")?.params.path).toBe(
      "services/bank/pyproject.toml",
    );
    expect(findOperation("GET", "/repos/o/r/compare/main...release/v1")?.params.basehead).toBe(
      "main...release/v1",
    );
    expect(findOperation("GET", "/repos/o/r/compare/main...develop")?.params).toMatchObject({
      base: "main",
      head: "develop",
    });
    // A literal segment wins over a parameter: /releases/latest is not /releases/{release_id}.
    expect(findOperation("GET", "/repos/o/r/releases/latest")?.operationId).toBe("repos/get-latest-release");
    expect(findOperation("GET", "/repos/o/r/nothing-here")).toBeUndefined();
    expect(findOperation("DELETE", "/repos/o/r/git/refs/tags/v1.0.0")?.operationId).toBe("git/delete-ref");
  });

  it("rejects unknown routes, missing query parameters and bad bodies", () => {
    expect(validateRequest({ method: "GET", url: "/nope" })).toEqual(["GET /nope: unknown operation"]);
    expect(
      validateRequest({
        method: "POST",
        url: "/repos/o/r/git/refs",
        body: { ref: "refs/heads/x", sha: "abc" },
      }),
    ).toEqual([]);
    expect(validateRequest({ method: "POST", url: "/repos/o/r/git/refs", body: { ref: 1 } })).toEqual(
      expect.arrayContaining([
        expect.stringContaining("must have required property 'sha'"),
        expect.stringContaining("/ref must be string"),
      ]),
    );
    expect(
      validateRequest({
        method: "POST",
        url: "/repos/o/r/check-runs",
        body: { name: "x", head_sha: "a", status: "bogus" },
      }),
    ).toEqual([expect.stringContaining("/status must be equal to one of the allowed values")]);
    expect(validateRequest({ method: "GET", url: "/search/issues" })).toEqual([
      expect.stringContaining("missing required query parameter q"),
    ]);
  });

  it("checks response statuses and bodies, including nullable fields", () => {
    const ref = {
      ref: "refs/heads/main",
      node_id: "x",
      url: "https://api.github.com/repos/o/r/git/refs/heads/main",
      object: { type: "commit", sha: "a".repeat(40), url: "https://api.github.com/x" },
    };
    expect(
      validateResponse({ method: "GET", url: "/repos/o/r/git/ref/heads/main", status: 200, body: ref }),
    ).toEqual([]);
    expect(
      validateResponse({
        method: "GET",
        url: "/repos/o/r/git/ref/heads/main",
        status: 200,
        body: { ...ref, object: null },
      }),
    ).not.toEqual([]);
    expect(
      validateResponse({ method: "GET", url: "/repos/o/r/git/ref/heads/main", status: 418, body: {} }),
    ).toEqual([expect.stringContaining("status not declared")]);
    const status = { merged: true, message: "ok", sha: "a".repeat(40) };
    expect(
      validateResponse({ method: "PUT", url: "/repos/o/r/pulls/1/merge", status: 200, body: status }),
    ).toEqual([]);
  });
});
