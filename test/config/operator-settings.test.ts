import { describe, expect, it } from "@jest/globals";
import {
  defaultOperatorSettings,
  endpointFor,
  namespaceAllowed,
  parseOperatorSettings,
} from "../../src/config/operator-settings.js";

describe("operator settings", () => {
  it("default to no outbound integrations, no private addresses and no system namespaces", () => {
    const settings = defaultOperatorSettings();
    expect(settings.mlflow).toEqual([]);
    expect(settings.prometheus).toEqual([]);
    expect(settings.outbound.allowPrivateAddresses).toBe(false);
    expect(namespaceAllowed(settings, "production", "ml-prod")).toBe(true);
    expect(namespaceAllowed(settings, "production", "kube-system")).toBe(false);
    expect(namespaceAllowed(settings, "production", "kube-node-lease")).toBe(false);
  });

  it("serve each endpoint only to the repositories the operator lists, first match first", () => {
    const settings = parseOperatorSettings(`
mlflow:
  - url: https://mlflow.internal.example
    tokenEnv: MLFLOW_TOKEN_ML
    repositories: [acme/ml-api]
  - url: https://mlflow.example
    repositories: ["acme/*"]
`);
    expect(endpointFor(settings.mlflow, { owner: "acme", repo: "ml-api" })?.tokenEnv).toBe("MLFLOW_TOKEN_ML");
    expect(endpointFor(settings.mlflow, { owner: "ACME", repo: "ML-API" })?.tokenEnv).toBe("MLFLOW_TOKEN_ML");
    expect(endpointFor(settings.mlflow, { owner: "acme", repo: "web" })?.url).toBe("https://mlflow.example");
    expect(endpointFor(settings.mlflow, { owner: "evil", repo: "ml-api" })).toBeUndefined();
  });

  it("limit a listed cluster to its namespaces, system ones included only when named", () => {
    const settings = parseOperatorSettings(`
clusters:
  production:
    namespaces: [ml-prod]
`);
    expect(namespaceAllowed(settings, "production", "ml-prod")).toBe(true);
    expect(namespaceAllowed(settings, "production", "ml-staging")).toBe(false);
    expect(namespaceAllowed(settings, "production", "kube-system")).toBe(false);
    expect(namespaceAllowed(settings, "staging", "ml-staging")).toBe(true);
  });

  it("refuse a bad file with the path of each bad key", () => {
    expect(() =>
      parseOperatorSettings(`
mlflow:
  - url: file:///etc/passwd
    tokenEnv: "lower case"
    repositories: []
extra: 1
`),
    ).toThrow(/mlflow\.0\.url.*mlflow\.0\.tokenEnv.*mlflow\.0\.repositories|extra/s);
    expect(() => parseOperatorSettings("clusters: { prod: { namespaces: [Bad_NS] } }")).toThrow(
      /clusters\.prod\.namespaces\.0: expected a namespace name/,
    );
  });
});
