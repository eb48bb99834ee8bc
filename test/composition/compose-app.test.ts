import { describe, expect, it } from "@jest/globals";
import { pino } from "pino";
import { Probot } from "probot";
import { composeApp } from "../../src/composition/compose-app.js";
import { settingsFromEnv } from "../../src/composition/settings.js";
import { commandSpecs } from "../../src/domain/commands/command-specs.js";
import { readingRoute } from "../../src/handlers/routes.js";
import { routes } from "../../src/index.js";
import { noopMetrics } from "../../src/ports/metrics.js";
import { testPrivateKey } from "../../sandbox/harness/keys.js";
import { TestOctokit } from "../../sandbox/harness/test-octokit.js";
import { webhookExample } from "../support/webhook-examples.js";

const probotWith = (app: (probot: Probot) => void): Probot => {
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    Octokit: TestOctokit,
    log: pino({ level: "fatal" }),
  });
  void probot.load(app);
  return probot;
};

describe("composeApp", () => {
  it("gives every command of the grammar a runner, /help included", async () => {
    const deps = await composeApp(routes, await settingsFromEnv({}), { metrics: noopMetrics }).deps();
    const names = commandSpecs.map((spec) => spec.name).sort();
    expect(names).toContain("help");
    expect(Object.keys(deps.commands).sort()).toEqual(names);
    for (const name of names) expect(typeof deps.commands[name]).toBe("function");
  });

  it("uses a fake given at a seam instead of building the service, and builds the rest", async () => {
    const clock = { now: () => new Date("2025-01-15T10:00:00Z") };
    const composed = composeApp(routes, await settingsFromEnv({ APP_ID: "4242" }), {
      clock,
      metrics: noopMetrics,
    });
    const { services } = composed;
    const deps = await composed.deps();
    expect(services.clock).toBe(clock);
    expect(deps.clock).toBe(clock);
    expect(services.appId).toBe(4242);
    expect(deps.appId).toBe(4242);
    // No KUBECONFIG_* in the environment: no cluster.
    expect(services.clusters.names()).toEqual([]);
  });

  it("reads a delivery's payload once and hands the reading to the handler", async () => {
    const looks: unknown[] = [];
    const reads: unknown[] = [];
    const handled: unknown[] = [];
    const route = readingRoute(
      "issue_comment.created",
      (payload) => {
        looks.push(payload.comment.body);
        return payload.comment.body.includes("/");
      },
      () =>
        Promise.resolve({
          read: (payload: { comment: { body: string } }) => {
            reads.push(payload.comment.body);
            return payload.comment.body.startsWith("/") ? { body: payload.comment.body } : undefined;
          },
          handle: (_deps: unknown, _context: unknown, reading: unknown) => {
            handled.push(reading);
            return Promise.resolve();
          },
        }),
    );
    const { app } = composeApp([route], await settingsFromEnv({}), { metrics: noopMetrics });
    const probot = probotWith(app);
    const payload = webhookExample<{ comment: { body: string } }>("issue_comment", "created");
    for (const [id, body] of [
      ["1", "/status"],
      ["2", "no command"],
      ["3", "see a/b"],
    ] as const) {
      payload.comment.body = body;
      await probot.receive({ id, name: "issue_comment", payload } as never);
    }
    // The cheap look sees every delivery, the module's reader only those the look let through.
    expect(looks).toEqual(["/status", "no command", "see a/b"]);
    expect(reads).toEqual(["/status", "see a/b"]);
    expect(handled).toEqual([{ body: "/status" }]);
  });

  it("imports a route's module on the first delivery its predicate lets through, once", async () => {
    let imports = 0;
    const handled: string[] = [];
    const route = readingRoute(
      "issue_comment.created",
      (payload) => payload.comment.body.startsWith("/"),
      () => {
        imports++;
        return Promise.resolve({
          read: (payload: { comment: { body: string } }) => payload.comment.body,
          handle: (_deps: unknown, _context: unknown, body: string) => {
            handled.push(body);
            return Promise.resolve();
          },
        });
      },
    );
    const { app } = composeApp([route], await settingsFromEnv({}), { metrics: noopMetrics });
    const probot = probotWith(app);
    const payload = webhookExample<{ comment: { body: string } }>("issue_comment", "created");
    payload.comment.body = "LGTM";
    await probot.receive({ id: "1", name: "issue_comment", payload } as never);
    expect(imports).toBe(0);
    payload.comment.body = "/status";
    // Two at once share the one import.
    await Promise.all([
      probot.receive({ id: "2", name: "issue_comment", payload } as never),
      probot.receive({ id: "3", name: "issue_comment", payload } as never),
    ]);
    await probot.receive({ id: "4", name: "issue_comment", payload } as never);
    expect(imports).toBe(1);
    expect(handled).toEqual(["/status", "/status", "/status"]);
  });

  it("fails the delivery whose route's module cannot be imported, and imports again on the next", async () => {
    let attempts = 0;
    const handled: string[] = [];
    const route = readingRoute(
      "issue_comment.created",
      () => true,
      () => {
        attempts++;
        if (attempts === 1) return Promise.reject(new Error("Cannot find module './handlers/x.js'"));
        return Promise.resolve({
          read: (payload: { comment: { body: string } }) => payload.comment.body,
          handle: (_deps: unknown, _context: unknown, body: string) => {
            handled.push(body);
            return Promise.resolve();
          },
        });
      },
    );
    const { app } = composeApp([route], await settingsFromEnv({}), { metrics: noopMetrics });
    const probot = probotWith(app);
    const payload = webhookExample<{ comment: { body: string } }>("issue_comment", "created");
    payload.comment.body = "/status";
    await expect(probot.receive({ id: "1", name: "issue_comment", payload } as never)).rejects.toThrow(
      "Cannot find module",
    );
    await probot.receive({ id: "2", name: "issue_comment", payload } as never);
    expect(attempts).toBe(2);
    expect(handled).toEqual(["/status"]);
  });

  it("fails a delivery whose payload the route cannot read, without calling the handler", async () => {
    let handled = false;
    const route = readingRoute(
      "issue_comment.created",
      (payload) => payload.comment.body.length > 0,
      () =>
        Promise.resolve({
          read: (payload: { comment: { body: string } }) => payload.comment.body.trim(),
          handle: () => {
            handled = true;
            return Promise.resolve();
          },
        }),
    );
    const { app } = composeApp([route], await settingsFromEnv({}), { metrics: noopMetrics });
    const probot = probotWith(app);
    const payload = webhookExample<{ comment?: unknown }>("issue_comment", "created");
    delete payload.comment;
    await expect(probot.receive({ id: "3", name: "issue_comment", payload } as never)).rejects.toThrow();
    expect(handled).toBe(false);
  });
});

describe("settingsFromEnv", () => {
  it("reads the app's id, log level, clusters and instance from the environment it is given", async () => {
    const settings = await settingsFromEnv({
      APP_ID: "17",
      LOG_LEVEL: "debug",
      KUBECONFIG_STAGING: "/etc/kube/staging.yaml",
      RELEASE_PILOT_IN_CLUSTER: "1",
      RELEASE_PILOT_INSTANCE: "rp-0",
      MLFLOW_TOKEN: "t",
    });
    expect(settings.appId).toBe(17);
    expect(settings.logLevel).toBe("debug");
    expect(settings.clusters).toEqual({
      staging: { kind: "kubeconfig-file", path: "/etc/kube/staging.yaml" },
      "in-cluster": { kind: "in-cluster" },
    });
    expect(settings.instance.instance).toBe("rp-0");
    expect(settings.secrets.MLFLOW_TOKEN).toBe("t");
  });

  it("takes a blank or malformed APP_ID and LOG_LEVEL as unset", async () => {
    for (const APP_ID of ["", "0", "12abc", "-3", "1e400"]) {
      const settings = await settingsFromEnv({ APP_ID, LOG_LEVEL: "  " });
      expect(settings.appId).toBeUndefined();
      expect(settings.logLevel).toBe("info");
    }
  });
});
