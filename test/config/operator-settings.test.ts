import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  defaultOperatorSettings,
  endpointFor,
  loadOperatorSettings,
  namespaceAllowed,
} from "../../src/config/operator-settings.js";
import {
  parseOperatorSettings,
  schemaDefaultOperatorSettings,
} from "../../src/config/operator-settings-schema.js";

describe("operator settings", () => {
  it("default, without a file, to what the schema gives an empty one", async () => {
    expect(defaultOperatorSettings()).toEqual(schemaDefaultOperatorSettings());
    expect(await loadOperatorSettings({})).toEqual(schemaDefaultOperatorSettings());
    // A fresh object each time: no caller can change another's defaults.
    expect(defaultOperatorSettings()).not.toBe(defaultOperatorSettings());
  });

  it("are read from the file RELEASE_PILOT_SETTINGS names, and a bad one fails the start", async () => {
    const dir = await mkdtemp(join(tmpdir(), "operator-settings-"));
    try {
      const good = join(dir, "good.yml");
      await writeFile(good, "clusters:\n  production:\n    namespaces: [ml-prod]\n");
      const settings = await loadOperatorSettings({ RELEASE_PILOT_SETTINGS: good });
      expect(namespaceAllowed(settings, "production", "ml-prod")).toBe(true);
      expect(namespaceAllowed(settings, "production", "ml-staging")).toBe(false);
      const bad = join(dir, "bad.yml");
      await writeFile(bad, "outbound:\n  allowPrivateAddresses: yes please\n");
      await expect(loadOperatorSettings({ RELEASE_PILOT_SETTINGS: bad })).rejects.toThrow(
        `${bad}: outbound.allowPrivateAddresses`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

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
