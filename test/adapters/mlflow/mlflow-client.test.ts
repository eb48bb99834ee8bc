import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseOperatorSettings } from "../../../src/config/operator-settings-schema.js";
import { createMlflowClient } from "../../../src/adapters/mlflow/mlflow-client.js";
import { MlflowError } from "../../../src/adapters/mlflow/mlflow-error.js";
import { mlflowModelRegistry } from "../../../src/adapters/mlflow/mlflow-model-registry.js";
import { mlflowRegistryFor } from "../../../src/adapters/mlflow/mlflow-registry-for.js";
import { startFakeMlflow, type FakeMlflow } from "./fake-mlflow-server.js";

let mlflow: FakeMlflow;

beforeAll(async () => {
  mlflow = await startFakeMlflow();
  mlflow.versions.push(
    { name: "BankChurn-XGBoost", version: "2", current_stage: "Archived", run_id: "run2" },
    {
      name: "BankChurn-XGBoost",
      version: "3",
      current_stage: "Production",
      run_id: "run3",
      aliases: ["champion"],
    },
    { name: "BankChurn-XGBoost", version: "4", current_stage: "Staging", run_id: "run4" },
    { name: "CarVision-LGBM", version: "1", current_stage: "None", run_id: "" },
  );
  mlflow.runs["run3"] = [
    { key: "f1", value: 0.64 },
    { key: "auc", value: 0.88 },
  ];
  mlflow.runs["run4"] = [{ key: "f1", value: 0.7 }];
});
afterAll(() => mlflow.close());

const client = () => createMlflowClient({ baseUrl: `${mlflow.url}/`, token: mlflow.token });

/** The rejection of a promise, which must be an MlflowError. */
const failure = async (p: Promise<unknown>): Promise<MlflowError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MlflowError);
  return e as MlflowError;
};

describe("MLflow client", () => {
  it("reads the latest version of a stage with the bearer token", async () => {
    const versions = await client().getLatestVersions("BankChurn-XGBoost", ["Production"]);
    expect(versions).toEqual([
      {
        name: "BankChurn-XGBoost",
        version: "3",
        currentStage: "Production",
        runId: "run3",
        status: "READY",
        aliases: ["champion"],
      },
    ]);
    expect(mlflow.requests.at(-1)).toBe(
      "GET /api/2.0/mlflow/registered-models/get-latest-versions?name=BankChurn-XGBoost&stages=Production",
    );
  });
  it("reads a run's latest metrics", async () => {
    expect(await client().getRun("run3")).toEqual({
      runId: "run3",
      status: "FINISHED",
      metrics: { f1: 0.64, auc: 0.88 },
    });
  });
  it("sets a tag on a model version", async () => {
    await client().setModelVersionTag("BankChurn-XGBoost", "3", "release", "1.2.0");
    expect(mlflow.tags).toEqual([
      { name: "BankChurn-XGBoost", version: "3", key: "release", value: "1.2.0" },
    ]);
  });
  it("types MLflow's errors: not found, unauthorized, non-JSON", async () => {
    const notFound = await failure(client().getModelVersion("BankChurn-XGBoost", "99"));
    expect(notFound).toMatchObject({ kind: "not-found", status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST" });
    // The status class and MLflow's code, not the server's own words (they may echo the request).
    expect(notFound.message).toBe(
      "MLflow model-versions/get answered 404 (client error) RESOURCE_DOES_NOT_EXIST",
    );
    const noToken = await failure(createMlflowClient({ baseUrl: mlflow.url }).getRun("run3"));
    expect(noToken).toMatchObject({ kind: "unauthorized", status: 401, errorCode: "UNAUTHENTICATED" });
    const html = await failure(
      createMlflowClient({
        baseUrl: mlflow.url,
        token: mlflow.token,
        fetch: (_u, init) => fetch(`${mlflow.url}/api/2.0/mlflow/broken`, init),
      }).getRun("x"),
    );
    expect(html.kind).toBe("bad-response");
  });
  it("reports an unreachable server clearly", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await failure(
      createMlflowClient({ baseUrl: `http://127.0.0.1:${String(port)}` }).getRun("run3"),
    );
    expect(e.kind).toBe("unreachable");
    expect(e.message).toBe("MLflow could not be reached: could not connect");
  });
});

describe("MLflow model registry", () => {
  const registry = () => mlflowModelRegistry(client());
  it("resolves the version in a stage, then its run's metrics, with a link", async () => {
    expect(
      await registry().getModelVersionMetrics({ name: "BankChurn-XGBoost", stage: "Production" }),
    ).toEqual({
      name: "BankChurn-XGBoost",
      version: "3",
      runId: "run3",
      metrics: { f1: 0.64, auc: 0.88 },
      url: `${mlflow.url}/#/models/BankChurn-XGBoost/versions/3`,
    });
  });
  it("resolves an exact version, an alias, or the newest version of any stage", async () => {
    expect(
      (await registry().getModelVersionMetrics({ name: "BankChurn-XGBoost", version: "4" })).metrics,
    ).toEqual({ f1: 0.7 });
    expect(
      (await registry().getModelVersionMetrics({ name: "BankChurn-XGBoost", alias: "champion" })).version,
    ).toBe("3");
    expect((await registry().getModelVersionMetrics({ name: "BankChurn-XGBoost" })).version).toBe("4");
  });
  it("fails clearly for an empty stage, an unknown model and a version without run", async () => {
    expect(
      (await failure(registry().getModelVersionMetrics({ name: "CarVision-LGBM", stage: "Production" })))
        .message,
    ).toBe("no version of model CarVision-LGBM in stage Production");
    expect(
      (await failure(registry().getModelVersionMetrics({ name: "Nope", stage: "Production" }))).kind,
    ).toBe("not-found");
    expect(
      (await failure(registry().getModelVersionMetrics({ name: "CarVision-LGBM", version: "1" }))).message,
    ).toContain("has no run_id");
  });
  it("is built from the operator's settings for the repository, with the token from the app's environment", async () => {
    const operator = parseOperatorSettings(
      [
        "outbound: { allowPrivateAddresses: true }",
        "mlflow:",
        `  - { url: "${mlflow.url}", tokenEnv: MY_MLFLOW_TOKEN, repositories: [duqueom/ml-portfolio] }`,
      ].join("\n"),
    );
    const env = { MY_MLFLOW_TOKEN: mlflow.token };
    const served = mlflowRegistryFor(operator, { owner: "DuqueOM", repo: "ml-portfolio" }, env);
    expect((await served!.getModelVersionMetrics({ name: "BankChurn-XGBoost", version: "3" })).runId).toBe(
      "run3",
    );
    expect(mlflowRegistryFor(operator, { owner: "duqueom", repo: "other" }, env)).toBeUndefined();
  });
  it("refuses the server's loopback address unless the operator allows private addresses", async () => {
    const operator = parseOperatorSettings(
      `mlflow:\n  - { url: "${mlflow.url}", tokenEnv: MY_MLFLOW_TOKEN, repositories: ["*"] }\n`,
    );
    const before = mlflow.requests.length;
    const registry = mlflowRegistryFor(
      operator,
      { owner: "o", repo: "r" },
      { MY_MLFLOW_TOKEN: mlflow.token },
    );
    const e = await failure(registry!.getModelVersionMetrics({ name: "BankChurn-XGBoost", version: "3" }));
    expect(e.message).toBe(
      "MLflow could not be reached: refused: the address is loopback, link-local or private",
    );
    expect(mlflow.requests).toHaveLength(before);
  });
});
