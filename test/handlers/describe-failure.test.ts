import { describe, expect, it } from "@jest/globals";
import { RequestError } from "@octokit/request-error";
import { MlflowError } from "../../src/adapters/mlflow/mlflow-error.js";
import { describeFailure } from "../../src/handlers/describe-failure.js";
import { ClusterError } from "../../src/ports/cluster.js";

describe("describeFailure names the system that failed", () => {
  it("GitHub: Octokit's RequestError and its status", () => {
    const error = new RequestError("Server Error", 503, {
      request: { method: "POST", url: "https://api.github.com/repos/o/r/pulls", headers: {} },
    });
    expect(describeFailure(error)).toBe(": GitHub answered 503");
  });

  it("Kubernetes: the API server's status, or that it could not be reached", () => {
    expect(describeFailure(new ClusterError("unavailable", "get deployment ml/x: HTTP 503", 503))).toBe(
      ": Kubernetes answered 503",
    );
    expect(describeFailure(new ClusterError("unavailable", "get deployment ml/x: ECONNREFUSED"))).toBe(
      ": Kubernetes could not be reached",
    );
    expect(describeFailure(new ClusterError("timeout", "no answer within 30000 ms"))).toBe(
      ": Kubernetes did not answer in time",
    );
  });

  it("MLflow: its status", () => {
    expect(describeFailure(new MlflowError("http", "boom", 502))).toBe(": MLflow answered 502");
    expect(describeFailure(new MlflowError("unreachable", "ECONNREFUSED"))).toBe(
      ": MLflow could not be reached",
    );
  });

  it("anything else says nothing it does not know (never 'GitHub answered undefined')", () => {
    expect(describeFailure(new Error("x"))).toBe("");
    expect(describeFailure(Object.assign(new Error("x"), { status: "nope" }))).toBe("");
    expect(describeFailure(undefined)).toBe("");
    expect(describeFailure("text")).toBe("");
  });
});
