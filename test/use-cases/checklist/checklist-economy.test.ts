import { describe, expect, it } from "@jest/globals";
import { sampleFiles } from "../../../sandbox/sample/sample-repo.js";
import { configSchema } from "../../../src/config/schema.js";
import {
  ChecklistMemory,
  Coalescer,
  Lru,
  MAX_KEPT_TEXT,
  type EvaluationScope,
} from "../../../src/use-cases/checklist/memory.js";
import { checklistTracks, scheduleChecklist } from "../../../src/use-cases/checklist/schedule.js";
import { runChecklist } from "../../../src/use-cases/run-checklist.js";
import { fakeCheckRuns, fakeModels, fakeSource, healthyRepo } from "./fakes.js";

/** A head SHA as GitHub gives it (40 hex digits): what the memory keys immutable reads by. */
const HEAD = "8f2a6c1d9e0b4a7f3c5d2e1b0a9f8e7d6c5b4a39";

/** Background work as the app's job runner does it, kept so a test can wait for it. */
const jobs = () => {
  const running: Promise<void>[] = [];
  return {
    run: (_name: string, fn: () => Promise<void>) => void running.push(fn()),
    idle: async () => {
      while (running.length > 0) await running.shift();
    },
  };
};

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("Lru", () => {
  it("forgets the least recently used entry past its limit, a read counting as a use", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([1, undefined, 3]);
    expect(lru.size).toBe(2);
  });
});

describe("Coalescer", () => {
  it("runs a burst of 100 requests as the running evaluation plus exactly one more, by the last request", async () => {
    const c = new Coalescer();
    const j = jobs();
    const gate = deferred();
    const ran: string[] = [];
    c.submit("pr#7@abc", "checks", async () => (ran.push("first"), gate.promise), j.run);
    for (let i = 1; i <= 100; i++)
      expect(
        c.submit(
          "pr#7@abc",
          "checks",
          async (scope) => void ran.push(`request ${String(i)} (${scope})`),
          j.run,
        ),
      ).toBe("queued");
    expect(c.running("pr#7@abc")).toBe(true);
    gate.resolve();
    await j.idle();
    expect(ran).toEqual(["first", "request 100 (checks)"]);
    expect(c.running("pr#7@abc")).toBe(false);
  });

  it("widens the queued evaluation to every gate when any request of the burst asks for all", async () => {
    const c = new Coalescer();
    const j = jobs();
    const gate = deferred();
    const scopes: EvaluationScope[] = [];
    c.submit("k", "checks", async (s) => (scopes.push(s), gate.promise), j.run);
    c.submit("k", "all", async (s) => void scopes.push(s), j.run);
    c.submit("k", "checks", async (s) => void scopes.push(s), j.run);
    gate.resolve();
    await j.idle();
    expect(scopes).toEqual(["checks", "all"]);
  });

  it("keeps heads apart, and a request arriving after the last run starts a new one", async () => {
    const c = new Coalescer();
    const j = jobs();
    const ran: string[] = [];
    c.submit("a", "checks", async () => void ran.push("a"), j.run);
    c.submit("b", "checks", async () => void ran.push("b"), j.run);
    await j.idle();
    expect(c.submit("a", "checks", async () => void ran.push("a again"), j.run)).toBe("started");
    await j.idle();
    expect(ran).toEqual(["a", "b", "a again"]);
  });

  it("runs the queued evaluation even when the running one failed", async () => {
    const c = new Coalescer();
    const j = jobs();
    const gate = deferred();
    const ran: string[] = [];
    c.submit(
      "k",
      "checks",
      async () => {
        await gate.promise;
        throw new Error("GitHub API 502");
      },
      j.run,
    );
    c.submit("k", "checks", async () => void ran.push("retried"), j.run);
    gate.resolve();
    await j.idle();
    expect(ran).toEqual(["retried"]);
  });
});

describe("scheduleChecklist", () => {
  it("answers at once for CI completions and evaluates in the background", async () => {
    const memory = new ChecklistMemory().of("acme/ml");
    const j = jobs();
    const gate = deferred();
    let done = false;
    await scheduleChecklist({ memory, later: j.run }, "7@abc", "checks", async () => {
      await gate.promise;
      done = true;
    });
    expect(done).toBe(false);
    gate.resolve();
    await j.idle();
    expect(done).toBe(true);
  });

  it("evaluates a push or a review before answering, unless one is running: then once more after it", async () => {
    const memory = new ChecklistMemory().of("acme/ml");
    const j = jobs();
    const ran: string[] = [];
    await scheduleChecklist(
      { memory, later: j.run },
      "7@abc",
      "all",
      async () => void ran.push("edit"),
      "now",
    );
    expect(ran).toEqual(["edit"]);
    const gate = deferred();
    await scheduleChecklist({ memory, later: j.run }, "7@abc", "checks", async () => {
      await gate.promise;
      ran.push("ci");
    });
    await scheduleChecklist(
      { memory, later: j.run },
      "7@abc",
      "all",
      async () => void ran.push("review"),
      "now",
    );
    expect(ran).toEqual(["edit"]);
    gate.resolve();
    await j.idle();
    expect(ran).toEqual(["edit", "ci", "review"]);
  });
});

describe("checklistTracks", () => {
  const checklist = configSchema.parse({
    checklist: { tests: { checks: ["test (*)"] }, integration: { checks: ["*integration*"] } },
  }).checklist;

  it("names a check the tests or integration gate reads (case-insensitive globs), and no other", () => {
    expect(checklistTracks(checklist, "test (Service01-API)")).toBe(true);
    expect(checklistTracks(checklist, "E2E Integration (shard 2)")).toBe(true);
    expect(checklistTracks(checklist, "lint (Service01-API)")).toBe(false);
    expect(checklistTracks(checklist, "build")).toBe(false);
  });

  it("ignores the patterns of a disabled gate", () => {
    const off = configSchema.parse({
      checklist: { tests: { checks: ["test*"], enabled: false }, integration: { enabled: false } },
    }).checklist;
    expect(checklistTracks(off, "test (3.11)")).toBe(false);
    expect(checklistTracks(off, "integration")).toBe(false);
  });
});

describe("runChecklist with a memory", () => {
  const config = configSchema.parse({
    release: {
      projects: [
        "BankChurn-Predictor",
        "CarVision-Market-Intelligence",
        "TelecomAI-Customer-Intelligence",
      ].map((name) => ({ name, path: name })),
    },
    checklist: {
      tests: { checks: ["test (*"] },
      integration: { checks: ["Integration tests"] },
      coverage: { enabled: false },
      models: { enabled: false },
    },
  });
  const pull = { number: 7, headSha: HEAD, headRef: "release/v1.2.0", baseRef: "main" };

  const setup = () => {
    const repo = { ...healthyRepo(), files: { ...healthyRepo().files, ...sampleFiles() } };
    const src = fakeSource(repo);
    const runs = fakeCheckRuns();
    let trees = 0;
    const memory = new ChecklistMemory().of("acme/ml");
    const deps = {
      source: src.source,
      ...src.ports,
      checkRuns: runs.writer,
      models: fakeModels({}).registry,
      memory,
      listPaths: async () => (trees++, Object.keys(repo.files)),
    };
    return { repo, src, runs, deps, memory, trees: () => trees };
  };

  it("reads the tree and every file at a commit once, the files in one request", async () => {
    const { src, deps, trees } = setup();
    await runChecklist(deps, { config, pull, version: "1.2.0" });
    expect(src.calls["readFiles"]).toBe(1);
    await runChecklist(deps, { config, pull, version: "1.2.0" });
    expect(src.calls["readFiles"]).toBe(1);
    expect(trees()).toBe(1);
  });

  it("on a CI completion gathers only the check gates, lists no run and rewrites only what changed", async () => {
    const { repo, src, runs, deps } = setup();
    await runChecklist(deps, { config, pull, version: "1.2.0" });
    const before = { ...src.calls };
    runs.log.splice(0);

    // Nothing changed in CI: no write at all, and no read but the checks.
    const same = await runChecklist(deps, { config, pull, version: "1.2.0", scope: "checks" });
    expect(same.writes).toBe(0);
    expect(runs.log).toEqual([]);
    const delta = (name: string) => (src.calls[name] ?? 0) - (before[name] ?? 0);
    expect(delta("listCommitChecks")).toBe(1);
    for (const other of [
      "listReviews",
      "readFiles",
      "compare",
      "findLatestTag",
      "listArtifacts",
      "readPullBody",
    ])
      expect(delta(other)).toBe(0);

    // A test check fails: its gate and the readiness run are rewritten, nothing else.
    repo.checks = repo.checks.map((c) => (c.name.startsWith("test (") ? { ...c, state: "failure" } : c));
    const failed = await runChecklist(deps, { config, pull, version: "1.2.0", scope: "checks" });
    expect(failed.gates.find((g) => g.gate === "tests")?.status).toBe("fail");
    expect(runs.log).toEqual(["update Checklist: Tests", "update Release readiness"]);
  });

  it("evaluates every gate on a CI completion when it remembers nothing of that head", async () => {
    const { src, deps } = setup();
    await runChecklist(deps, { config, pull, version: "1.2.0", scope: "checks" });
    expect(src.calls["listReviews"]).toBe(1);
    expect(src.calls["readFiles"]).toBe(1);
  });
});

describe("ChecklistMemory", () => {
  it("reads a value immutable by SHA once per repository, and again after a failed read", async () => {
    const memory = new ChecklistMemory();
    let reads = 0;
    const read = async () => (reads++, "version = 1.2.0");
    await memory.of("acme/a").bySha(`${HEAD}:pyproject.toml`, read);
    await memory.of("acme/a").bySha(`${HEAD}:pyproject.toml`, read);
    await memory.of("acme/b").bySha(`${HEAD}:pyproject.toml`, read);
    expect(reads).toBe(2);
    const failing = () => Promise.reject(new Error("GitHub API 502"));
    await expect(memory.of("acme/a").bySha(`${HEAD}:CHANGELOG.md`, failing)).rejects.toThrow("502");
    expect(await memory.of("acme/a").bySha(`${HEAD}:CHANGELOG.md`, read)).toBe("version = 1.2.0");
  });

  it("does not keep a text a PR author made huge, so the memory stays bounded", async () => {
    const memory = new ChecklistMemory().of("acme/a");
    let reads = 0;
    const huge = async () => (reads++, "x".repeat(MAX_KEPT_TEXT + 1));
    await memory.bySha(`${HEAD}:Dockerfile`, huge);
    await new Promise((r) => setImmediate(r));
    await memory.bySha(`${HEAD}:Dockerfile`, huge);
    expect(reads).toBe(2);
  });
});
