import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createPrometheusQueries } from "../../../src/adapters/prometheus/prometheus-queries.js";
import { JobTracker } from "../../../src/adapters/jobs/job-tracker.js";
import type { DeployDeps } from "../../../src/use-cases/deploy/deploy-deps.js";
import { runCanary } from "../../../src/use-cases/deploy/run-canary.js";
import { resumeCanaryAnalyses } from "../../../src/use-cases/deploy/start-canary-analysis.js";
import { type FakePrometheus, startFakePrometheus } from "../../../sandbox/prometheus/index.js";
import { configWith, stagingEnv, startWorld, type World } from "./fakes.js";

const EPOCH = Date.parse("2026-01-01T00:00:00Z");
let prom: FakePrometheus;
let w: World;
let now: number;
/** Each pause of the analysis moves the injected clock on instead of waiting. */
let onSleep: (ms: number) => Promise<void>;
const comments = new Map<number, string[]>();

beforeAll(async () => {
  prom = await startFakePrometheus({ token: "t0ken" });
});
afterAll(async () => {
  await prom.close();
});
beforeEach(async () => {
  w = await startWorld();
  w.addCanaryTwins();
  now = EPOCH;
  onSleep = async (ms) => void (now += ms);
  comments.clear();
  prom.reset();
});
afterEach(async () => {
  await w.close();
});

const depsWith = (extra: Partial<DeployDeps> = {}): DeployDeps => ({
  ...w.deps,
  clock: { now: () => new Date(now) },
  sleep: (ms) => onSleep(ms),
  canaryMetrics: createPrometheusQueries({ baseUrl: prom.url, token: "t0ken" }),
  progress: {
    create: async (body) => {
      const id = 5000 + comments.size;
      comments.set(id, [body]);
      return id;
    },
    update: async (id, body) => void comments.get(id)?.push(body),
  },
  ...extra,
});

const analysed = (analysis: Record<string, unknown>) =>
  configWith({
    staging: stagingEnv({
      canary: { analysis: { checks: ["success-rate"], interval: "1m", duration: "5m", ...analysis } },
    }),
  });

/** The success rate both services' canaries of `version` report, by seconds since EPOCH. */
const successRate = (version: string, points: [number, number][]) => {
  for (const service of ["bankchurn", "carvision"])
    prom.script({
      contains: "http_requests_total",
      labels: { service, version, namespace: "ml" },
      points,
      start: new Date(EPOCH),
    });
};

const canary = async (version: string, config = analysed({}), deps = depsWith()) => {
  const result = await runCanary(deps, {
    ...w.call(config),
    command: { name: "canary", env: "staging", version },
  });
  await w.jobs.idle();
  return result;
};

const analysisRecord = () => w.records.all.find((d) => d.environment === "staging-canary");
const replicas = (name: string) => w.fake.getDeployment("ml", name)?.spec.replicas;
const queriesOf = (version: string) => prom.queries.filter((q) => q.includes(`version="${version}"`));

describe("/canary with analysis", () => {
  it("promotes by itself once every check passed through the duration, with the measured values recorded", async () => {
    successRate("1.2.0", [[0, 0.9991]]);
    const started = await canary("1.2.0");
    expect(started.reason).toBe("in-progress");
    expect(w.replies[0]).toContain("✅ Canary of **1.2.0** on `staging` done");
    expect(w.replies[0]).toContain("📈 Analysing it: success-rate every 60 s");
    // Promoted: the main Deployments run 1.2.0, the canaries are at 0.
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    expect(replicas("carvision-canary")).toBe(0);
    expect(w.replies.at(-1)).toBe("✅ The canary analysis of **1.2.0** on `staging` passed: promoted");
    const record = analysisRecord();
    expect(record).toMatchObject({ task: "deploy:canary", ref: "v1.2.0", production: false });
    expect(record?.statuses.map((s) => s.state)).toEqual([...Array(6).fill("in_progress"), "success"]);
    expect(record?.statuses[5]?.description).toBe(
      "interval 5, step 1/1: passed 5/5, failed 0 (limit 0), inconclusive 0 | bankchurn success-rate 0.9991 ✓; carvision success-rate 0.9991 ✓",
    );
    // One query per service and interval, each at its own interval's time (the injected clock).
    const times = queriesOf("1.2.0").map((q) => Number(q.split("@")[1]));
    expect(times).toHaveLength(10);
    expect(new Set(times).size).toBe(5);
    // The promotion is recorded on `staging` as a deploy, once.
    const promotions = w.records.all.filter((d) => d.environment === "staging");
    expect(promotions.map((d) => [d.payload.version, w.records.states(d.id)])).toEqual([
      ["1.2.0", ["success"]],
    ]);
    // One comment, kept up to date: created, then one edit per interval.
    const [history] = [...comments.values()];
    expect(history).toHaveLength(6);
    expect(history?.at(-1)).toContain("passed: promoted");
    expect(history?.at(-1)).toContain("| `bankchurn` | success-rate | 0.9991 | >= 0.99 | ✓ |");
    expect(w.locks.locks.size).toBe(0);
    expect(w.locks.claims.size).toBe(0);
  });

  it("aborts when the error rate rises past the failure limit: canary to 0, its image restored", async () => {
    successRate("1.2.0", [
      [0, 0.999],
      [150, 0.9],
    ]);
    await canary("1.2.0", analysed({ failureLimit: 1 }));
    expect(replicas("bankchurn-canary")).toBe(0);
    expect(w.imageOf("bankchurn-canary")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    expect(w.replies.at(-1)).toBe(
      "❌ The canary analysis of **1.2.0** on `staging` failed: aborted (2 failed intervals, more than the limit of 1)",
    );
    const record = analysisRecord();
    expect(record?.statuses.at(-1)).toMatchObject({
      state: "failure",
      description: expect.stringContaining("bankchurn success-rate 0.9 ✗"),
    });
    expect(w.records.all.filter((d) => d.environment === "staging")).toEqual([]);
  });

  it("walks the weight steps, scaling the canary by replica count before analysing each", async () => {
    successRate("1.2.0", [[0, 1]]);
    const scaled: number[] = [];
    onSleep = async (ms) => {
      scaled.push(replicas("bankchurn-canary") ?? -1);
      now += ms;
    };
    await canary("1.2.0", analysed({ steps: [34, 50], duration: "2m" }));
    // 34% of 2 main pods ≈ 1 canary pod, then 50% = 2; two intervals each.
    expect(scaled).toEqual([1, 1, 2, 2]);
    expect(w.imageOf("carvision")).toBe("ghcr.io/duqueom/carvision-api:1.2.0");
  });

  it("treats an unreachable Prometheus or an empty result as inconclusive: paused, never promoted", async () => {
    prom.down(true);
    try {
      await canary("1.2.0");
    } finally {
      prom.down(false);
    }
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.1.0");
    expect(replicas("bankchurn-canary")).toBe(1);
    expect(analysisRecord()?.statuses.at(-1)).toMatchObject({
      state: "error",
      description: expect.stringContaining("bankchurn success-rate error ?"),
    });
    expect(w.replies.at(-1)).toContain("is paused: a check had no usable measurement (inconclusive: pause)");
    // No series for this version at all, and the rule says abort.
    await runCanary(depsWith(), { ...w.call(analysed({})), command: { name: "abort", env: "staging" } });
    await w.jobs.idle();
    w.replies.length = 0;
    await canary("1.2.0", analysed({ inconclusive: "abort" }));
    expect(w.replies.at(-1)).toContain(
      "failed: aborted (a check had no usable measurement (inconclusive: abort))",
    );
    expect(replicas("bankchurn-canary")).toBe(0);
  });

  it("lets /promote decide mid-analysis: the analysis stops without acting again", async () => {
    successRate("1.2.0", [[0, 0.999]]);
    let sleeps = 0;
    onSleep = async (ms) => {
      now += ms;
      if (++sleeps === 3) {
        const promoted = await runCanary(depsWith(), {
          ...w.call(analysed({})),
          command: {
            name: "promote",
            env: "staging",
          },
        });
        expect(promoted.message).toContain("the canary analysis in progress (deployment");
      }
    };
    await canary("1.2.0");
    expect(analysisRecord()?.statuses.at(-1)).toMatchObject({
      state: "inactive",
      description: "stopped by /promote from @maintainer",
    });
    expect(queriesOf("1.2.0")).toHaveLength(4);
    expect(w.records.all.filter((d) => d.environment === "staging")).toHaveLength(1);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
  });

  it("keeps today's manual flow with --no-analysis, and refuses analysis without the operator's Prometheus", async () => {
    const manual = await runCanary(depsWith(), {
      ...w.call(analysed({})),
      command: {
        name: "canary",
        env: "staging",
        version: "1.2.0",
        analysis: false,
      },
    });
    await w.jobs.idle();
    expect(manual.reason).toBe("in-progress");
    expect(analysisRecord()).toBeUndefined();
    expect(w.replies.at(-1)).not.toContain("Analysing");
    const { canaryMetrics: _none, ...without } = depsWith();
    const refused = await runCanary(without, {
      ...w.call(analysed({})),
      command: {
        name: "canary",
        env: "staging",
        version: "1.2.0",
      },
    });
    expect(refused.reason).toBe("bad-config");
    expect(refused.message).toContain("no Prometheus server for this repository");
    expect(w.locks.history.filter((h) => h.startsWith("acquire"))).toHaveLength(1);
  });
});

describe("a restart mid-analysis", () => {
  it("is resumed once by the next instance, from the recorded interval, never evaluating one twice", async () => {
    successRate("1.2.0", [[0, 0.999]]);
    // Instance A stops answering (a crash) while it waits for its fourth interval.
    const crashedJobs = new JobTracker();
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    let sleeps = 0;
    onSleep = async (ms) => {
      if (++sleeps === 4) {
        crashed();
        return new Promise<void>(() => undefined);
      }
      now += ms;
    };
    await runCanary(depsWith({ jobs: crashedJobs, instance: "a" }), {
      ...w.call(analysed({})),
      command: {
        name: "canary",
        env: "staging",
        version: "1.2.0",
      },
    });
    await crash;
    const record = analysisRecord();
    expect(record?.statuses.at(-1)?.description).toMatch(/^interval 3, /);
    onSleep = async (ms) => void (now += ms);
    // While A's claim is live, another instance leaves the analysis alone.
    const repoUrl = "https://github.example/o/r";
    const others = new JobTracker();
    expect(
      await resumeCanaryAnalyses(() => depsWith({ instance: "c", jobs: others }), analysed({}), repoUrl),
    ).toEqual([]);
    others.stop(); // c only waits for the claim to end; stopping it ends the wait
    await others.idle();
    expect(queriesOf("1.2.0")).toHaveLength(6);
    // Once it expired, B takes it over and finishes it.
    now += 60 * 60 * 1000;
    expect(await resumeCanaryAnalyses(() => depsWith({ instance: "b" }), analysed({}), repoUrl)).toEqual([
      record?.id,
    ]);
    await w.jobs.idle();
    const intervals = (record?.statuses ?? []).flatMap(
      (s) => /^(?:promoted \| )?interval (\d+)/.exec(s.description ?? "")?.[1] ?? [],
    );
    expect(intervals).toEqual(["0", "1", "2", "3", "4", "5", "5"]);
    expect(record?.statuses.at(-1)?.state).toBe("success");
    expect(queriesOf("1.2.0")).toHaveLength(10);
    expect(w.locks.claimHistory.map((c) => c.split(" ")[1])).toEqual(expect.arrayContaining(["a", "b"]));
    expect(w.records.all.filter((d) => d.environment === "staging")).toHaveLength(1);
    expect(w.imageOf("bankchurn")).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
  });

  it("is taken over by an instance that was waiting for the dead holder's claim to end", async () => {
    successRate("1.2.0", [[0, 0.999]]);
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    let sleeps = 0;
    onSleep = async (ms) => {
      if (++sleeps === 2) {
        crashed();
        return new Promise<void>(() => undefined);
      }
      now += ms;
    };
    await runCanary(depsWith({ jobs: new JobTracker(), instance: "a" }), {
      ...w.call(analysed({})),
      command: {
        name: "canary",
        env: "staging",
        version: "1.2.0",
      },
    });
    await crash;
    onSleep = async (ms) => void (now += ms);
    // c finds A's live claim, waits for it to expire (the injected clock), then drives the rest.
    expect(
      await resumeCanaryAnalyses(() => depsWith({ instance: "c" }), analysed({}), "https://x/o/r"),
    ).toEqual([]);
    await w.jobs.idle();
    const record = analysisRecord();
    expect(record?.statuses.at(-1)?.state).toBe("success");
    expect(queriesOf("1.2.0")).toHaveLength(10);
    expect(w.locks.claimHistory.at(-1)).toMatch(/ c v\d+$/);
  });
});
