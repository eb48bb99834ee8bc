// startGitHubSandbox: an offline, stateful, OpenAPI-checked GitHub for end-to-end tests and the demo.
//
//   const sandbox = await startGitHubSandbox({ webhook: { url, secret } });
//   await sandbox.createRepo({ owner: "acme", name: "ml", branches: { main: { "VERSION": "1.0.0\n" } } });
//   sandbox.comment("acme/ml", await sandbox.openIssue("acme/ml", "alice", { title: "t" }), "alice", "/release");
//   await sandbox.settled();               // webhooks delivered, the app's API calls answered
//   expect(sandbox.violations).toEqual([]);
//   await sandbox.close();
//
// The webhook target object is read at each delivery, so its url may be set after start (the app
// usually starts after the sandbox, since it needs sandbox.url).
import { GitStore } from "./git-store.js";
import { GitRunner } from "./git-runner.js";
import { Faults, type FaultRule } from "./faults.js";
import { SandboxServer, type RequestRecord } from "./server.js";
import { ensureUser, type World } from "./state.js";
import { Webhooks, type Delivery, type DeliveryOrder, type WebhookTarget } from "./webhooks.js";
import { ARCHIVE_PREFIX, serveArchive } from "./routes/archives.js";
import { SandboxActors } from "./sandbox-actors.js";
import { readAppPermissions } from "./permissions.js";
import { webhookViolations } from "./webhook-schemas.js";
import "./routes/all.js";

export type { Delivery, DeliveryOrder, FaultRule, RequestRecord, WebhookTarget };
export type * from "./actors.js";

export interface SandboxOptions {
  webhook?: WebhookTarget;
  /** The app the installation belongs to; its bot is `<slug>[bot]`. */
  app?: { id?: number; slug?: string; name?: string; owner?: string };
  installationId?: number;
  /** The installation's permissions; default: app.yml's default_permissions. */
  permissions?: Record<string, string>;
  /** Clock for timestamps GitHub would set (created_at ...); defaults to real time. */
  now?: () => Date;
}

export interface GitHubSandbox extends SandboxActors {
  readonly url: string;
  readonly violations: string[];
  readonly requests: RequestRecord[];
  readonly deliveries: Delivery[];
  readonly faults: { add(rule: FaultRule): void; clear(): void };
  readonly webhooks: {
    drop(n: number): void;
    /** Serial and in order (the default), or concurrent bursts in a seeded shuffled order. */
    setOrder(mode: DeliveryOrder): void;
    /** The bursts sent in shuffled mode: delivery ids in the order they left. */
    readonly bursts: readonly string[][];
  };
  readonly installationId: number;
  readonly appSlug: string;
  redeliver(deliveryId: string): void;
  resetRequests(): void;
  settled(options?: { quietMs?: number; timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export async function startGitHubSandbox(options: SandboxOptions = {}): Promise<GitHubSandbox> {
  const root = await GitStore.tempRoot();
  let counter = 1000;
  const clock = options.now ?? (() => new Date());
  const slug = options.app?.slug ?? "release-pilot";
  const world: World = {
    baseUrl: "",
    root,
    gitRunner: GitRunner.start(),
    users: new Map(),
    repos: new Map(),
    teams: new Map(),
    installationId: options.installationId ?? 4242,
    installationPermissions: options.permissions ?? readAppPermissions(),
    tokens: new Map(),
    personalTokens: new Map(),
    nextId: () => ++counter,
    now: () =>
      clock()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
    app: undefined as unknown as World["app"],
  };
  const owner = ensureUser(world, options.app?.owner ?? "release-pilot-org", "Organization");
  world.app = {
    id: options.app?.id ?? 777,
    slug,
    name: options.app?.name ?? slug,
    owner,
    bot: ensureUser(world, `${slug}[bot]`, "Bot"),
  };
  const touch = { fn: (): void => undefined };
  const violations: string[] = [];
  // Payloads are checked when someone reads `violations`, not as they are sent: compiling a
  // schema costs about a second per event and action on a busy machine, time the app under test
  // would otherwise see as a stalled GitHub.
  const unchecked: { event: string; payload: Record<string, unknown> }[] = [];
  const checked = (): string[] => {
    for (const { event, payload } of unchecked.splice(0))
      violations.push(...webhookViolations(event, payload));
    return violations;
  };
  const hooks = new Webhooks(
    options.webhook,
    (payload) => ({
      ...payload,
      installation: {
        id: world.installationId,
        node_id: Buffer.from(`Installation:${world.installationId}`).toString("base64"),
      },
    }),
    () => touch.fn(),
    (event, payload) => void unchecked.push({ event, payload }),
  );
  const faults = new Faults();
  const server = new SandboxServer(world, hooks, faults, violations);
  touch.fn = () => server.touch();
  const actors = new SandboxActors(world, hooks);
  server.raw.set("/_sandbox/artifacts/", (path) => actors.serveArtifact(path));
  server.raw.set(ARCHIVE_PREFIX, serveArchive);
  world.baseUrl = await server.listen();
  const srv = server;

  const settled = async ({ quietMs = 50, timeoutMs = 10_000 } = {}): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const quiet = srv.inflight === 0 && !hooks.busy && Date.now() - srv.lastActivity >= quietMs;
      if (quiet) return;
      if (Date.now() > deadline) {
        throw new Error(
          `GitHub sandbox did not settle within ${timeoutMs} ms: ${srv.inflight} API request(s) in flight, webhook queue ${hooks.busy ? "busy" : "idle"}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const sandbox = Object.assign(actors, {
    url: world.baseUrl,
    violations: srv.violations,
    requests: srv.requests,
    deliveries: hooks.deliveries,
    faults: { add: (rule: FaultRule) => faults.add(rule), clear: () => faults.clear() },
    webhooks: {
      drop: (n: number) => hooks.drop(n),
      setOrder: (mode: DeliveryOrder) => hooks.setOrder(mode),
      bursts: hooks.bursts,
    },
    installationId: world.installationId,
    appSlug: slug,
    redeliver: (id: string) => hooks.redeliver(id),
    resetRequests: () => void srv.requests.splice(0),
    settled,
    close: async () => {
      await srv.close();
      await world.gitRunner.stop();
      await GitStore.removeRoot(root);
    },
  });
  Object.defineProperty(sandbox, "violations", { get: checked, enumerable: true });
  return sandbox;
}
