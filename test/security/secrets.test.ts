/**
 * Attack 1 of issue #12, replayed end to end: a PR's config named the attacker's server as MLflow
 * and `tokenEnv: WEBHOOK_SECRET` (or `PRIVATE_KEY`); the secret arrived as a Bearer token, and
 * the PEM came back in the Model performance check run inside Node's invalid-header TypeError.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { parseDocument } from "yaml";
import { parseOperatorSettings } from "../../src/config/operator-settings-schema.js";
import { type EndToEnd, startEndToEnd, WEBHOOK_SECRET } from "../../sandbox/harness/e2e.js";
import { testPrivateKey } from "../../sandbox/harness/keys.js";
import { captureLog, everythingShown, type Listener, openReleasePull, startListener } from "./support.js";

jest.setTimeout(240_000);

const CONFIG = ".github/release-pilot.yml";
const OPERATOR_TOKEN = "mlflow-operator-token-5f2c9e";

describe("attack 1: no repository config sends or shows the app's secrets", () => {
  let e2e: EndToEnd;
  let attacker: Listener;
  let mlflow: Listener;
  let logs: ReturnType<typeof captureLog>;
  let opened: Awaited<ReturnType<typeof openReleasePull>>;
  const pem = testPrivateKey();
  const pemLine = pem.split("\n")[1] ?? "";
  const env: Record<string, string> = {
    WEBHOOK_SECRET,
    PRIVATE_KEY: pem,
    MLFLOW_TRACKING_TOKEN: OPERATOR_TOKEN,
  };
  const secrets = [WEBHOOK_SECRET, "PRIVATE KEY-----", pemLine, OPERATOR_TOKEN];

  beforeAll(async () => {
    attacker = await startListener();
    mlflow = await startListener();
    logs = captureLog();
    // The operator's one MLflow server serves this owner; loopback is allowed as in the harness.
    const operator = parseOperatorSettings(
      [
        "outbound: { allowPrivateAddresses: true }",
        "mlflow:",
        `  - { url: "${mlflow.url}", tokenEnv: MLFLOW_TRACKING_TOKEN, repositories: ["duqueom/*"] }`,
      ].join("\n"),
    );
    e2e = await startEndToEnd({
      clock: { now: () => new Date("2025-01-15T10:00:00Z") },
      log: logs.log,
      overrides: { operator, secrets: env },
    });
    opened = await openReleasePull(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
    await attacker?.close();
    await mlflow?.close();
  });

  const lastRun = (sha: string, name: string) =>
    e2e.sandbox
      .checkRuns(e2e.repo, sha)
      .filter((r) => r.name === name)
      .at(-1);
  const expectNoSecretShown = async () => {
    const shown = await everythingShown(e2e, [opened.branch, "main"], [opened.issue, opened.pull]);
    const logged = logs.lines.join("\n");
    expect(logged).toContain("checklist evaluated"); // the app's log was captured
    for (const secret of secrets) {
      expect(shown).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
  };

  it.each(["WEBHOOK_SECRET", "PRIVATE_KEY"])(
    "a PR head naming the attacker's server and tokenEnv %s: nothing is sent, nothing shown",
    async (tokenEnv) => {
      const { sandbox, repo } = e2e;
      const config = parseDocument((await sandbox.getFile(repo, opened.branch, CONFIG)) ?? "");
      config.setIn(["checklist", "mlflow"], { url: attacker.url, tokenEnv });
      config.setIn(["checklist", "models", "projects", "BankChurn-Predictor"], {
        source: "mlflow",
        name: "BankChurn-XGBoost",
        version: "3",
        metrics: { f1: ">= 0.1" },
      });
      const sha = await sandbox.pushCommit(
        repo,
        "developer",
        opened.branch,
        "ci: read models from our MLflow",
        {
          [CONFIG]: config.toString(),
        },
      );
      await e2e.settle({ timeoutMs: 60_000 });
      // The checklist ran on the new head under main's config (models from files), not the head's.
      expect(lastRun(sha, "Checklist: Model performance")?.conclusion).toBe("success");
      expect(attacker.received).toEqual([]);
      expect(mlflow.received).toEqual([]);
      // The config check on the pushed commit says why the file is refused.
      const check = lastRun(sha, "release-pilot config");
      expect(check?.conclusion).toBe("failure");
      expect(check?.output.summary).toContain(
        "checklist.mlflow: MLflow's server and token are the operator's settings",
      );
      await expectNoSecretShown();
    },
  );

  it("the operator's MLflow server gets the operator's token, and its echo of it is not shown", async () => {
    const { sandbox, repo } = e2e;
    const main = parseDocument((await sandbox.getFile(repo, "main", CONFIG)) ?? "");
    main.setIn(["checklist", "models", "projects", "BankChurn-Predictor"], {
      source: "mlflow",
      name: "BankChurn-XGBoost",
      version: "3",
      metrics: { f1: ">= 0.6" },
    });
    await sandbox.pushCommit(repo, "maintainer", "main", "ci: BankChurn's model from MLflow", {
      [CONFIG]: main.toString(),
    });
    const sha = await sandbox.pushCommit(repo, "developer", opened.branch, "docs: touch", {
      "NOTES.md": "x\n",
    });
    await e2e.settle({ timeoutMs: 60_000 });
    expect(mlflow.received.map((r) => r.headers.authorization)).toContain(`Bearer ${OPERATOR_TOKEN}`);
    const models = lastRun(sha, "Checklist: Model performance");
    expect(models?.conclusion).toBe("failure");
    expect(models?.output.summary).toContain("answered 500 (server error) INTERNAL_ERROR");
    expect(attacker.received).toEqual([]);
    await expectNoSecretShown();
  });

  it("a token that is no header value (a PEM) is never sent, and the error does not quote it", async () => {
    const { sandbox, repo } = e2e;
    env.MLFLOW_TRACKING_TOKEN = pem;
    const before = mlflow.received.length;
    const sha = await sandbox.pushCommit(repo, "developer", opened.branch, "docs: touch again", {
      "NOTES.md": "y\n",
    });
    await e2e.settle({ timeoutMs: 60_000 });
    expect(mlflow.received).toHaveLength(before);
    expect(lastRun(sha, "Checklist: Model performance")?.output.summary).toContain(
      "MLflow token is not usable as a bearer token",
    );
    await expectNoSecretShown();
  });
});
