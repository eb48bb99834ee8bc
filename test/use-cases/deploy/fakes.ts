/** Plain in-memory fakes of the deploy ports, plus a world wiring them to the fake cluster. */
import { KubernetesCluster } from "../../../src/adapters/kubernetes/kubernetes-cluster.js";
import { loadKubeConfig } from "../../../src/adapters/kubernetes/load-kube-config.js";
import { JobTracker } from "../../../src/adapters/jobs/job-tracker.js";
import { type Config, configSchema } from "../../../src/config/schema.js";
import type { EnvironmentLock } from "../../../src/domain/deploy/lock-message.js";
import { staticClusterProvider } from "../../../src/ports/cluster-provider.js";
import type {
  CreateDeploymentResult,
  DeploymentRecord,
  DeploymentRecords,
  DeploymentState,
  NewDeployment,
  Probe,
  ProbeResult,
  ReleaseTags,
  SmokeResult,
  SmokeTests,
} from "../../../src/ports/deployments.js";
import type { PermissionLevel } from "../../../src/domain/commands/permission.js";
import type { DeployReview, ShippingPull } from "../../../src/domain/deploy/evaluate-deploy-approvals.js";
import type { WatchClaim } from "../../../src/domain/deploy/watch-claim.js";
import type { Issues } from "../../../src/ports/issues.js";
import type { AcquireResult, Locks, StoredClaim } from "../../../src/ports/locks.js";
import { noopMetrics, type RolloutResult } from "../../../src/ports/metrics.js";
import type { DeployDeps, Invocation } from "../../../src/use-cases/deploy/deploy-deps.js";
import { startFakeCluster, type FakeCluster } from "../../../sandbox/kubernetes/index.js";

export interface StoredDeployment extends NewDeployment {
  id: number;
  creator: string;
  statuses: { state: DeploymentState; description?: string; environmentUrl?: string }[];
  createdAt?: string;
}

export class FakeRecords implements DeploymentRecords {
  readonly all: StoredDeployment[] = [];
  refuse: string | undefined;
  /** Date new records by this clock, to the second as GitHub does (unset: one fixed date). */
  stampWith: (() => Date) | undefined;
  /** Refuse `times` writes of this state with a 502 (the next ones go through). */
  failStatus: { state: DeploymentState; times: number } | undefined;
  private next = 100;
  constructor(private readonly actor = "release-pilot[bot]") {}
  async create(d: NewDeployment): Promise<CreateDeploymentResult> {
    if (this.refuse) return { kind: "refused", message: this.refuse };
    const id = this.next++;
    const createdAt = this.stampWith?.()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
    this.all.push({
      ...structuredClone(d),
      id,
      creator: this.actor,
      statuses: [],
      ...(createdAt ? { createdAt } : {}),
    });
    return { kind: "created", id, url: `https://api.example/deployments/${id}` };
  }
  async setStatus(
    id: number,
    state: DeploymentState,
    options: { description?: string; environmentUrl?: string } = {},
  ): Promise<void> {
    const d = this.all.find((x) => x.id === id);
    if (!d) throw new Error(`no deployment ${id}`);
    if (this.failStatus?.state === state && this.failStatus.times > 0) {
      this.failStatus.times -= 1;
      throw Object.assign(new Error("Server Error"), { status: 502 });
    }
    d.statuses.push({ state, ...options });
  }
  private toRecord(d: StoredDeployment): DeploymentRecord {
    return {
      id: d.id,
      environment: d.environment,
      ref: d.ref,
      task: d.task,
      creator: d.creator,
      createdAt: d.createdAt ?? "2026-01-01T00:00:00Z",
      payload: d.payload,
      state: d.statuses.at(-1)?.state,
      description: d.statuses.at(-1)?.description,
      everSucceeded: d.statuses.some((s) => s.state === "success"),
    };
  }
  async list(options: { environment?: string; limit: number }): Promise<DeploymentRecord[]> {
    return [...this.all]
      .reverse()
      .filter((d) => !options.environment || d.environment === options.environment)
      .slice(0, options.limit)
      .map((d) => this.toRecord(d));
  }
  async get(id: number): Promise<DeploymentRecord | undefined> {
    const d = this.all.find((x) => x.id === id);
    return d && this.toRecord(d);
  }
  states(id: number): DeploymentState[] {
    return this.all.find((x) => x.id === id)?.statuses.map((s) => s.state) ?? [];
  }
}

export class FakeLocks implements Locks {
  readonly locks = new Map<string, EnvironmentLock>();
  readonly claims = new Map<string, StoredClaim>();
  /** Every claim written: `<key> <holder> <version>`. */
  readonly claimHistory: string[] = [];
  private versions = 0;
  readonly history: string[] = [];
  /** Refuse this many releases with a 5xx-like error (the next ones go through). */
  failReleases = 0;
  /**
   * Taken `onto` a commit, a lock is a bare ref as GitHubRefLocks writes it: read back, only the
   * commit (`at`) is known, and its holder is found through the Deployment record.
   */
  async acquire(lock: EnvironmentLock, options: { onto?: string } = {}): Promise<AcquireResult> {
    const held = this.locks.get(lock.env);
    if (held) return { kind: "held", lock: held };
    this.history.push(`acquire ${lock.env} ${lock.kind}`);
    if (options.onto === undefined) {
      this.locks.set(lock.env, lock);
      return { kind: "acquired" };
    }
    const at = `commit-of-${options.onto}`;
    this.locks.set(lock.env, { env: lock.env, holder: "", reason: "", since: "", kind: "deploy", at });
    return { kind: "acquired", at };
  }
  async get(env: string) {
    return this.locks.get(env);
  }
  async release(env: string) {
    if (this.failReleases > 0) {
      this.failReleases -= 1;
      throw Object.assign(new Error("Server Error"), { status: 502 });
    }
    this.history.push(`release ${env}`);
    return this.locks.delete(env);
  }
  async list() {
    return [...this.locks.values()];
  }
  async claim(claim: WatchClaim) {
    if (this.claims.has(claim.key)) return undefined;
    return this.putClaim(claim);
  }
  async takeOver(version: string, claim: WatchClaim) {
    if (this.claims.get(claim.key)?.version !== version) return undefined;
    return this.putClaim(claim);
  }
  async unclaim(key: string) {
    this.claims.delete(key);
  }
  async getClaim(key: string) {
    return this.claims.get(key);
  }
  async claimVersion(key: string) {
    return this.claims.get(key)?.version;
  }
  /** Set a claim as another instance would (expiring in an hour unless told). */
  setClaim(key: string, holder: string, expires = "2026-01-01T01:00:00.000Z"): string {
    return this.putClaim({ key, holder, expires });
  }
  private putClaim(claim: WatchClaim): string {
    const version = `v${++this.versions}`;
    this.claims.set(claim.key, {
      holder: claim.holder,
      expires: claim.expires,
      claimedAt: claim.expires,
      version,
    });
    this.claimHistory.push(`${claim.key} ${claim.holder} ${version}`);
    return version;
  }
}

export class FakeTags implements ReleaseTags {
  constructor(readonly versions: string[]) {}
  async tagOf(version: string) {
    return this.versions.includes(version) ? `v${version}` : undefined;
  }
  async latest() {
    return this.versions.at(-1);
  }
}

/** Merged PRs by the version they shipped, their reviews, and people's access (the approvals gate's reads). */
type ApprovalReads = DeployDeps["pulls"] & Pick<Issues, "permissionOf">;

export class FakeShippedPulls implements ApprovalReads {
  readonly pulls = new Map<string, ShippingPull>();
  readonly reviews = new Map<number, DeployReview[]>();
  readonly permissions = new Map<string, PermissionLevel>();
  readonly calls: string[] = [];
  async findShipped(query: { version: string }) {
    this.calls.push(`find ${query.version}`);
    return this.pulls.get(query.version);
  }
  async listReviews(pull: number) {
    this.calls.push(`reviews #${pull}`);
    return this.reviews.get(pull) ?? [];
  }
  async permissionOf(user: string) {
    this.calls.push(`permission ${user}`);
    return this.permissions.get(user) ?? "none";
  }
}

export class FakeSmoke implements SmokeTests {
  readonly runs: { workflow: string; ref: string; inputs: Record<string, string> }[] = [];
  result: SmokeResult = { kind: "passed", url: "https://github.example/runs/1" };
  async run(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
    _timeoutMs: number,
    onRun?: (url: string) => Promise<void>,
  ) {
    this.runs.push({ workflow, ref, inputs });
    const result = this.result;
    if (onRun && "url" in result && result.url) await onRun(result.url);
    return result;
  }
}

export const SERVICES = [
  { name: "BankChurn-Predictor", deployment: "bankchurn", image: "ghcr.io/duqueom/bankchurn-api" },
  { name: "CarVision-Market-Intelligence", deployment: "carvision", image: "ghcr.io/duqueom/carvision-api" },
];

export const configWith = (environments: Record<string, unknown>): Config =>
  configSchema.parse({
    release: { projects: SERVICES.map((s) => ({ name: s.name, path: s.name, image: s.image })) },
    environments,
  });

export const stagingEnv = (extra: Record<string, unknown> = {}) => ({
  cluster: "main",
  namespace: "ml",
  url: "https://staging.example.com",
  services: SERVICES.map((s) => ({ name: s.name, deployment: s.deployment, container: s.deployment })),
  timeoutSeconds: 30,
  ...extra,
});

export interface World {
  fake: FakeCluster;
  deps: DeployDeps;
  records: FakeRecords;
  locks: FakeLocks;
  tags: FakeTags;
  smoke: FakeSmoke;
  pulls: FakeShippedPulls;
  replies: string[];
  postMortems: { title: string; body: string; labels: readonly string[] }[];
  probes: string[];
  probeResults: Map<string, ProbeResult>;
  rollouts: { env: string; service: string; result: RolloutResult }[];
  jobs: JobTracker;
  call(config: Config, actor?: string): Invocation;
  imageOf(name: string): string | undefined;
  /** Give each service its `<name>-canary` twin on 1.1.0 with 0 replicas (the guide's canary pattern). */
  addCanaryTwins(): void;
  revisionOf(name: string): string | undefined;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const fake = await startFakeCluster({ tickMs: 5 });
  for (const s of SERVICES)
    fake.addDeployment({ namespace: "ml", name: s.deployment, image: `${s.image}:1.1.0`, replicas: 2 });
  const cluster = new KubernetesCluster(loadKubeConfig({ kind: "server", server: fake.url }), {
    retry: { retries: 2, backoffMs: 1 },
  });
  const records = new FakeRecords();
  const locks = new FakeLocks();
  const tags = new FakeTags(["1.1.0", "1.2.0"]);
  const smoke = new FakeSmoke();
  const pulls = new FakeShippedPulls();
  const replies: string[] = [];
  const postMortems: World["postMortems"] = [];
  const probes: string[] = [];
  const probeResults = new Map<string, ProbeResult>();
  const rollouts: World["rollouts"] = [];
  const jobs = new JobTracker({ error: (fields) => replies.push(`job error ${JSON.stringify(fields)}`) });
  const probe: Probe = async (url) => {
    probes.push(url);
    return probeResults.get(url) ?? { ok: true, status: 200 };
  };
  let tick = Date.parse("2026-01-01T00:00:00Z");
  const deps: DeployDeps = {
    clusters: staticClusterProvider({ main: cluster }),
    jobs,
    clock: { now: () => new Date((tick += 1000)) },
    metrics: {
      ...noopMetrics,
      rolloutFinished: (env, service, result) => void rollouts.push({ env, service, result }),
    },
    probe,
    records,
    locks,
    tags,
    pulls,
    smoke,
    issues: {
      permissionOf: (user) => pulls.permissionOf(user),
      openIssue: async ({ title, body, labels }) => {
        postMortems.push({ title, body, labels });
        return {
          number: 900 + postMortems.length,
          url: `https://github.example/issues/${900 + postMortems.length}`,
        };
      },
    },
    thread: { reply: async (body) => void replies.push(body) },
    log: { info: () => undefined, error: () => undefined },
    instance: "test",
    sleep: async () => undefined,
  };
  return {
    fake,
    deps,
    records,
    locks,
    tags,
    smoke,
    pulls,
    replies,
    postMortems,
    probes,
    probeResults,
    rollouts,
    jobs,
    call: (config, actor = "maintainer") => ({
      config,
      actor,
      issue: 7,
      issueUrl: "https://github.example/issues/7",
    }),
    imageOf: (name) => fake.getDeployment("ml", name)?.spec.template.spec.containers[0]?.image,
    addCanaryTwins: () => {
      for (const s of SERVICES)
        fake.addDeployment({
          namespace: "ml",
          name: `${s.deployment}-canary`,
          container: s.deployment,
          image: `${s.image}:1.1.0`,
          replicas: 0,
          labels: { app: `${s.deployment}-canary` },
        });
    },
    revisionOf: (name) =>
      fake.getDeployment("ml", name)?.metadata.annotations?.["deployment.kubernetes.io/revision"],
    close: async () => {
      await jobs.idle();
      await fake.close();
    },
  };
}
